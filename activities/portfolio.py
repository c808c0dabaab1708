"""Counting the portfolio: activities by type, for pages and the partnership profile.

Every function here runs one query, whatever the number of activities or
partnerships, and counts only what the user may see (``core.permissions.visible``;
with no user, the public activities).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from core import permissions

from .choices import ActivityType
from .models import Activity, ActivityQuerySet


@dataclass(frozen=True)
class TypeCount:
    """One line of "activities by type"."""

    activity_type: str
    label: str
    count: int


def visible_activities(user=None) -> ActivityQuerySet:
    """The live activities ``user`` may see (public ones for anonymous visitors)."""
    return permissions.visible(user, Activity.objects.all())


def type_counts(counts: dict[str, int]) -> list[TypeCount]:
    """Counts in the order of ``ActivityType``, leaving out types with none."""
    return [
        TypeCount(value, str(label), counts[value])
        for value, label in ActivityType.choices
        if counts.get(value)
    ]


def counts_by_type(queryset: QuerySet[Activity]) -> dict[str, int]:
    """``{activity_type: count}`` for any activity queryset (one query)."""
    return queryset.counts_by_type()


def partnership_counts(partnership, user=None) -> dict[str, int]:
    """Activities of one partnership's portfolio, by type (one query)."""
    return counts_by_type(visible_activities(user).filter(partnerships=partnership))


def organisation_counts(organisation, user=None) -> dict[str, int]:
    """Activities an organisation owns or has a role in, by type (one query).

    ``organisations/views.py`` can pass this to the organisation page; the
    page's template tag ``{% organisation_portfolio %}`` calls it otherwise.
    """
    return counts_by_type(visible_activities(user).involving(organisation))


#: Up to this many partnerships a count names them (``IN (…)``); above it, it
#: groups all partnerships and the caller keeps those it asked for. A long IN
#: list leads SQLite to probe every id for every activity: 13 s for the gaps
#: page with 500 partnerships, against 0.2 s for grouping them all.
IN_LIST_LIMIT = 20


def in_partnerships(activities: QuerySet[Activity], ids: list[int]) -> QuerySet[Activity]:
    """``activities`` in the portfolio of any of the partnerships ``ids``, or, for
    a long list, of any partnership (keep the rows of ``ids`` from the result)."""
    if len(ids) <= IN_LIST_LIMIT:
        return activities.filter(partnerships__in=ids)
    return activities.filter(partnerships__isnull=False)


def counts_for_partnerships(partnerships: Iterable, user=None) -> dict[int, dict[str, int]]:
    """``{partnership_id: {activity_type: count}}`` for many partnerships (one query).

    Partnerships without activities are present with an empty dict.
    """
    ids = [getattr(p, "pk", p) for p in partnerships]
    result: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    rows = (
        in_partnerships(visible_activities(user), ids)
        .order_by()
        .values("partnerships", "activity_type")
        .annotate(n=Count("pk", distinct=True))
        .values_list("partnerships", "activity_type", "n")
    )
    for partnership_id, activity_type, n in rows:
        if partnership_id in result:
            result[partnership_id][activity_type] = n
    return result
