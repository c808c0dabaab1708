"""Filters for the activity list and the portfolio pages; every state has its own URL.

``listed_activities`` is their query: the pages and the open data export both
call it, so an export holds exactly the activities a page lists.
"""

from __future__ import annotations

from types import SimpleNamespace

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.widgets import ListSelect
from organisations.models import Organisation
from partnerships.models import Partnership, Theme

from .choices import ActivityStatus, ActivityType
from .models import Activity, ActivityOrganisation

FIRST_YEAR, LAST_YEAR = Activity.DATE_YEARS.first, Activity.DATE_YEARS.last


def involved_organisations(request) -> QuerySet[Organisation]:
    """Organisations owning or taking part in an activity the visitor may see.

    One probe of an index per organisation (``EXISTS``), not a pass over every
    activity: the filter form is drawn on every list page.
    """
    user = getattr(request, "user", None)
    activities = permissions.visible(user, Activity.objects.all())
    return Organisation.objects.filter(
        Exists(
            permissions.visible_through(
                user, ActivityOrganisation.objects.filter(organisation=OuterRef("pk")), "activity"
            )
        )
        | Exists(activities.filter(professional_owner=OuterRef("pk")))
        | Exists(activities.filter(strategic_owner=OuterRef("pk")))
    ).as_choices()


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title contains"), field_name="title", lookup_expr="icontains", max_length=200
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=ActivityType.choices, field_name="activity_type"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActivityStatus.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )
    organisation = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=_("Organisation"),
        queryset=involved_organisations,
        to_field_name="slug",
        method="filter_organisation",
    )
    partnership = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=_("Partnership"),
        queryset=Partnership.objects.as_choices(),
        to_field_name="slug",
        field_name="partnerships",
    )
    year = YearFilter(
        label=_("Running in year"),
        method="filter_year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args, without: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Portfolio pages are already about one partnership or organisation.
        for name in without:
            self.filters.pop(name, None)

    def filter_organisation(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.involving(value)

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.in_year(int(value))


def listed_activities(
    params, user, activities: QuerySet[Activity] | None = None, *, without: tuple[str, ...] = ()
) -> tuple[ActivityFilterSet, QuerySet[Activity]]:
    """The filter form and the filtered activities ``user`` may see, ready for a list.

    ``activities`` narrows them to a portfolio, whose page drops the filter
    it is already about (``without``).
    """
    if activities is None:
        activities = Activity.objects.all()
    filterset = ActivityFilterSet(
        params,
        queryset=permissions.visible(user, activities).for_list(),
        request=SimpleNamespace(user=user),
        without=without,
    )
    return filterset, filterset.qs
