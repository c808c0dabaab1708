"""Which records an export holds: each list page's filters, for the requesting user.

``records(kind, params, user)`` runs the same FilterSet with the same base
queryset as the kind's list page (partnerships, organisations, people,
activities, needs, events), so an export of ``/activities/?type=phd`` holds
exactly the activities that page lists, across all its pages. The querysets
select and prefetch everything ``opendata.columns`` reads, so an export takes
the same number of queries whatever its size; the records are read in full
before the response starts (``list``), so no query runs while it streams.

A few parameters exist only here, for the bulk archive and the portfolios:
``organisations?scope=all`` (every organisation, not only partnership
members), ``events?when=all`` (upcoming and past), and
``activities?organisation=<slug>`` for an organisation without activities
(an empty portfolio exports empty, not everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import QueryDict

from activities.filtersets import ActivityFilterSet
from activities.models import Activity, ActivityOrganisation
from core import permissions
from events.filtersets import EventFilterSet
from events.models import Event
from needs.choices import NeedStatus
from needs.filtersets import NeedFilterSet
from needs.models import Need
from organisations.choices import OrganisationKind
from organisations.models import Affiliation, Organisation, Person
from organisations.people_views import PersonFilterSet, current_affiliations
from partnerships.filtersets import PartnershipFilterSet
from partnerships.models import Membership, Partnership, Theme

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


def _visible_activities(user):
    return permissions.visible(user, Activity.objects.all())


def _partnerships(params: QueryDict, user):
    # partnerships.views.partnership_list
    queryset = Partnership.objects.with_counts().with_lead().prefetch_related("themes")
    filterset = PartnershipFilterSet(params or None, queryset=queryset)
    return filterset.qs if filterset.is_bound and filterset.is_valid() else queryset


def _organisations(params: QueryDict, user):
    # organisations.views.organisation_list
    base = Organisation.objects.all()
    if params.get("scope") != "all":
        base = base.in_partnerships().annotate(
            partnership_count=Count(
                "memberships__partnership",
                filter=Q(memberships__valid_to__isnull=True),
                distinct=True,
            )
        )
    queryset = base.select_related("parent").order_by("kind", "name")
    kind = params.get("kind", "")
    if kind in OrganisationKind.values:
        queryset = queryset.filter(kind=kind)
    return queryset


def _current_posts() -> Prefetch:
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(current_affiliations())
        .select_related("organisation")
        .order_by("organisation__name"),
        to_attr="current_affiliations",
    )


def _people(params: QueryDict, user):
    # organisations.people_views.person_list
    people = permissions.visible(user, Person.objects.all()).prefetch_related(_current_posts())
    return PersonFilterSet(params, queryset=people).qs.order_by("name", "pk")


def _activities(params: QueryDict, user):
    # activities.views.activity_list (portfolio_context)
    request = SimpleNamespace(user=user, GET=params)
    queryset = _visible_activities(user)
    filterset = ActivityFilterSet(params, queryset=queryset.for_list(), request=request)
    result = filterset.qs
    key = params.get("organisation")
    if (
        key
        and "organisation" in filterset.errors
        and Organisation.objects.filter(slug=key).exists()
    ):
        # An organisation with no visible activity is not offered as a filter
        # on the page; its portfolio is empty, and so is its export.
        result = result.none()
    return result.prefetch_related(
        Prefetch(
            "organisation_roles",
            queryset=ActivityOrganisation.objects.select_related("organisation"),
        )
    )


def _needs(params: QueryDict, user):
    # needs.views.need_list: open needs unless a status is chosen
    data = params.copy()
    if not data.get("status"):
        data["status"] = NeedStatus.OPEN
    queryset = permissions.visible(user, Need.objects.for_list())
    filterset = NeedFilterSet(data, queryset=queryset)
    needs = filterset.qs
    if "status" in filterset.errors:
        needs = needs.filter(status=NeedStatus.OPEN)
    return needs.select_related("contact").prefetch_related(
        Prefetch("led_to", queryset=_visible_activities(user), to_attr="visible_led_to")
    )


def _events(params: QueryDict, user):
    # events.views.event_list: upcoming, ?when=past, and here also ?when=all
    events = permissions.visible(user, Event.objects.for_list())
    when = params.get("when")
    if when == "past":
        events = events.past()
    elif when == "all":
        events = events.order_by("starts_at", "title")
    else:
        events = events.upcoming()
    return EventFilterSet(params, queryset=events).qs.distinct()


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
