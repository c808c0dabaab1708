"""What a partnership profile shows, computed from its records.

Used by the profile page and the compare page, so both show the same facets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind

from .choices import AnchoringLevel, ResultType, Role
from .models import Anchoring, Membership, Partnership

ROLE_ORDER = [Role.LEAD, Role.MEMBER_MUNICIPALITY, Role.ACADEMIC_PARTNER, Role.OTHER_PARTNER]


def profile_queryset() -> QuerySet[Partnership]:
    """Partnerships with everything a profile shows, in a fixed number of queries."""
    return Partnership.objects.with_counts().prefetch_related(
        "themes",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation__parent").order_by(
                "organisation__name"
            ),
        ),
        "agreements",
        Prefetch("anchorings", queryset=Anchoring.objects.select_related("organisation")),
        "bodies",
        "plans",
        "reported_results",
        "sources",
    )


@dataclass
class Profile:
    partnership: Partnership

    @property
    def current_members(self) -> list[Membership]:
        return [m for m in self.partnership.memberships.all() if m.valid_to is None]

    @property
    def former_members(self) -> list[Membership]:
        return [m for m in self.partnership.memberships.all() if m.valid_to is not None]

    @property
    def members_by_role(self) -> list[tuple[str, list[Membership]]]:
        groups = []
        for role in ROLE_ORDER:
            rows = [m for m in self.current_members if m.role == role]
            if rows:
                groups.append((role.label, rows))
        return groups

    @property
    def lead(self):
        for m in self.current_members:
            if m.role == Role.LEAD:
                return m.organisation
        return None

    @property
    def municipalities(self):
        return [
            m.organisation
            for m in self.current_members
            if m.organisation.kind == OrganisationKind.MUNICIPALITY
        ]

    @property
    def knowledge_institutions(self):
        return [
            m.organisation for m in self.current_members if m.organisation.kind in KNOWLEDGE_KINDS
        ]

    @property
    def counties(self) -> list:
        seen = {}
        for org in self.municipalities:
            if org.parent_id and org.parent_id not in seen:
                seen[org.parent_id] = org.parent
        return sorted(seen.values(), key=lambda c: c.name)

    @property
    def member_list_incomplete(self) -> bool:
        stated = self.partnership.stated_municipality_count
        return bool(stated and stated > len(self.municipalities))

    @property
    def population(self) -> int | None:
        """Residents of the member municipalities, when all are known."""
        values = [m.population for m in self.municipalities]
        if not values or any(v is None for v in values):
            return None
        return sum(values)

    @property
    def population_date(self):
        dates = {m.population_date for m in self.municipalities if m.population_date}
        return max(dates) if dates else None

    @property
    def anchoring_levels(self) -> list[str]:
        present = {a.level for a in self.partnership.anchorings.all()}
        return [level for level in AnchoringLevel.values if level in present]

    @property
    def anchoring_level_labels(self) -> list[str]:
        return [str(AnchoringLevel(level).label) for level in self.anchoring_levels]

    @property
    def anchoring_matrix(self) -> dict[str, Any]:
        return anchoring_matrix(self.partnership.anchorings.all())

    @property
    def results_by_type(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = {}
        for r in self.partnership.reported_results.all():
            groups.setdefault(r.result_type, []).append(r)
        return [(ResultType(t).label, groups[t]) for t in ResultType.values if t in groups]

    @property
    def result_count(self) -> int:
        return len(self.partnership.reported_results.all())


def anchoring_matrix(anchorings: Iterable[Anchoring]) -> dict[str, Any]:
    """Parties as rows, levels as columns, the anchoring records in the cells."""
    rows: dict[str, dict[str, list[Anchoring]]] = {}
    for a in anchorings:
        rows.setdefault(a.party, {}).setdefault(a.level, []).append(a)
    levels = [(value, label) for value, label in AnchoringLevel.choices]
    return {
        "levels": levels,
        "rows": [
            {"party": party, "cells": [cells.get(value, []) for value, _label in levels]}
            for party, cells in rows.items()
        ],
    }
