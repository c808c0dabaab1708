"""The collaboration network: who works with whom, built from the registry.

Organisations (and, on request, people) are nodes; an edge joins two of them
when they share a partnership membership or an activity. ``build_graph`` reads
the database in a fixed number of queries whatever the data size and returns a
``networkx.Graph`` whose attributes are plain strings and numbers, so that the
same graph feeds the page and the GraphML/GEXF exports read by Gephi or Kumu.

Who sees what follows ``core.permissions.visible``: anonymous visitors get
public activities and public people only; nobody gets e-mail or phone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

import networkx as nx
from django.db.models import Q

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from core.permissions import visible
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Affiliation, Organisation, Person
from partnerships.choices import PartnershipStatus
from partnerships.models import Membership, Theme

KNOWLEDGE = frozenset(str(k) for k in KNOWLEDGE_KINDS)
PERSON = "person"


@dataclass(frozen=True)
class NetworkFilters:
    """What to draw: a theme, a county (by its two-digit number), a period in years."""

    theme: Theme | None = None
    county: Organisation | None = None
    year_from: int | None = None
    year_to: int | None = None
    people: bool = False

    @property
    def has_period(self) -> bool:
        return self.year_from is not None or self.year_to is not None


def org_id(slug: str) -> str:
    return f"org:{slug}"


def person_id(public_id) -> str:
    return f"person:{public_id}"


def membership_rows(filters: NetworkFilters):
    """(partnership name, organisation pk) for the memberships the filters keep.

    Without a period the network is today's: current memberships of partnerships
    that have not ended. With a period, a membership counts when it overlaps it;
    one without a start date is taken to start with the partnership's roots (or
    agreement) year, and one with neither is taken to have always run.
    """
    rows = Membership.objects.filter(partnership__deleted_at__isnull=True)
    if not filters.has_period:
        rows = rows.filter(valid_to__isnull=True).exclude(
            partnership__status=PartnershipStatus.ENDED
        )
    if filters.year_to is not None:
        last = filters.year_to
        rows = rows.filter(
            Q(valid_from__lte=date(last, 12, 31))
            | Q(valid_from__isnull=True, partnership__roots_year__lte=last)
            | Q(
                valid_from__isnull=True,
                partnership__roots_year__isnull=True,
                partnership__agreement_year__lte=last,
            )
            | Q(
                valid_from__isnull=True,
                partnership__roots_year__isnull=True,
                partnership__agreement_year__isnull=True,
            )
        )
    if filters.year_from is not None:
        rows = rows.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=date(filters.year_from, 1, 1))
        )
    if filters.theme is not None:
        rows = rows.filter(partnership__themes=filters.theme)
    return rows.values_list("partnership__name", "organisation_id")


def _in_period(start: str, end: str, filters: NetworkFilters) -> Q:
    """Rows running at some point in the chosen years; an empty start or end is open."""
    q = Q()
    if filters.year_from is not None:
        q &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": date(filters.year_from, 1, 1)})
    if filters.year_to is not None:
        q &= Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": date(filters.year_to, 12, 31)})
    return q


def activities(user, filters: NetworkFilters):
    """The live activities the user may see, narrowed by theme and period.

    With a period, an activity counts when it runs at some point in it; one
    with neither date is left out, as in the portfolio's year filter.
    """
    rows = visible(user, Activity.objects.all())
    if filters.has_period:
        rows = rows.filter(Q(start_date__isnull=False) | Q(end_date__isnull=False))
    rows = rows.filter(_in_period("start_date", "end_date", filters))
    if filters.theme is not None:
        rows = rows.filter(themes=filters.theme)
    return rows.order_by()


class _Edges:
    """Accumulates what each pair of nodes shares before it becomes an edge."""

    def __init__(self) -> None:
        self.partnerships: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.activities: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.affiliations: set[tuple[str, str]] = set()

    @staticmethod
    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if a < b else (b, a)

    def pairs(self):
        return set(self.partnerships) | set(self.activities) | self.affiliations


@dataclass
class _People:
    """The people drawn on request: their details, activities and organisations."""

    details: dict[int, dict] = field(default_factory=dict)
    in_activity: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    affiliated: list[tuple[int, int]] = field(default_factory=list)


def _partnership_members(filters: NetworkFilters) -> dict[str, set[int]]:
    """The organisation pks of each partnership, by partnership name."""
    members: dict[str, set[int]] = defaultdict(set)
    for name, pk in membership_rows(filters):
        members[name].add(pk)
    return members


def _activity_organisations(activity_qs) -> tuple[dict[int, str], dict[int, set[int]]]:
    """The title of each activity and the pks of its organisations (owners included)."""
    titles: dict[int, str] = {}
    in_activity: dict[int, set[int]] = defaultdict(set)
    for pk, title, professional, strategic in activity_qs.values_list(
        "pk", "title", "professional_owner_id", "strategic_owner_id"
    ):
        titles[pk] = title
        in_activity[pk].update(o for o in (professional, strategic) if o is not None)
    for activity, organisation in ActivityOrganisation.objects.filter(
        activity__in=activity_qs.values("pk")
    ).values_list("activity_id", "organisation_id"):
        in_activity[activity].add(organisation)
    return titles, in_activity


def _visible_people(user, filters: NetworkFilters, activity_qs) -> _People:
    """The people the user may see in the activities, with their affiliations in the period."""
    people = _People()
    visible_people = visible(user, Person.objects.all()).values("pk")
    roles = ActivityPerson.objects.filter(
        activity__in=activity_qs.values("pk"), person__in=visible_people
    )
    for activity, pk, name, public_id, orcid in roles.values_list(
        "activity_id", "person_id", "person__name", "person__public_id", "person__orcid"
    ):
        people.details[pk] = {"name": name, "public_id": public_id, "orcid": orcid or ""}
        people.in_activity[activity].add(pk)
    affiliations = Affiliation.objects.filter(person__in=roles.values("person_id"))
    if filters.has_period:
        affiliations = affiliations.filter(_in_period("valid_from", "valid_to", filters))
    else:
        affiliations = affiliations.current()
    people.affiliated = list(affiliations.values_list("person_id", "organisation_id"))
    return people


def _organisation_rows(pks: set[int]) -> dict[int, dict]:
    """The fields the nodes need of each organisation, by pk."""
    return {
        row["pk"]: row
        for row in Organisation.objects.filter(pk__in=pks).values(
            "pk",
            "slug",
            "name",
            "short_name",
            "kind",
            "municipality_number",
            "county_number",
            "org_number",
            "ror_id",
            "parent__kind",
            "parent__name",
            "parent__county_number",
            "parent__parent__name",
            "parent__parent__county_number",
        )
    }


def _collect_edges(
    members: dict[str, set[int]],
    in_activity: dict[int, set[int]],
    people: _People,
    node_of: dict[int, str],
) -> _Edges:
    """What each pair of nodes shares: partnerships, activities, an affiliation."""
    edges = _Edges()
    for name, pks in members.items():
        for a, b in combinations(sorted(node_of[p] for p in pks), 2):
            edges.partnerships[edges.key(a, b)].add(name)
    for activity, orgs in in_activity.items():
        nodes = sorted(
            {node_of[p] for p in orgs}
            | {
                person_id(people.details[p]["public_id"])
                for p in people.in_activity.get(activity, ())
            }
        )
        for a, b in combinations(nodes, 2):
            edges.activities[edges.key(a, b)].add(activity)
    for person, organisation in people.affiliated:
        edges.affiliations.add(
            edges.key(person_id(people.details[person]["public_id"]), node_of[organisation])
        )
    return edges


def _person_attributes(person: dict, activity_count: int) -> dict:
    """A person's node attributes, empty where only organisations have a value."""
    return {
        "label": person["name"],
        "kind": PERSON,
        "group": PERSON,
        "county": "",
        "county_number": "",
        "municipality_number": "",
        "org_number": "",
        "ror_id": "",
        "orcid": person["orcid"],
        "url": Person(public_id=person["public_id"]).get_absolute_url(),
        "partnerships": 0,
        "partnership_names": "",
        "activities": activity_count,
    }


