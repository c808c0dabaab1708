"""What activities and needs are tied to: themes, organisations, partnerships.

Loaded for a whole list of records at once (a fixed number of queries), as
plain values; organisations come back as unsaved ``Organisation`` instances
carrying just what a link and a label need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from activities.models import Activity, ActivityOrganisation
from needs.models import Need
from organisations.choices import KNOWLEDGE_KINDS
from organisations.models import Organisation

ORG_FIELDS = ("id", "name", "short_name", "slug", "municipality_number", "kind", "parent__kind")


@dataclass
class Facts:
    themes: dict[int, str] = field(default_factory=dict)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    partnerships: dict[int, str] = field(default_factory=dict)
    status: str = ""


def organisation(values: dict, prefix: str = "") -> Organisation:
    """An unsaved Organisation from ``values`` read with ORG_FIELDS under ``prefix``."""
    org = Organisation(
        pk=values[f"{prefix}id"],
        name=values[f"{prefix}name"],
        short_name=values[f"{prefix}short_name"] or "",
        slug=values[f"{prefix}slug"],
        municipality_number=values[f"{prefix}municipality_number"],
        kind=values[f"{prefix}kind"],
    )
    org.academic = is_academic(values[f"{prefix}kind"], values[f"{prefix}parent__kind"])
    return org


def is_academic(kind: str, parent_kind: str | None) -> bool:
    """A knowledge institution, or a part of one (a faculty, an institute)."""
    return kind in KNOWLEDGE_KINDS or parent_kind in KNOWLEDGE_KINDS


def label(org: Organisation) -> str:
    return org.short_name or org.name


def load(activity_ids: list[int], need_ids: list[int]) -> dict[tuple[str, int], Facts]:
    """Facts keyed by ("activity" | "need", id); five queries at most."""
    facts: dict[tuple[str, int], Facts] = {}
    if activity_ids:
        for i in activity_ids:
            facts[("activity", i)] = Facts()
        themes = Activity.themes.through.objects.filter(activity_id__in=activity_ids)
        for a, t, name in themes.values_list("activity_id", "theme_id", "theme__name"):
            facts[("activity", a)].themes[t] = name
        links = Activity.partnerships.through.objects.filter(
            activity_id__in=activity_ids, partnership__deleted_at__isnull=True
        )
        for a, p, name in links.values_list("activity_id", "partnership_id", "partnership__name"):
            facts[("activity", a)].partnerships[p] = name
        fields = [f"organisation__{f}" for f in ORG_FIELDS]
        for row in ActivityOrganisation.objects.filter(activity_id__in=activity_ids).values(
            "activity_id", *fields
        ):
            org = organisation(row, "organisation__")
            facts[("activity", row["activity_id"])].organisations[org.pk] = org
        owners = ("professional_owner__", "strategic_owner__")
        rows = Activity.all_objects.filter(pk__in=activity_ids).values(
            "id", "status", *(f"{o}{f}" for o in owners for f in ORG_FIELDS)
        )
        for row in rows:
            entry = facts[("activity", row["id"])]
            entry.status = row["status"]
            for owner in owners:
                if row[f"{owner}id"]:
                    org = organisation(row, owner)
                    entry.organisations.setdefault(org.pk, org)
    if need_ids:
        fields = [f"organisation__{f}" for f in ORG_FIELDS]
        rows = Need.all_objects.filter(pk__in=need_ids).values(
            "id",
            "status",
            "service_area_id",
            "service_area__name",
            "partnership_id",
            "partnership__name",
            "partnership__deleted_at",
            *fields,
        )
        for row in rows:
            entry = facts[("need", row["id"])] = Facts(status=row["status"])
            if row["service_area_id"]:
                entry.themes[row["service_area_id"]] = row["service_area__name"]
            if row["partnership_id"] and row["partnership__deleted_at"] is None:
                entry.partnerships[row["partnership_id"]] = row["partnership__name"]
            org = organisation(row, "organisation__")
            entry.organisations[org.pk] = org
    return facts
