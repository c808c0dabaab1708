"""/report/ shows the compilation's chapters, charts and map, narrowed on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from insights.tests.report_fixtures import empty_county
from organisations.models import Organisation
from partnerships.models import Partnership
from tests.support.testing import add_partnerships, query_counts

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "findings", "participants", "anchoring", "initiative", "motor", "timeline", "themes",
    "results", "profiles",
]  # fmt: skip


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]+)<', html).group(1)


def test_it_shows_every_chapter_with_computed_figures(english):
    response = english.get("/report/")
    html = response.content.decode()
    assert response.status_code == 200
    for key in CHAPTERS:
        assert f'id="{key}-heading"' in html
    assert figure(html, "partnerships") == str(Partnership.objects.count())
    assert "Who took the initiative" in html
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/report\.css"', html)


def test_it_states_the_findings_and_the_vintage(english):
    html = english.get("/report/").content.decode()
    assert "recorded for 8 of 15 partnerships" in html
    assert "Most partnerships were started by the municipality or by both parties together: " in (
        html
    )
    assert "Of the 10 partnerships with a formal agreement dated up to 2021, 10 made it" in html
    assert "and 5 of them in the pandemic years 2020–2021" in html
    assert "2015 (Kunnskapskommunen Helse Omsorg Vest) and 2012" in html
    assert "The facts hold as of 2021, when the compilation was made, for 14 of 15" in html
    assert "Kongsvinger universitetskommune (2022)" in html


def test_counts_show_the_stated_number_with_how_many_are_named(english):
    html = english.get("/report/").content.decode()
    assert figure(html, "municipalities") == "29"
    assert figure(html, "municipalities-stated") == "34"
    assert "6, 1 named" in html
    assert "Kunnskapskommunen HelseOmsorg Nord has 6 municipalities, 1 named" in html


def test_dates_ages_and_results_are_shown_as_the_sources_give_them(english):
    html = english.get("/report/").content.decode()
    assert "tidlig 2000-tall (2000–2004), about 22–26 years" in html  # the profile
    assert "123 knowledge needs submitted" in html
    assert "96 ongoing research collaborations" in html
    assert "Sum of stated counts" not in html
    assert "Agreement ran out in 2024; no later agreement recorded" in html  # Kongsvinger
    assert "Active, last confirmed 2021" in html


def test_terms_link_to_the_concepts_page(client):
    html = client.get("/report/").content.decode()
    for anchor in ("anchoring", "initiative", "motor-municipality", "kinds", "roots"):
        assert f'href="/concepts/#{anchor}"' in html


def test_the_print_stylesheet_is_served_by_the_app():
    path = finders.find("css/report.css")
    assert path and "@media print" in Path(path).read_text(encoding="utf-8")


def test_charts_and_map_come_with_text_alternatives(client):
    html = client.get("/report/").content.decode()
    assert html.count('role="img"') >= 5
    assert '<table class="visually-hidden">' in html
    assert '<g class="members">' in html
    assert '<details class="map-list">' in html


def test_a_county_narrows_the_page_and_the_map(client):
    county = Organisation.objects.get(municipality_number="4601").parent
    html = client.get("/report/", {"county": county.slug}).content.decode()
    members = html[html.index('<g class="members">') :]
    members = members[: members.index("</g>")]
    assert "kunnskapskommunen-helseomsorg-vest" in html
    assert 'id="profile-usn-drammen"' not in html
    assert (
        members.count("<a ")
        < Organisation.objects.filter(kind="municipality", memberships__valid_to=None)
        .distinct()
        .count()
    )


def test_one_partnership_narrows_the_page(client, partnership):
    html = client.get("/report/", {"partnership": partnership.slug}).content.decode()
    assert figure(html, "partnerships") == "1"
    assert html.count('class="report-profile"') == 1


def test_an_empty_county_says_there_is_nothing_recorded(english):
    response = english.get("/report/", {"county": empty_county().slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, "partnerships") == "0"
    assert figure(html, "population") == "not recorded"
    assert "No partnerships" in html


@pytest.mark.parametrize("query", [{"county": "nowhere"}, {"partnership": "<script>"}])
def test_an_unknown_slug_answers_404(client, query):
    assert client.get("/report/", query).status_code == 404


def test_the_query_count_does_not_grow_with_the_data(client):
    small, large = query_counts(client, "/report/", grow=lambda: add_partnerships(12))
    assert small == large