def _edge_attributes(edges: _Edges, a: str, b: str, titles: dict[int, str]) -> dict:
    """The weight, counts, names and relation of the edge between ``a`` and ``b``."""
    shared = sorted(edges.partnerships.get((a, b), ()))
    acts = sorted(titles[i] for i in edges.activities.get((a, b), ()))
    affiliation = (a, b) in edges.affiliations
    relation = [
        label
        for label, present in (
            ("partnership", shared),
            ("activity", acts),
            ("affiliation", affiliation),
        )
        if present
    ]
    return {
        "weight": len(shared) + len(acts) + int(affiliation),
        "partnerships": len(shared),
        "activities": len(acts),
        "partnership_names": "; ".join(shared),
        "activity_titles": "; ".join(acts),
        "relation": "+".join(relation),
    }


def build_graph(user, filters: NetworkFilters | None = None) -> nx.Graph:
    """The collaboration network under ``filters``, as the user may see it.

    Node attributes: label, kind (organisation kind or "person"), group, county,
    county_number, municipality_number, org_number, ror_id, orcid, url,
    partnerships (count), partnership_names, activities (count). Edge
    attributes: weight (shared partnerships + shared activities + 1 for an
    affiliation), partnerships, activities, partnership_names, activity_titles,
    relation. Empty values are "" so that every tool reads them.
    """
    filters = filters or NetworkFilters()
    org_pks: set[int] = set()
    org_partnerships: dict[int, set[str]] = defaultdict(set)
    org_activities: dict[int, set[int]] = defaultdict(set)

    members = _partnership_members(filters)
    for name, pks in members.items():
        for pk in pks:
            org_partnerships[pk].add(name)
        org_pks.update(pks)

    activity_qs = activities(user, filters)
    titles, in_activity = _activity_organisations(activity_qs)
    for activity, orgs in in_activity.items():
        for pk in orgs:
            org_activities[pk].add(activity)
        org_pks.update(orgs)

    people = _visible_people(user, filters, activity_qs) if filters.people else _People()
    org_pks.update(o for _p, o in people.affiliated)

    organisations = _organisation_rows(org_pks)
    node_of = {pk: org_id(row["slug"]) for pk, row in organisations.items()}
    edges = _collect_edges(members, in_activity, people, node_of)

    graph = nx.Graph(name="unikom collaboration network")
    for pk, row in organisations.items():
        graph.add_node(
            node_of[pk],
            **_organisation_attributes(row, org_partnerships[pk], org_activities[pk]),
        )
    person_activities = Counter(p for ids in people.in_activity.values() for p in ids)
    for pk, person in people.details.items():
        graph.add_node(
            person_id(person["public_id"]), **_person_attributes(person, person_activities[pk])
        )
    for a, b in edges.pairs():
        graph.add_edge(a, b, **_edge_attributes(edges, a, b, titles))
    if filters.county is not None:
        graph = within_county(graph, filters.county.county_number)
    return graph


