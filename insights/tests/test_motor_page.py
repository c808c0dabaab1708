"""/insights/motor-municipalities/: every lead with each criterion and its evidence."""

from __future__ import annotations

import pytest

from core.testing import add_partnerships, query_counts
from insights.rules import motor_assessments
from organisations.models import Organisation
from partnerships.models import Plan

pytestmark = pytest.mark.django_db

URL = "/insights/motor-municipalities/"


def test_it_shows_every_assessed_municipality_with_its_status(client):
    html = client.get(URL).content.decode()
    for a in motor_assessments():
        assert f'id="{a.anchor}"' in html
        assert f'data-organisation="{a.organisation.slug}"' in html
    assert html.count('class="criterion ') == sum(
        len(a.role) + len(a.criteria) for a in motor_assessments()
    )


def test_it_links_the_evidence(client):
    bergen = Organisation.objects.get(municipality_number="4601")
    Plan.objects.create(
        organisation=bergen,
        name="Plan for forskning",
        politically_adopted=True,
        source_url="https://example.org/plan",
    )
    html = client.get(URL).content.decode()
    assert 'href="https://example.org/plan"' in html


def test_it_speaks_english_on_request(client):
    client.cookies["django_language"] = "en"
    html = client.get(URL).content.decode()
    assert "Motor municipalities" in html and "Unknown" in html


def test_the_query_count_does_not_grow_with_the_data(client):
    small, large = query_counts(client, URL, grow=lambda: add_partnerships(10))
    assert small == large
