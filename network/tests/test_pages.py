"""The network page and its exports: filters, odd query strings, downloads, accessibility."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest

from core.tests.test_accessibility import parse
from organisations.models import Person
from tests.support.testing import add_partnerships, get_ok, query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def organisations_shown(response) -> int:
    return response.context["page"]["numbers"]["summary"]["organisations"]


def test_the_page_shows_figures_drawing_and_tables(english, usn):
    response = get_ok(english, "/network/")
    html = response.content.decode()
    assert organisations_shown(response) > 20
    assert 'href="/organisations/usn/"' in html
    assert "<title>Universitetet i Sørøst-Norge (University): " in html or usn.name in html
    # a group, not an image: its shapes are links (axe: nested-interactive)
    svg = r'<svg viewBox="0 0 \d+ \d+" role="group" aria-labelledby="network-title'
    assert re.search(svg, html)
    assert '<desc id="network-desc">' in html
    assert 'href="/network.graphml"' in html and 'href="/network.gexf"' in html
    assert "Municipalities with no collaboration recorded" in html


def test_the_bridge_institution_is_named_as_splitting_the_network(english, bridge):
    html = get_ok(english, "/network/?theme=bro").content.decode()
    assert re.search(
        r"Removing <a href=\"/organisations/nord-institutt/\">Nord institutt</a> splits its "
        r"group of 5 into 2 parts",
        html,
    )
    section = html.split('id="without-heading"')[1].split("</section>")[0]
    assert '<a href="/organisations/5601/">Alta</a>' in section
    assert "Bodø" not in section


@pytest.mark.parametrize(
    "query, message",
    [
        ("theme=finnes-ikke", "There is no theme “finnes-ikke”; the theme filter is ignored."),
        ("county=99", "There is no county “99”; the county filter is ignored."),
        ("year_from=tjue", "Enter a year such as 2020; this filter is ignored."),
        ("year_to=99999999999999999999", "Enter a year up to 2100; this filter is ignored."),
        (
            "year_from=2020&year_to=2010",
            "The last year is before the first; the period is ignored.",
        ),
    ],
)
def test_odd_query_strings_are_reported_and_ignored(english, query, message):
    plain = organisations_shown(get_ok(english, "/network/"))
    response = get_ok(english, f"/network/?{query}")
    assert message in response.content.decode()
    assert organisations_shown(response) == plain
    for export in ("/network.graphml", "/network.gexf", "/network-kumu.xlsx"):
        assert english.get(f"{export}?{query}").status_code == 200


def test_valid_filters_still_apply_beside_a_bad_one(english, bridge):
    response = get_ok(english, "/network/?theme=bro&year_from=abc&people=yes&county=")
    assert organisations_shown(response) == 7


def test_graphml_export_reads_back_with_its_attributes(client, bridge, drammen, usn):
    response = get_ok(client, "/network.graphml?theme=bro")
    assert response["Content-Type"].startswith("application/graphml+xml")
    assert response["Content-Disposition"] == 'attachment; filename="unikom-network.graphml"'
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 7
    hub = graph.nodes["org:nord-institutt"]
    assert hub["kind"] == "research_institute" and hub["label"] == "Nord institutt"
    assert hub["url"] == "http://testserver/organisations/nord-institutt/"
    edge = graph.edges["org:nord-institutt", "org:bodo"]
    assert edge["partnership_names"] == "Bro Vest" and edge["weight"] == 1


def test_gexf_export_reads_back_and_honours_the_filters(client, drammen, usn):
    response = get_ok(client, "/network.gexf?county=33")
    assert response["Content-Type"].startswith("application/gexf+xml")
    assert response["Content-Disposition"] == 'attachment; filename="unikom-network.gexf"'
    graph = nx.read_gexf(io.BytesIO(response.content))
    assert graph.has_edge("org:drammen", "org:usn")
    assert "org:skien" not in graph
    assert graph.nodes["org:drammen"]["municipality_number"] == "3301"
    assert graph.nodes["org:drammen"]["county_number"] == "33"


def test_exports_leave_out_private_people_for_visitors(client, reader, drammen):
    from activities.models import Activity, ActivityPerson

    activity = Activity.objects.create(
        title="Prosjekt", activity_type="research_project", professional_owner=drammen
    )
    hidden = Person.objects.create(name="Skjult", email="skjult@example.org", is_public=False)
    ActivityPerson.objects.create(activity=activity, person=hidden, role="contact")
    anonymous = client.get("/network.gexf?people=on").content.decode()
    assert "Skjult" not in anonymous and "skjult@example.org" not in anonymous
    client.force_login(reader)
    signed_in = client.get("/network.gexf?people=on").content.decode()
    assert "Skjult" in signed_in and "skjult@example.org" not in signed_in


def test_kumu_workbook_has_elements_and_connections_sheets(client, bridge, drammen):
    from openpyxl import load_workbook

    from activities.models import Activity, ActivityOrganisation

    activity = Activity.objects.create(
        title='=HYPERLINK("https://example.org")',
        activity_type="network",
        professional_owner=drammen,
    )
    activity.themes.add(bridge.memberships.first().partnership.themes.first())
    ActivityOrganisation.objects.create(activity=activity, organisation=bridge, role="partner")
    response = get_ok(client, "/network-kumu.xlsx?theme=bro")
    assert response["Content-Disposition"] == 'attachment; filename="unikom-network-kumu.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    elements = list(book["Elements"].values)
    connections = list(book["Connections"].values)
    assert elements[0][:3] == ("ID", "Label", "Type")
    assert connections[0][:4] == ("From", "To", "Type", "Strength")
    assert len(elements) == 1 + 8 and len(connections) == 1 + 8
    hub = next(row for row in elements if row[0] == "org:nord-institutt")
    assert hub[1:3] == ("Nord institutt", "knowledge")
    link = next(r for r in connections if {r[0], r[1]} == {"org:drammen", "org:nord-institutt"})
    assert link[2:4] == ("activity", 1)
    assert link[-1] == '\'=HYPERLINK("https://example.org")'  # shown as text, never run


def grow():
    from activities.models import Activity, ActivityOrganisation, ActivityPerson

    partnerships = add_partnerships(6)
    for p in partnerships:
        activity = Activity.objects.create(title=f"Prosjekt {p.pk}", activity_type="network")
        for m in p.memberships.all():
            ActivityOrganisation.objects.create(
                activity=activity, organisation=m.organisation, role="partner"
            )
        person = Person.objects.create(name=f"Person {p.pk}")
        ActivityPerson.objects.create(activity=activity, person=person, role="contact")


@pytest.mark.parametrize(
    "url",
    [
        "/network/",
        "/network/?people=on&county=33&theme=helse-og-omsorg&year_from=2000&year_to=2030",
        "/network.graphml?people=on",
        "/network.gexf",
        "/network-kumu.xlsx?theme=helse-og-omsorg",
    ],
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_query_count_does_not_grow_with_the_network(client, reader, url, signed_in):
    if signed_in:
        client.force_login(reader)
    small, large = query_counts(client, url, grow=grow)
    assert small == large


@pytest.mark.parametrize("url", ["/network/", "/network/?people=on&theme=nope&year_to=x"])
def test_structure_labels_and_graphics(client, url):
    page = parse(client, url)
    names = [t for t, _a in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1
    labelled = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag in ("input", "select") and attrs.get("type") not in ("hidden", "submit"):
            assert attrs.get("id") in labelled or attrs.get("aria-label"), attrs
        if tag == "svg":
            assert attrs.get("aria-hidden") == "true" or (
                attrs.get("role") in ("img", "group") and attrs.get("aria-labelledby")
            ), attrs
