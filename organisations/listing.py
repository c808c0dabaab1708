"""The organisation list's query, shared by the page and its open data export."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .choices import OrganisationKind
from .models import Organisation


def listed_organisations(params, *, members_only: bool = True) -> QuerySet[Organisation]:
    """Organisations by kind and name, of one kind when ``?kind=`` names one.

    The page lists partnership members with their number of current
    partnerships; the bulk export also offers every organisation
    (``members_only=False``), where that count means nothing.
    """
    queryset = Organisation.objects.all()
    if members_only:
        queryset = queryset.in_partnerships().annotate(
            partnership_count=Count(
                "memberships__partnership",
                filter=Q(memberships__valid_to__isnull=True),
                distinct=True,
            )
        )
    queryset = queryset.select_related("parent").order_by("kind", "name")
    kind = params.get("kind", "")
    return queryset.filter(kind=kind) if kind in OrganisationKind.values else queryset
