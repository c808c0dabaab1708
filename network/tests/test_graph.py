"""The network's nodes, edges and numbers, computed without the views."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from network import analysis
from network.graph import NetworkFilters, build_graph, org_id, person_id
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Membership, Partnership, Theme

from .conftest import municipality, partnership_of

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def node(org: Organisation) -> str:
    return org_id(org.slug)


def test_partners_in_a_partnership_are_linked_with_its_name(drammen, usn, partnership):
    graph = build_graph(ANONYMOUS)
    edge = graph.edges[node(drammen), node(usn)]
    assert partnership.name in edge["partnership_names"].split("; ")
    assert edge["partnerships"] >= 1 and edge["relation"] == "partnership"
    attrs = graph.nodes[node(drammen)]
    assert (attrs["kind"], attrs["municipality_number"]) == ("municipality", "3301")
    assert attrs["county_number"] == "33" and attrs["url"] == "/organisations/3301/"
    assert graph.nodes[node(usn)]["org_number"] == (usn.org_number or "")
    for _n, data in graph.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values()), data
    for _a, _b, data in graph.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values()), data


def test_shared_activities_add_weight_and_owners_count(drammen, skien, usn, make_activity):
    before = build_graph(ANONYMOUS)
    assert not before.has_edge(node(drammen), node(skien))
    make_activity(orgs=[skien], professional_owner=drammen, strategic_owner=usn)
    make_activity(title="Andre", orgs=[skien, drammen])
    graph = build_graph(ANONYMOUS)
    edge = graph.edges[node(drammen), node(skien)]
    assert (edge["activities"], edge["weight"]) == (2, 2)
    assert edge["activity_titles"] == "Andre; Felles prosjekt"
    usn_drammen = graph.edges[node(drammen), node(usn)]
    assert usn_drammen["activities"] == 1
    assert usn_drammen["weight"] == before.edges[node(drammen), node(usn)]["weight"] + 1
    assert usn_drammen["relation"] == "partnership+activity"


def test_the_theme_filter_keeps_partnerships_and_activities_of_the_theme(
    bridge, bridge_theme, make_activity, drammen, skien
):
    make_activity(orgs=[drammen, skien], themes=[bridge_theme])
    make_activity(title="Uten tema", orgs=[drammen, municipality("1804")])
    graph = build_graph(ANONYMOUS, NetworkFilters(theme=bridge_theme))
    assert graph.has_edge(node(drammen), node(skien))
    assert not graph.has_edge(node(drammen), node(municipality("1804")))
    assert not graph.has_node(org_id("usn"))
    assert graph.number_of_nodes() == 9  # 6 + hub in the bridge, Drammen and Skien


def test_bridges_and_articulation_on_two_groups_joined_by_one_institution(bridge, bridge_theme):
    graph = build_graph(ANONYMOUS, NetworkFilters(theme=bridge_theme))
    numbers = analysis.analyse(graph, NetworkFilters(theme=bridge_theme))
    assert numbers["summary"]["components"] == 2
    assert numbers["summary"]["edges"] == 7
    top = numbers["bridges"][0]
    # the 4 pairs across the bridge, of the 15 pairs of the other 6 nodes
    assert (top["node"], top["percent"]) == (node(bridge), 26.7)
    assert len(numbers["bridges"]) == 1  # nobody else lies between two others
    [split] = numbers["splits"]
    assert (split.node, split.group_size, split.parts, split.cut_off) == (
        node(bridge),
        5,
        [2, 2],
        2,
    )


def test_municipalities_with_no_institution_and_with_no_collaboration(bridge, bridge_theme):
    filters = NetworkFilters(theme=bridge_theme)
    graph = build_graph(ANONYMOUS, filters)
    numbers = analysis.analyse(graph, filters)
    without = {r["data"]["municipality_number"]: r for r in numbers["without_institution"]}
    assert set(without) == {"5601", "5603"}
    assert without["5601"]["partner_names"] == [municipality("5603").name]
    outside = {r["county"]: r for r in numbers["outside"]}
    finnmark = municipality("5601").parent.name
    total = Organisation.objects.filter(parent__name=finnmark, kind="municipality").count()
    assert outside[finnmark] == {"county": finnmark, "outside": total - 2, "total": total}
    assert numbers["outside_total"] == numbers["municipality_total"] - 6


def test_the_county_filter_keeps_its_municipalities_and_the_institutions_linked_to_them(
    drammen, usn, skien
):
    buskerud = drammen.parent
    outsider = municipality("4001")  # Porsgrunn, Telemark: shares a partnership with Drammen
    partnership_of("over-grensen", Theme.objects.first(), [drammen, outsider])
    Membership.objects.create(
        partnership=Partnership.objects.get(slug="usn-skien"),
        organisation=outsider,
        role="member_municipality",
    )
    filters = NetworkFilters(county=buskerud)
    graph = build_graph(ANONYMOUS, filters)
    assert graph.has_edge(node(drammen), node(outsider))
    assert not graph.has_edge(node(outsider), node(usn))  # both outside Buskerud
    without = analysis.municipalities_without_institution(graph, filters)
    assert outsider.municipality_number not in {r["data"]["municipality_number"] for r in without}
    assert graph.has_edge(node(drammen), node(usn))
    assert not graph.has_node(node(skien))  # Telemark, linked to Buskerud only through USN
    counties = {
        d["label"]: d["county_number"]
        for _n, d in graph.nodes(data=True)
        if d["kind"] == "municipality"
    }
    assert counties.pop("Porsgrunn") == "40"  # kept for its link to Drammen
    assert counties and set(counties.values()) == {buskerud.county_number}
    for a, b in graph.edges:
        assert buskerud.county_number in (
            graph.nodes[a]["county_number"],
            graph.nodes[b]["county_number"],
        )


def test_the_period_filter_follows_membership_and_activity_dates(
    bridge_theme, make_activity, drammen, skien
):
    bodo, narvik = municipality("1804"), municipality("1806")
    p = partnership_of("tidligere", bridge_theme, [bodo])
    Membership.objects.create(
        partnership=p,
        organisation=narvik,
        role="member_municipality",
        valid_from=date(2010, 1, 1),
        valid_to=date(2015, 6, 30),
    )
    make_activity(
        orgs=[drammen, skien],
        themes=[bridge_theme],
        start_date=date(2018, 3, 1),
        end_date=date(2019, 12, 1),
    )
    make_activity(title="Udatert", orgs=[drammen, bodo], themes=[bridge_theme])

    def edges(**period) -> set[frozenset]:
        graph = build_graph(ANONYMOUS, NetworkFilters(theme=bridge_theme, **period))
        return {frozenset((a, b)) for a, b in graph.edges}

    membership = frozenset((node(bodo), node(narvik)))
    dated = frozenset((node(drammen), node(skien)))
    undated = frozenset((node(drammen), node(bodo)))
    assert edges() == {dated, undated}  # today: the ended membership is history
    assert edges(year_from=2012, year_to=2013) == {membership}
    assert edges(year_from=2016, year_to=2019) == {dated}
    assert edges(year_to=2014) == {membership}
    assert edges(year_from=2020) == set()


def test_anonymous_visitors_get_no_private_activity_or_person(
    drammen, skien, make_activity, reader
):
    hidden = Person.objects.create(
        name="Skjult Person", email="skjult@example.org", is_public=False
    )
    shown = Person.objects.create(name="Synlig Person", email="synlig@example.org")
    make_activity(title="Hemmelig", orgs=[drammen, skien], is_public=False, people=[hidden])
    make_activity(title="Åpent", orgs=[drammen], people=[shown, hidden])
    trashed = make_activity(title="Kastet", orgs=[drammen, skien])
    trashed.move_to_trash(reader)

    anonymous = build_graph(ANONYMOUS, NetworkFilters(people=True))
    assert not anonymous.has_edge(node(drammen), node(skien))
    assert anonymous.has_node(person_id(shown.public_id))
    assert not anonymous.has_node(person_id(hidden.public_id))
    assert anonymous.edges[node(drammen), person_id(shown.public_id)]["activity_titles"] == "Åpent"

    signed_in = build_graph(reader, NetworkFilters(people=True))
    assert signed_in.edges[node(drammen), node(skien)]["activity_titles"] == "Hemmelig"
    assert signed_in.has_edge(person_id(hidden.public_id), person_id(shown.public_id))
    for graph in (anonymous, signed_in):
        for _n, data in graph.nodes(data=True):
            assert "@" not in " ".join(str(v) for v in data.values())


def test_people_are_left_out_unless_asked_for_and_bring_their_affiliations(
    drammen, usn, make_activity
):
    person = Person.objects.create(name="Dobbel Stilling", orcid="0000-0002-1825-0097")
    Affiliation.objects.create(person=person, organisation=usn, title="Førsteamanuensis")
    make_activity(orgs=[drammen], people=[person])
    assert not build_graph(ANONYMOUS).has_node(person_id(person.public_id))
    graph = build_graph(ANONYMOUS, NetworkFilters(people=True))
    me = person_id(person.public_id)
    assert graph.nodes[me]["orcid"] == "0000-0002-1825-0097"
    assert graph.nodes[me]["url"] == person.get_absolute_url()
    assert graph.edges[me, node(usn)]["relation"] == "affiliation"
    assert graph.edges[me, node(drammen)]["relation"] == "activity"
