"""What a partnership profile shows, computed from its records.

Used by the profile page and the compare page, so both show the same facets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from activities.choices import RESULT_TYPE, ActivityType
from activities.portfolio import partnership_counts
from core.permissions import visible, visible_through
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind

from .choices import ACADEMIC_LEVELS, MUNICIPAL_LEVELS, AnchoringLevel, ResultType, Role
from .models import Anchoring, Membership, Partnership, Statement

#: How many activities, needs and meeting places the profile lists; the rest are a link away.
SHORT_LIST = 5

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
        Prefetch("statements", queryset=Statement.objects.select_related("organisation")),
        "sources",
    )


@dataclass
class ResultRow:
    """One type of result: counted from the portfolio beside what was reported.

    ``activity_type`` is the portfolio type counted (None where the portfolio
    has no such type); ``counted`` is None then, too.
    """

    label: str
    activity_type: str | None
    counted: int | None
    reported: list


@dataclass
class Profile:
    partnership: Partnership
    #: whose view of the portfolio is counted; None counts public activities only
    user: Any = None

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
        return self.partnership.stated_beyond_named(len(self.municipalities)) is not None

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
        present = {a.level for a in self.partnership.anchorings.all() if not a.absent}
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

    @cached_property
    def portfolio_counts(self) -> dict[str, int]:
        """Activities in the partnership's portfolio by type (one query)."""
        return partnership_counts(self.partnership, self.user)

    @cached_property
    def results(self) -> list[ResultRow]:
        """Counted and reported results side by side, type by type.

        The reported figures stay as the partnership or its sources gave them;
        the counts come from the activities registered in the portfolio.
        """
        counts = self.portfolio_counts
        reported: dict[str, list] = {}
        for r in self.partnership.reported_results.all():
            reported.setdefault(r.result_type, []).append(r)
        activity_for = {result: activity for activity, result in RESULT_TYPE.items()}
        rows = []
        for result_type, label in ResultType.choices:
            activity_type = activity_for.get(result_type)
            counted = counts.get(activity_type, 0) if activity_type else None
            if counted or reported.get(result_type):
                rows.append(
                    ResultRow(str(label), activity_type, counted, reported.get(result_type, []))
                )
        for activity_type, label in ActivityType.choices:
            if activity_type not in RESULT_TYPE and counts.get(activity_type):
                rows.append(ResultRow(str(label), activity_type, counts[activity_type], []))
        return rows

    @property
    def portfolio_total(self) -> int:
        return sum(self.portfolio_counts.values())

    @cached_property
    def latest_activities(self) -> list:
        """The partnership's activities the user may see, the last added first (one query).

        Activity ids are assigned at insert, so the highest ids are the activities
        added last (``created`` can be set by an import; the id cannot). The query
        reads the partnership's links, not its activities, ordered by the link's
        activity id: the index on (partnership_id, activity_id) of the link table
        (activities migration 0007) is walked backwards and the database stops after
        the first visible rows, however large the portfolio (8,384 activities at
        national scale, docs/benchmarks.md), instead of sorting all of them.
        """
        from activities.models import Activity

        links = Activity.partnerships.through.objects.filter(partnership=self.partnership)
        links = visible_through(self.user, links, "activity").select_related("activity")
        return [link.activity for link in links.order_by("-activity_id")[:SHORT_LIST]]

    @cached_property
    def open_needs(self) -> list:
        """The partnership's open research needs, newest first (one query)."""
        from needs.models import Need

        needs = (
            Need.objects.open().filter(partnership=self.partnership).select_related("organisation")
        )
        return list(visible(self.user, needs).order_by("-created", "-id")[:SHORT_LIST])

    @cached_property
    def upcoming_events(self) -> list:
        """The partnership's meeting places that have not ended, soonest first (one query)."""
        from events.models import Event

        events = Event.objects.filter(partnership=self.partnership).upcoming()
        return list(visible(self.user, events)[:SHORT_LIST])


#: The matrix's column groups: each side's levels, top first, then "other".
LEVEL_GROUPS = [
    (_("Municipality"), MUNICIPAL_LEVELS),
    (_("Academia"), ACADEMIC_LEVELS),
    (_("Other"), [AnchoringLevel.OTHER]),
]


def anchoring_matrix(anchorings: Iterable[Anchoring]) -> dict[str, Any]:
    """Parties as rows, levels as columns (grouped by side), the records in the cells.

    A record marked ``absent`` stands in its cell as a stated absence, so the
    page can tell it apart from a level nothing is recorded for.
    """
    rows: dict[str, dict[str, list[Anchoring]]] = {}
    for a in anchorings:
        rows.setdefault(a.party, {}).setdefault(a.level, []).append(a)
    levels = [(value, AnchoringLevel(value).label) for _g, group in LEVEL_GROUPS for value in group]
    return {
        "groups": [(label, len(group)) for label, group in LEVEL_GROUPS],
        "levels": levels,
        "rows": [
            {"party": party, "cells": [cells.get(value, []) for value, _label in levels]}
            for party, cells in rows.items()
        ],
    }
