"""Filters for the list of meeting places; every filter state has its own URL.

``listed_events`` is the list's query: the page and its open data export both
call it, so an export holds exactly the events the page lists.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.widgets import ListSelect
from partnerships.models import Partnership, Theme

from .choices import EventKind
from .models import Event

UPCOMING, PAST, ALL = "upcoming", "past", "all"


class EventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    partnership = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=_("Partnership"),
        queryset=Partnership.objects.as_choices(),
        to_field_name="slug",
        field_name="partnership",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )

    class Meta:
        model = Event
        fields: list[str] = []


def listed_events(params, user, when: str = UPCOMING) -> tuple[EventFilterSet, QuerySet[Event]]:
    """The filter form and the events ``user`` may see: upcoming soonest first, or past.

    ``ALL`` (upcoming and past, in date order) is for the open data export only.
    """
    events = permissions.visible(user, Event.objects.for_list())
    if when == PAST:
        events = events.past()
    elif when == ALL:
        events = events.order_by("starts_at", "title")
    else:
        events = events.upcoming()
    filterset = EventFilterSet(params, queryset=events)
    # The theme filter makes its own query distinct; the others cannot repeat a row.
    return filterset, filterset.qs
