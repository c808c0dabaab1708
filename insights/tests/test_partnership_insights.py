"""The partnership page shows its gaps, suggested maturity and its lead's assessment."""

from __future__ import annotations

import pytest

from core.testing import add_partnerships, query_counts

from .helpers import bare_partnership

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_insights_sections(client):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    assert 'id="insights-gaps"' in html
    assert 'id="insights-maturity"' in html
    assert 'href="/insights/motor-municipalities/#org-' in html


def test_a_partnership_with_nothing_recorded_says_not_recorded_and_does_not_fail(client):
    client.cookies["django_language"] = "en"
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
