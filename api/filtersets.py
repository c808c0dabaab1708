"""Filters of the API's lists: the site's own filter sets where they fit,
small ones where the site has none. Every relation is filtered by its slug."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from organisations.choices import OrganisationKind
from organisations.models import Organisation, Person
from organisations.people_views import PersonFilterSet
from partnerships.choices import (
    AgreementKind,
    AnchoringLevel,
    Evidence,
    Role,
)
from partnerships.filtersets import PartnershipFilterSet
from partnerships.models import Agreement, Anchoring, Membership, Partnership


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false``; other values are refused (django-filter's
    BooleanFilter would quietly ignore them)."""


def yes_no(label, method: str) -> YesNoFilter:
    return YesNoFilter(
        label=label,
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        method=method,
    )


class PartnershipApiFilterSet(PartnershipFilterSet):
    # The API orders with ?ordering= (api.filters), not the page's ?sort=.
    sort = None


class PersonApiFilterSet(PersonFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation (slug)"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        field_name="affiliations__organisation",
        distinct=True,
    )

    class Meta:
        model = Person
        fields: list[str] = []


class OrganisationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("Part of (slug)"), queryset=Organisation.objects.all(), to_field_name="slug"
    )
    municipality_number = django_filters.CharFilter(label=_("Municipality number"), max_length=4)
    in_partnership = yes_no(_("Has a current membership in a partnership"), "filter_in_partnership")

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_in_partnership(self, queryset, name, value):
        members = Organisation.objects.in_partnerships().values("pk")
        return queryset.filter(pk__in=members) if value else queryset.exclude(pk__in=members)


def partnership_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Partnership (slug)"), queryset=Partnership.objects.all(), to_field_name="slug"
    )


def organisation_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Organisation (slug)"), queryset=Organisation.objects.all(), to_field_name="slug"
    )


class MembershipFilterSet(django_filters.FilterSet):
    partnership = partnership_filter()
    organisation = organisation_filter()
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    current = yes_no(_("Current (no end date)"), "filter_current")

    class Meta:
        model = Membership
        fields: list[str] = []

    def filter_current(self, queryset, name, value):
        return queryset.filter(valid_to__isnull=value)


class AgreementFilterSet(django_filters.FilterSet):
    partnership = partnership_filter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgreementKind.choices)

    class Meta:
        model = Agreement
        fields: list[str] = []


class AnchoringFilterSet(django_filters.FilterSet):
    partnership = partnership_filter()
    organisation = organisation_filter()
    level = django_filters.ChoiceFilter(label=_("Level"), choices=AnchoringLevel.choices)
    evidence = django_filters.ChoiceFilter(label=_("Evidence"), choices=Evidence.choices)

    class Meta:
        model = Anchoring
        fields: list[str] = []
