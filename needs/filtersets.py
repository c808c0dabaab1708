"""Filters for the list of needs; every filter state has its own URL.

``listed_needs`` is the list's query: the page and its open data export both
call it, so an export holds exactly the needs the page lists.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.widgets import ListSelect
from organisations.models import Organisation
from partnerships.models import Partnership, Theme

from .choices import NeedStatus, SuitedFor
from .models import Need

ANY_STATUS = "any"
DEADLINE_PASSED = "passed"
DEADLINE_NOT_PASSED = "not_passed"


class NeedFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text contains"), method="filter_q", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*NeedStatus.choices, (ANY_STATUS, _("Any status"))],
        empty_label=None,
        method="filter_status",
    )
    service_area = django_filters.ModelChoiceFilter(
        label=_("Service area"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="service_area",
    )
    suited_for = django_filters.ChoiceFilter(
        label=_("Suited for"), choices=SuitedFor.choices, method="filter_suited_for"
    )
    organisation = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=_("Posted by"),
        queryset=Organisation.objects.filter(
            Exists(Need.objects.filter(organisation=OuterRef("pk")))
        ).as_choices(),
        to_field_name="slug",
        field_name="organisation",
    )
    partnership = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=_("Partnership"),
        queryset=Partnership.objects.as_choices(),
        to_field_name="slug",
        field_name="partnership",
    )
    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=Organisation.objects.counties().order_by("name"),
        to_field_name="slug",
        method="filter_county",
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=[
            (DEADLINE_NOT_PASSED, _("Not passed (or none)")),
            (DEADLINE_PASSED, _("Passed")),
        ],
        method="filter_deadline",
    )

    class Meta:
        model = Need
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    def filter_suited_for(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.suited_for(value)

    def filter_county(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        # A municipality's parent is its county; a district's grandparent is.
        return queryset.filter(
            Q(organisation=value)
            | Q(organisation__parent=value)
            | Q(organisation__parent__parent=value)
        )

    def filter_deadline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == DEADLINE_PASSED:
            return queryset.deadline_passed()
        return queryset.deadline_not_passed()


def listed_needs(params, user) -> tuple[NeedFilterSet, QuerySet[Need]]:
    """The filter form and the needs ``user`` may see: open ones unless a status is chosen."""
    data = params.copy()
    if not data.get("status"):
        data["status"] = NeedStatus.OPEN
    filterset = NeedFilterSet(data, queryset=permissions.visible(user, Need.objects.for_list()))
    needs = filterset.qs
    if "status" in filterset.errors:  # a made-up status: fall back to open needs
        needs = needs.filter(status=NeedStatus.OPEN)
    return filterset, needs
