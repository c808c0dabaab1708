"""The partnership page shows its gaps, suggested maturity and its lead's assessment."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from insights.rules import motor_assessment
from organisations.models import Organisation
from tests.support.testing import add_partnerships, query_counts

from .helpers import bare_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def test_the_profile_shows_the_insights_sections(client, english):
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    assert 'id="insights-gaps"' in html
    assert 'id="insights-maturity"' in html
    assert 'href="/insights/motor-municipalities/#org-' in html


def test_the_profile_shows_the_leads_verdict_and_the_sources_statement(client, english):
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    a = motor_assessment(Organisation.objects.get(municipality_number="4601"))
    assert escape(a.verdict) in html
    assert a.verdict.startswith("Motor municipality according to the compilation")
    assert f'<a href="{a.statements[0].source}">' in html


def test_the_profile_says_what_decided_the_maturity_and_links_the_terms(client, english):
    html = client.get("/partnerships/universitetskommunen-trondheim-trd3-0/").content.decode()
    assert "Stated by the sources: 3.0. A stated level wins over the suggestion." in html
    for anchor in ("maturity", "anchoring", "motor-municipality"):
        assert f'href="/concepts/#{anchor}"' in html


def test_a_cluster_without_a_lead_municipality_says_who_leads_it(client, english):
    html = client.get("/partnerships/universitetsregion-nord-gudbrandsdal/").content.decode()
    assert "No lead municipality recorded. Ingen kommune er utpekt som motorkommune." in html


def test_a_partnership_with_nothing_recorded_says_not_recorded_and_does_not_fail(client, english):
    bare_partnership("nothing-here")
    response = client.get("/partnerships/nothing-here/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No anchoring recorded" in html
    assert "not recorded" in html
    assert "No lead municipality recorded." in html


def test_the_profile_query_count_does_not_grow_with_the_data(client):
    url = "/partnerships/usn-drammen/"
    small, large = query_counts(client, url, grow=lambda: add_partnerships(10))
    assert small == large
