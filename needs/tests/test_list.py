"""The public list of needs: open ones by default, filterable, constant queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from needs import views
from organisations.models import Organisation
from partnerships.models import Theme
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db

LIST = "/research-needs/"


def titles(client, query: str = "") -> set[str]:
    html = client.get(LIST + query).content.decode()
    return set(re.findall(r'<h3><a href="/research-needs/[^/]+/">([^<]+)</a></h3>', html))


@pytest.fixture
def needs(make_need, other_partnership, skien, theme):
    today = timezone.localdate()
    make_need(title="Åpen", service_area=theme, suited_for=["thesis"])
    make_need(title="I dialog", status="in_dialogue", suited_for=["phd"])
    make_need(title="Lukket", status="closed", deadline=today - timedelta(days=5))
    make_need(
        title="Skien",
        organisation=skien,
        partnership=other_partnership,
        suited_for=["phd", "innovation"],
        deadline=today + timedelta(days=5),
    )
    make_need(
        title="Utløpt",
        deadline=today - timedelta(days=1),
        partnership=None,
        suited_for=["project"],
    )


def test_open_needs_are_listed_by_default(client, needs):
    assert titles(client) == {"Åpen", "Skien", "Utløpt"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=closed", {"Lukket"}),
        ("?status=in_dialogue", {"I dialog"}),
        ("?status=any", {"Åpen", "I dialog", "Lukket", "Skien", "Utløpt"}),
        ("?status=any&suited_for=phd", {"I dialog", "Skien"}),
        ("?suited_for=thesis", {"Åpen"}),
        ("?service_area=helse-og-omsorg", {"Åpen"}),
        ("?organisation=skien", {"Skien"}),
        ("?partnership=usn-skien", {"Skien"}),
        ("?partnership=usn-drammen&status=any", {"Åpen", "I dialog", "Lukket"}),
        ("?county=telemark", {"Skien"}),
        ("?county=buskerud", {"Åpen", "Utløpt"}),
        ("?deadline=passed&status=any", {"Lukket", "Utløpt"}),
        ("?deadline=not_passed", {"Åpen", "Skien"}),
        ("?q=skien", {"Skien"}),
    ],
)
def test_filters(client, needs, query, expected):
    assert titles(client, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?status=forgotten",
        "?status=",
        "?county=%00",
        "?suited_for=%3Cscript%3E",
        "?page=x",
        "?organisation=no-such-org",
        "?q=" + "x" * 5000,
        "?deadline=soon",
    ],
)
def test_made_up_filter_values_fall_back_to_open_needs(client, needs, query):
    response = client.get(LIST + query)
    assert response.status_code == 200
    if "status" in query or "page" in query:
        assert titles(client, query) == {"Åpen", "Skien", "Utløpt"}


def test_a_county_filter_covers_city_districts(client, make_need):
    district = (
        Organisation.objects.filter(district_number__isnull=False)
        .select_related("parent__parent")
        .first()
    )
    if district is None or district.parent is None or district.parent.parent is None:
        pytest.skip("no city districts in the reference data")
    make_need(title="Bydel", organisation=district, partnership=None)
    assert titles(client, f"?county={district.parent.parent.slug}") == {"Bydel"}


def test_the_list_takes_the_same_number_of_queries_for_more_needs(
    client, make_need, reader, other_partnership, skien, contact
):
    client.force_login(reader)
    make_need(service_area=Theme.objects.first(), contact=contact)

    def grow():
        themes = list(Theme.objects.all())
        for i in range(20):
            make_need(
                title=f"Behov {i}",
                service_area=themes[i % len(themes)],
                organisation=skien if i % 2 else contact.affiliations.first().organisation,
                partnership=other_partnership if i % 3 else None,
                contact=contact,
            )

    small, large = query_counts(client, LIST + "?status=any", grow=grow)
    assert small == large


def test_long_lists_are_split_into_pages_that_keep_the_filters(client, make_need, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        make_need(title=f"Behov {i}", suited_for=["phd"])
    make_need(title="Annet", suited_for=["thesis"])
    first = client.get(LIST + "?suited_for=phd").content.decode()
    assert 'href="?suited_for=phd&amp;page=2"' in first
    assert len(titles(client, "?suited_for=phd&page=3")) == 1
    assert titles(client, "?suited_for=phd&page=99") == titles(client, "?suited_for=phd&page=3")
