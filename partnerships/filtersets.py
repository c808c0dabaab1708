"""Filters for the partnership list; every filter state has its own URL.

``listed_partnerships`` is the list's query: the page and its open data export both call it,
so an export holds exactly the partnerships the page lists.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filtering import OrderingFilter
from core.widgets import ListSelect
from organisations.choices import KNOWLEDGE_KINDS
from organisations.models import Organisation

from .choices import InitiativeSide, Maturity, PartnershipKind
from .models import Partnership, Theme


class PartnershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name contains"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnershipKind.choices)
    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=Organisation.objects.counties().order_by("name"),
        to_field_name="slug",
        method="filter_county",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )
    maturity = django_filters.ChoiceFilter(
        label=_("Maturity"),
        choices=[*Maturity.choices, ("unknown", _("Not stated"))],
        method="filter_maturity",
    )
    initiative = django_filters.ChoiceFilter(
        label=_("Initiative"), choices=InitiativeSide.choices, method="filter_initiative"
    )
    institution = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=_("Institution"),
        queryset=Organisation.objects.filter(kind__in=KNOWLEDGE_KINDS, memberships__isnull=False)
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        method="filter_institution",
    )
    sort = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("roots_year", "roots"),
            ("agreement_year", "agreement"),
            ("municipality_count", "municipalities"),
        ),
        field_labels={
            "name": _("Name"),
            "roots_year": _("Roots (earliest first)"),
            "agreement_year": _("Formal agreement (earliest first)"),
            "municipality_count": _("Number of municipalities"),
        },
    )

    class Meta:
        model = Partnership
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))

    def filter_county(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.in_county(value)

    def filter_institution(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.filter(
            pk__in=Partnership.objects.filter(
                memberships__valid_to__isnull=True, memberships__organisation=value
            ).values("pk")
        )

    def filter_maturity(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(maturity="" if value == "unknown" else value)

    def filter_initiative(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == InitiativeSide.UNKNOWN:
            return queryset.filter(initiative="")
        if value == InitiativeSide.MUNICIPALITY:
            return queryset.filter(initiative__startswith="municipality")
        return queryset.filter(initiative=value)


def listed_partnerships(params) -> tuple[PartnershipFilterSet, QuerySet[Partnership]]:
    """The list's filter form and its partnerships; invalid filters show them all."""
    queryset = Partnership.objects.with_counts().with_lead().prefetch_related("themes")
    filterset = PartnershipFilterSet(params or None, queryset=queryset)
    return filterset, filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
