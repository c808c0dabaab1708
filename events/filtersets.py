"""Filters for the list of meeting places; every filter state has its own URL."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Theme

from .choices import EventKind
from .models import Event


class EventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership"),
        queryset=Partnership.objects.order_by("name"),
        to_field_name="slug",
        field_name="partnership",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )

    class Meta:
        model = Event
        fields: list[str] = []
