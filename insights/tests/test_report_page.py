"""/report/ shows the compilation's chapters, charts and map, narrowed on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from core.testing import add_partnerships, query_counts
from insights.tests.report_fixtures import empty_county
from organisations.models import Organisation
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "participants", "anchoring", "initiative", "motor", "timeline", "themes", "results", "profiles",
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
