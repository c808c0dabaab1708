"""/insights/motor-municipalities/: every lead with its verdict, each criterion and its evidence."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from insights.rules import motor_assessments
from organisations.models import Organisation
from partnerships.models import Plan
from tests.support.testing import add_partnerships, query_counts

pytestmark = pytest.mark.django_db

URL = "/insights/motor-municipalities/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def test_it_shows_every_assessed_municipality_with_its_status(client):
    html = client.get(URL).content.decode()
    for a in motor_assessments():
        assert f'id="{a.anchor}"' in html
        assert f'data-organisation="{a.organisation.slug}"' in html
    assert html.count('class="criterion ') == sum(
        len(a.role) + len(a.criteria) for a in motor_assessments()
    )


def test_it_shows_each_verdict_sentence_and_what_decided_each_criterion(client, english):
    html = client.get(URL).content.decode()
    for a in motor_assessments():
        assert escape(a.verdict) in html
        for c in a.role + a.criteria:
            assert escape(c.decided_by) in html
    assert "Motor municipality according to the compilation; KSF criteria: 2 of 3 met" in html


def test_it_cites_the_sources_statements_with_their_address(client, english):
    html = client.get(URL).content.decode()
    for a in motor_assessments():
        for e in a.statements:
            assert escape(e.text) in html
            assert f'<a href="{e.source}">{e.source}</a>' in html


def test_it_links_the_evidence_to_its_source(client):
    bergen = Organisation.objects.get(municipality_number="4601")
    Plan.objects.create(
        organisation=bergen,
        name="Plan for forskning",
        politically_adopted=True,
        source_url="https://example.org/plan",
    )
    html = client.get(URL).content.decode()
    assert 'href="https://example.org/plan"' in html


def test_it_links_the_terms_to_the_concepts_page(client):
    html = client.get(URL).content.decode()
    for anchor in ("motor-municipality", "kinds", "initiative"):
        assert f'href="/concepts/#{anchor}"' in html


def test_it_lists_the_clusters_no_municipality_leads_with_who_leads_them(client):
    html = client.get(URL).content.decode()
    assert 'data-partnership="universitetsregion-nord-gudbrandsdal"' in html
    assert "Regionrådet leder samarbeidet" in html


def test_it_speaks_english_on_request(client, english):
    html = client.get(URL).content.decode()
    assert "Motor municipalities" in html and "Not applicable" in html


def test_the_query_count_does_not_grow_with_the_data(client):
    small, large = query_counts(client, URL, grow=lambda: add_partnerships(10))
    assert small == large
