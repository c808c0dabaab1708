"""The national overview: figures computed from the registry, never typed.

``national_overview()`` feeds the front page and ``unikom overview --json``;
it runs a fixed number of queries whatever the number of partnerships.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Prefetch

from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from partnerships.choices import InitiativeSide, Maturity, PartnershipKind
from partnerships.models import Membership, Partnership


def member_organisations(kinds) -> Any:
    """Distinct organisations of the given kinds with a current membership."""
    return Organisation.objects.in_partnerships().filter(kind__in=kinds)


def national_overview() -> dict[str, Any]:
    partnerships = list(Partnership.objects.with_counts().with_lead())
    municipalities = list(
        member_organisations([OrganisationKind.MUNICIPALITY]).values("pk", "population")
    )
    institutions = member_organisations(KNOWLEDGE_KINDS).count()

    by_kind = {k.value: 0 for k in PartnershipKind}
    by_initiative = {s.value: 0 for s in InitiativeSide}
    by_maturity = {m.value: 0 for m in Maturity} | {"unknown": 0}
    unnamed = 0
    for p in partnerships:
        by_kind[p.kind] += 1
        by_initiative[p.initiative_side] += 1
        by_maturity[p.maturity or "unknown"] += 1
        if p.stated_municipality_count and p.stated_municipality_count > p.municipality_count:
            unnamed += p.stated_municipality_count - p.municipality_count

    roots = [p.roots_year for p in partnerships if p.roots_year]
    agreements = [p.agreement_year for p in partnerships if p.agreement_year]
    populations = [m["population"] for m in municipalities if m["population"] is not None]

    return {
        "partnerships": len(partnerships),
        "municipalities": len(municipalities),
        "municipalities_including_unnamed": len(municipalities) + unnamed,
        "knowledge_institutions": institutions,
        "clusters": by_kind[PartnershipKind.CLUSTER],
        "by_kind": by_kind,
        "by_initiative": by_initiative,
        "by_maturity": by_maturity,
        "earliest_roots_year": min(roots) if roots else None,
        "latest_agreement_year": max(agreements) if agreements else None,
        "member_population": sum(populations) if populations else None,
        "member_population_known": len(populations),
        "timeline": timeline(partnerships),
        "partnership_list": [
            {
                "slug": p.slug,
                "name": p.name,
                "kind": p.kind,
                "lead_municipality": (lead.name if (lead := p.lead) else None),
                "lead_municipality_number": lead.municipality_number if lead else None,
                "municipality_count": p.municipality_count,
                "stated_municipality_count": p.stated_municipality_count,
                "knowledge_institution_count": p.knowledge_institution_count,
                "initiative": p.initiative_side,
                "maturity": p.maturity or None,
                "roots_year": p.roots_year,
                "agreement_year": p.agreement_year,
                "url": p.get_absolute_url(),
            }
            for p in partnerships
        ],
    }


def timeline(partnerships: list[Partnership]) -> list[dict[str, Any]]:
    """Roots and agreement years per year, from the first to the last recorded."""
    roots = Counter(p.roots_year for p in partnerships if p.roots_year)
    signed = Counter(p.agreement_year for p in partnerships if p.agreement_year)
    years = set(roots) | set(signed)
    if not years:
        return []
    return [
        {
            "year": y,
            "roots": roots.get(y, 0),
            "agreements": signed.get(y, 0),
            "roots_partnerships": sorted(p.name for p in partnerships if p.roots_year == y),
            "agreement_partnerships": sorted(p.name for p in partnerships if p.agreement_year == y),
        }
        for y in range(min(years), max(years) + 1)
    ]


def municipalities_on_map():
    """Member municipalities with their boundary and partnerships (two queries)."""
    return (
        Organisation.objects.in_partnerships()
        .filter(kind=OrganisationKind.MUNICIPALITY, boundary__isnull=False)
        .select_related("boundary")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("partnership"),
                to_attr="current_memberships",
            )
        )
        .order_by("name")
    )


def county_outlines():
    return (
        Organisation.objects.counties()
        .filter(boundary__isnull=False)
        .select_related("boundary")
        .order_by("county_number")
    )
