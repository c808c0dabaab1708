"""Which records an export holds: each list page's filters, for the requesting user.

``queryset(kind, params, user)`` calls the same function as the kind's list
page (``listed_partnerships``, ``listed_organisations``, ``listed_people``,
``listed_activities``, ``listed_needs``, ``listed_events`` in the owning
apps), so an export of ``/activities/?type=phd`` holds exactly the activities
that page lists, across all its pages. On top, the querysets prefetch what
``opendata.columns`` reads, so an export takes the same number of queries
whatever its size; the records are read in full
before the response starts (``list``), so no query runs while it streams.

A few parameters exist only here, for the bulk archive and the portfolios:
``organisations?scope=all`` (every organisation, not only partnership
members), ``events?when=all`` (upcoming and past), and
``activities?organisation=<slug>`` for an organisation without activities
(an empty portfolio exports empty, not everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import QueryDict

from activities.filtersets import listed_activities
from activities.models import Activity, ActivityOrganisation
from core import permissions
from events.filtersets import UPCOMING, listed_events
from needs.filtersets import listed_needs
from organisations.listing import listed_organisations
from organisations.models import Affiliation, Organisation, Person
from organisations.people_views import listed_people
from partnerships.filtersets import listed_partnerships
from partnerships.models import Membership, Theme

from .columns import KINDS

#: Parameters that choose a page of a list, never which records it holds.
NOT_FILTERS = frozenset({"page", "bom"})


@dataclass
class Selection:
    """The records of one export, and the filters that chose them (for ``meta``)."""

    kind: str
    records: list
    filters: dict[str, str]


def filters_of(params: QueryDict) -> dict[str, str]:
    return {k: v for k, v in params.items() if k not in NOT_FILTERS and v != ""}


def _partnerships(params: QueryDict, user):
    return listed_partnerships(params)[1]


def _organisations(params: QueryDict, user):
    return listed_organisations(params, members_only=params.get("scope") != "all")


def _people(params: QueryDict, user):
    return listed_people(params, user)[1]


def _activities(params: QueryDict, user):
    filterset, activities = listed_activities(params, user)
    key = params.get("organisation")
    if (
        key
        and "organisation" in filterset.errors
        and Organisation.objects.filter(slug=key).exists()
    ):
        # An organisation with no visible activity is not offered as a filter
        # on the page; its portfolio is empty, and so is its export.
        activities = activities.none()
    return activities.prefetch_related(
        Prefetch(
            "organisation_roles",
            queryset=ActivityOrganisation.objects.select_related("organisation"),
        )
    )


def _needs(params: QueryDict, user):
    visible_activities = permissions.visible(user, Activity.objects.all())
    return (
        listed_needs(params, user)[1]
        .select_related("contact")
        .prefetch_related(Prefetch("led_to", queryset=visible_activities, to_attr="visible_led_to"))
    )


def _events(params: QueryDict, user):
    return listed_events(params, user, when=params.get("when", UPCOMING))[1]


def _memberships(params: QueryDict, user):
    queryset = Membership.objects.filter(partnership__deleted_at__isnull=True).select_related(
        "partnership", "organisation"
    )
    if params.get("partnership"):
        queryset = queryset.filter(partnership__slug=params["partnership"])
    if params.get("organisation"):
        queryset = queryset.filter(organisation__slug=params["organisation"])
    if params.get("current") == "1":
        queryset = queryset.current()
    return queryset.order_by("partnership__name", "role", "organisation__name", "valid_from", "pk")


def _affiliations(params: QueryDict, user):
    people = permissions.visible(user, Person.objects.all())
    queryset = Affiliation.objects.filter(person__in=people.values("pk")).select_related(
        "person", "organisation"
    )
    if params.get("organisation"):
        queryset = queryset.filter(organisation__slug=params["organisation"])
    return queryset.order_by("person__name", "person__pk", "valid_from", "pk")


def _themes(params: QueryDict, user):
    return Theme.objects.order_by("name")


QUERYSETS = {
    "partnerships": _partnerships,
    "memberships": _memberships,
    "organisations": _organisations,
    "people": _people,
    "affiliations": _affiliations,
    "activities": _activities,
    "needs": _needs,
    "events": _events,
    "themes": _themes,
}
assert set(QUERYSETS) == set(KINDS)

#: The list page each kind's filters come from (URL name), for the open data page.
LIST_PAGES = {
    "partnerships": "partnerships:list",
    "organisations": "organisations:list",
    "people": "organisations:person_list",
    "activities": "activities:list",
    "needs": "needs:list",
    "events": "events:list",
}


def as_querydict(params: QueryDict | dict | None) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query[key] = value
    return query


def queryset(kind: str, params: QueryDict | dict | None, user: Any):
    """The kind's records as its list page would show them to ``user`` (unevaluated)."""
    return QUERYSETS[kind](as_querydict(params), user)


def select(kind: str, params: QueryDict | dict | None, user: Any, prepare=None) -> Selection:
    """Read the records of an export (a fixed number of queries).

    ``prepare(kind, queryset)`` may add prefetches a format needs (JSON-LD).
    """
    params = as_querydict(params)
    records = queryset(kind, params, user)
    if prepare is not None:
        records = prepare(kind, records)
    return Selection(kind=kind, records=list(records), filters=filters_of(params))
