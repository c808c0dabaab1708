"""Pages for meeting places: the list, an event, editing, and iCalendar feeds."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import permissions
from core.cache import kept_listing
from core.views import RecordCreateView, RecordHistoryView, RecordTrashView, RecordUpdateView
from partnerships.models import Partnership, Theme

from . import ical
from .filtersets import PAST, UPCOMING, listed_events
from .forms import EventForm
from .models import Event

PAGE_SIZE = 50


class EventCreateView(RecordCreateView):
    model = Event
    form_class = EventForm


class EventUpdateView(RecordUpdateView):
    model = Event
    form_class = EventForm


class EventTrashView(RecordTrashView):
    model = Event


class EventHistoryView(RecordHistoryView):
    model = Event


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events, soonest first; past events on their own tab (``?when=past``)."""
    when = PAST if request.GET.get("when") == PAST else UPCOMING

    def compute() -> dict:
        filterset, events = listed_events(request.GET, request.user, when)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        return {"filterset": filterset, "page": page, "events": page.object_list}

    # The rendered list is kept until the data changes, at most ten minutes (an
    # event that has ended moves from upcoming to past).
    ten_minutes = timezone.now().strftime("%Y-%m-%dT%H:%M")[:-1]
    context = kept_listing(
        "events", request, ("filterset", "page", "events"), compute, (ten_minutes,)
    )
    context.update(
        when=when,
        can_add=permissions.can_add(request.user, Event),
        feed=ical.webcal_url(request, reverse("events:feed")),
    )
    return render(request, "events/event_list.html", context)


def get_visible_event(request: HttpRequest, key) -> Event:
    event = (
        Event.objects.select_related("organiser", "partnership")
        .prefetch_related("themes")
        .filter(public_id=key)
        .first()
    )
    if event is None or not permissions.can_view(request.user, event):
        raise Http404(_("No event with that address."))
    return event


def event_detail(request: HttpRequest, key) -> HttpResponse:
    event = get_visible_event(request, key)
    feeds = [(_("All meeting places"), ical.webcal_url(request, reverse("events:feed")))]
    if event.partnership:
        feeds.append(
            (
                event.partnership.name,
                ical.webcal_url(
                    request, reverse("events:partnership_feed", args=[event.partnership.slug])
                ),
            )
        )
    for theme in event.themes.all():
        feeds.append(
            (theme.name, ical.webcal_url(request, reverse("events:theme_feed", args=[theme.slug])))
        )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "feeds": feeds,
            "can_edit": permissions.can_change(request.user, event),
        },
    )


def event_ics(request: HttpRequest, key) -> HttpResponse:
    """One event as a calendar file, to add it to a calendar by hand."""
    event = get_visible_event(request, key)
    return ical.feed_response(
        [event], name=event.title, request=request, filename=f"{event.public_id}.ics"
    )


def feed(request: HttpRequest) -> HttpResponse:
    """Every public meeting place."""
    return ical.feed_response(
        ical.feed_events(),
        name=_("unikom – meeting places"),
        request=request,
        filename="unikom-events.ics",
        keep=("all",),
    )


def partnership_feed(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404(_("No partnership with that address."))
    return ical.feed_response(
        ical.feed_events().filter(partnership=partnership),
        name=_("unikom – %(name)s") % {"name": partnership.name},
        request=request,
        filename=f"{partnership.slug}-events.ics",
        keep=("partnership", partnership.pk),
    )


def theme_feed(request: HttpRequest, slug: str) -> HttpResponse:
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise Http404(_("No theme with that address."))
    return ical.feed_response(
        ical.feed_events().filter(themes=theme),
        name=_("unikom – %(name)s") % {"name": theme.name},
        request=request,
        filename=f"{theme.slug}-events.ics",
        keep=("theme", theme.pk),
    )