def group_of(kind: str) -> str:
    """The colour group on the drawing: municipality, knowledge, public, other, person."""
    if kind == OrganisationKind.MUNICIPALITY:
        return "municipality"
    if kind in KNOWLEDGE:
        return "knowledge"
    if kind in (OrganisationKind.COUNTY, OrganisationKind.DISTRICT):
        return "public"
    return PERSON if kind == PERSON else "other"


def _organisation_attributes(row: dict, partnerships: set[str], activity_ids: set[int]) -> dict:
    kind = row["kind"]
    if kind == OrganisationKind.COUNTY:
        county, number = row["name"], row["county_number"]
    elif kind == OrganisationKind.MUNICIPALITY:
        county, number = row["parent__name"], row["parent__county_number"]
    elif kind == OrganisationKind.DISTRICT:
        county, number = row["parent__parent__name"], row["parent__parent__county_number"]
    else:
        county, number = "", ""
    return {
        "label": row["name"],
        "short_label": row["short_name"] or row["name"],
        "kind": kind,
        "group": group_of(kind),
        "county": county or "",
        "county_number": number or "",
        "municipality_number": row["municipality_number"] or "",
        "org_number": row["org_number"] or "",
        "ror_id": row["ror_id"] or "",
        "orcid": "",
        "url": Organisation(
            slug=row["slug"], municipality_number=row["municipality_number"]
        ).get_absolute_url(),
        "partnerships": len(partnerships),
        "partnership_names": "; ".join(sorted(partnerships)),
        "activities": len(activity_ids),
    }


def within_county(graph: nx.Graph, county_number: str) -> nx.Graph:
    """The part of the network touching a county.

    Keeps the organisations located in the county (municipalities by their
    county, districts by their municipality's county, the county itself), every
    organisation or person linked to one of them (institutions have no location
    and are kept for their links), and the edges that touch the county or join
    two people of the activities kept.
    """
    located = {n for n, d in graph.nodes(data=True) if d["county_number"] == county_number}
    keep = set(located)
    for node in located:
        keep.update(graph[node])
    result = nx.Graph(**graph.graph)
    result.add_nodes_from((n, graph.nodes[n]) for n in keep)
    for a, b, data in graph.edges(data=True):
        if a in keep and b in keep:
            people = graph.nodes[a]["kind"] == PERSON and graph.nodes[b]["kind"] == PERSON
            if a in located or b in located or people:
                result.add_edge(a, b, **data)
    return result
