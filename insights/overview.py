"""The national overview: figures computed from the registry, never typed.

``national_overview()`` feeds the front page and ``unikom overview --json``;
it runs a fixed number of queries whatever the number of partnerships.

Dates are kept as the sources give them (core.dates.When): a period such as
"the early 2000s" counts from its first year for "earliest roots" and for
sorting, shows its range of ages, and is drawn on the timeline across its
years. Roots (the first collaboration) and the formal agreement stay apart.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.dates import local_today
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from partnerships.choices import (
    Initiative,
    InitiativeGroup,
    InitiativeSide,
    Maturity,
    PartnershipKind,
)
from partnerships.models import Membership, Partnership

from . import findings

#: How the partnership list can be sorted: ?sort=<key> (a leading "-" reverses).
SORT_KEYS = ("name", "kind", "municipalities", "institutions", "roots", "agreement")


def member_organisations(kinds) -> Any:
    """Distinct organisations of the given kinds with a current membership."""
    return Organisation.objects.in_partnerships().filter(kind__in=kinds)


def national_overview(*, sort: str = "name", today: datetime.date | None = None) -> dict[str, Any]:
    today = today or local_today()
    partnerships = list(
        Partnership.objects.with_counts().with_lead().prefetch_related("agreements")
    )
    municipalities = list(
        member_organisations([OrganisationKind.MUNICIPALITY]).values("pk", "population")
    )
    institution_kinds = Counter(
        member_organisations(KNOWLEDGE_KINDS).values_list("kind", flat=True)
    )

    by_kind = {k.value: 0 for k in PartnershipKind}
    by_initiative = {g.value: 0 for g in InitiativeGroup}
    by_initiative_side = {s.value: 0 for s in InitiativeSide}
    by_maturity = {m.value: 0 for m in Maturity} | {"unknown": 0}
    incomplete = []
    for p in partnerships:
        by_kind[p.kind] += 1
        by_initiative[p.initiative_group] += 1
        by_initiative_side[p.initiative_side] += 1
        by_maturity[p.maturity or "unknown"] += 1
        stated = p.stated_beyond_named(p.municipality_count)
        if stated:
            incomplete.append(
                {
                    "name": p.name,
                    "url": p.get_absolute_url(),
                    "stated": stated,
                    "named": p.municipality_count,
                }
            )
    unnamed = sum(i["stated"] - i["named"] for i in incomplete)
    if not by_initiative[InitiativeGroup.UNKNOWN]:
        del by_initiative[InitiativeGroup.UNKNOWN]

    rows = [partnership_row(p, today) for p in partnerships]
    populations = [m["population"] for m in municipalities if m["population"] is not None]
    earliest = findings.earliest_roots((p.roots, _who(p)) for p in partnerships)
    agreements = [p.agreement for p in partnerships if p.agreement]
    facts_as_of = Counter(p.facts_as_of for p in partnerships if p.facts_as_of)
    hospitals = institution_kinds[OrganisationKind.HEALTH_TRUST]
    institutions = sum(institution_kinds.values())

    return {
        "partnerships": len(partnerships),
        "municipalities": len(municipalities),
        "municipalities_stated": len(municipalities) + unnamed,
        "municipalities_including_unnamed": len(municipalities) + unnamed,
        "municipalities_incomplete": incomplete,
        "knowledge_institutions": institutions,
        "knowledge_institutions_academic": institutions - hospitals,
        "knowledge_institutions_hospitals": hospitals,
        "clusters": by_kind[PartnershipKind.CLUSTER],
        "by_kind": by_kind,
        "by_initiative": by_initiative,
        "by_initiative_side": by_initiative_side,
        "by_maturity": by_maturity,
        "earliest_roots": earliest,
        "earliest_roots_year": earliest["year"] if earliest else None,
        "latest_agreement_year": max(a.year_to for a in agreements) if agreements else None,
        "facts_as_of": sorted(facts_as_of.items()),
        "member_population": sum(populations) if populations else None,
        "member_population_known": len(populations),
        "timeline": timeline(partnerships, today),
        "sort": sort if sort.lstrip("-") in SORT_KEYS else "name",
        "partnership_list": sort_rows(rows, sort),
    }


def _who(p: Partnership) -> str:
    """Whose roots: the lead municipality's name, else the partnership's."""
    lead = p.lead
    return lead.name if lead else p.name


def partnership_row(p: Partnership, today: datetime.date) -> dict[str, Any]:
    """One partnership as plain data (JSON-ready): the list row of the overview."""
    lead = p.lead
    roots, agreement = p.roots, p.agreement
    stated = p.stated_municipality_count
    return {
        "slug": p.slug,
        "name": p.name,
        "kind": p.kind,
        "lead_municipality": lead.name if lead else None,
        "lead_municipality_number": lead.municipality_number if lead else None,
        "municipality_count": p.municipality_count,
        "stated_municipality_count": stated,
        "municipalities_incomplete": p.stated_beyond_named(p.municipality_count) is not None,
        "knowledge_institution_count": p.knowledge_institution_count,
        "initiative": p.initiative_side,
        "initiative_detail": p.initiative or None,
        "initiative_group": p.initiative_group,
        "initiative_label": str(Initiative(p.initiative).label)
        if p.initiative
        else _("Not recorded"),
        "maturity": p.maturity or None,
        "roots_year": p.roots_year,
        "roots_year_to": roots.year_to if roots else None,
        "roots": roots.display() if roots else None,
        "roots_age": findings.age_text(roots, today) or None,
        "agreement_year": p.agreement_year,
        "agreement_year_to": agreement.year_to if agreement else None,
        "agreement": agreement.display() if agreement else None,
        "facts_as_of": p.facts_as_of,
        "status": p.status,
        "status_as_of": p.status_as_of,
        "status_summary": str(p.status_summary(today)),
        "url": p.get_absolute_url(),
    }


def sort_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Rows sorted by ``sort`` (see SORT_KEYS); undated rows stay, last either way."""
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    if key not in SORT_KEYS:
        key, reverse = "name", False

    def dated(first: str, last: str):
        def k(r):
            return (r[first] is None, r[first] or 0, r[last] or 0, r["name"])

        return k

    keys = {
        "name": lambda r: r["name"].casefold(),
        "kind": lambda r: (r["kind"], r["name"].casefold()),
        "municipalities": lambda r: (
            r["stated_municipality_count"] or r["municipality_count"],
            r["name"].casefold(),
        ),
        "institutions": lambda r: (r["knowledge_institution_count"], r["name"].casefold()),
        "roots": dated("roots_year", "roots_year_to"),
        "agreement": dated("agreement_year", "agreement_year_to"),
    }
    ordered = sorted(rows, key=keys[key], reverse=reverse)
    if reverse and key in ("roots", "agreement"):
        field = f"{key}_year"
        ordered = [r for r in ordered if r[field] is not None] + [
            r for r in ordered if r[field] is None
        ]
    return ordered


def timeline(
    partnerships: list[Partnership], today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """One row per partnership with roots or an agreement: each as written, with its years.

    Sorted by the roots' first year (a period from its start), then by the
    agreement; partnerships with neither are left out of the chart and
    counted by the callers.
    """
    rows = []
    for p in partnerships:
        roots, agreement = p.roots, p.agreement
        if roots is None and agreement is None:
            continue
        rows.append(
            {
                "partnership": p.name,
                "slug": p.slug,
                "url": p.get_absolute_url(),
                "roots": roots.display() if roots else None,
                "roots_from": roots.year_from if roots else None,
                "roots_to": roots.year_to if roots else None,
                "agreement": agreement.display() if agreement else None,
                "agreement_from": agreement.year_from if agreement else None,
                "agreement_to": agreement.year_to if agreement else None,
                "age": findings.age_text(roots, today),
            }
        )
    rows.sort(
        key=lambda r: (
            r["roots_from"] is None,
            r["roots_from"] or r["agreement_from"] or 0,
            r["roots_to"] or 0,
            r["agreement_from"] or 0,
            r["partnership"],
        )
    )
    return rows


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
