"""iCalendar (RFC 5545) feeds of meeting places, built with the icalendar library.

Calendar programs subscribe to a feed and fetch it again now and then. Each
event keeps its UID for life (``Event.ical_uid``) and carries a SEQUENCE that
grows on every edit, so a changed event replaces the copy the program has
instead of appearing twice. Events that leave the feed (moved to the trash,
made non-public) disappear from subscribed calendars at the next refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from core.cache import remember
from core.dates import local_today

from .models import Event

PRODID = "-//unikom//Meeting places//NB"
REFRESH = timedelta(hours=6)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def utc(value: datetime) -> datetime:
    """``value`` in UTC, to whole seconds (iCalendar has no fractions)."""
    return value.astimezone(UTC).replace(microsecond=0)


def webcal_url(request: HttpRequest, path: str) -> dict[str, str]:
    """The absolute https (or http) address of a feed and its webcal:// twin,
    which calendar programs open as a subscription."""
    absolute = request.build_absolute_uri(path)
    return {"http": absolute, "webcal": "webcal://" + absolute.split("://", 1)[1]}


def vevent(event: Event, request: HttpRequest, stamp: datetime) -> icalendar.Event:
    page = request.build_absolute_uri(event.get_absolute_url())
    component = icalendar.Event()
    component.add("uid", event.ical_uid)
    component.add("dtstamp", stamp)
    component.add("dtstart", utc(event.starts_at))
    component.add("dtend", utc(event.ends_at))
    component.add("summary", event.title)
    description = "\n\n".join(part for part in (event.description.strip(), page) if part)
    if event.online_url:
        description += f"\n\n{event.online_url}"
    component.add("description", description)
    component.add("location", event.location or event.online_url)
    component.add("url", page)
    component.add("sequence", event.sequence)
    component.add("created", utc(event.created))
    component.add("last-modified", utc(event.updated))
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    categories = [str(event.get_kind_display())] + [t.name for t in event.themes.all()]
    component.add("categories", categories)
    return component


def calendar(events: Iterable[Event], *, name: str, request: HttpRequest) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # A calendar's name is a property whose value icalendar does not escape (an
    # event's SUMMARY it does): a line break in a partnership's name or an event's
    # title would make the whole file fail.
    name = " ".join(name.split())
    cal.add("x-wr-calname", name)
    cal.add("name", name)  # RFC 7986
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", "PT6H")
    # Published calendars stamp each event with the time the feed was made.
    stamp = utc(timezone.now())
    for event in events:
        cal.add_component(vevent(event, request, stamp))
    return cal


#: How far back a feed reaches: a subscribed calendar keeps what it has seen, and a
#: feed of every meeting place ever held would grow without end (10,000 events,
#: 8 s to write, at national scale).
FEED_DAYS_BACK = 365


def feed_events():
    """Public, live events of the last year and ahead, with what the feed shows,
    in a fixed number of queries."""
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    return (
        Event.objects.public()
        .filter(ends_at__gte=since)
        .select_related("organiser", "partnership")
        .prefetch_related("themes")
        .order_by("starts_at", "pk")
    )


def feed_response(
    events: Iterable[Event],
    *,
    name: str,
    request: HttpRequest,
    filename: str,
    keep: tuple | None = None,
):
    """The calendar file of ``events``. A feed names what it holds in ``keep``;
    its file is then kept until the data changes (core.cache)."""

    def write() -> bytes:
        return calendar(events, name=name, request=request).to_ical()

    if keep is None:
        body = write()
    else:
        body = remember(
            "ical-feed",
            (*keep, request.build_absolute_uri("/"), local_today()),
            None,
            write,
        )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if all(event.is_public for event in ([] if keep is not None else events)):
        # Public events only (the feeds read public ones alone): calendars and
        # proxies may keep the file for a quarter of an hour.
        patch_cache_control(response, public=True, max_age=900)
    else:
        # An event only signed-in users see must not be kept by a shared cache.
        patch_cache_control(response, private=True, no_store=True)
    return response
