"""Filtering the activity list and the portfolios; counts by type follow the filters."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def listed(response) -> set[str]:
    return set(
        re.findall(r'<h3><a href="/activities/[^/]+/">([^<]+)</a>', response.content.decode())
    )


@pytest.fixture
def portfolio(make_activity, other_partnership, theme, drammen, skien, usn):
    return {
        "phd": make_activity(
            title="A", activity_type="phd", start_date="2019-08-01", end_date="2023-07-31"
        ),
        "thesis": make_activity(
            title="B",
            activity_type="student_thesis",
            thesis_level="bachelor",
            status="completed",
            themes=[theme],
            start_date="2024-01-10",
            end_date="2024-06-01",
        ),
        "project": make_activity(
            title="C",
            partnerships=[other_partnership],
            professional_owner=skien,
            roles=[(usn, "partner")],
            start_date="2022-01-01",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"A", "B", "C"}),
        ("type=phd", {"A"}),
        ("status=completed", {"B"}),
        ("theme=helse-og-omsorg", {"B"}),
        ("partnership=usn-skien", {"C"}),
        ("organisation=drammen", {"A", "B"}),
        ("organisation=usn", {"C"}),
        ("year=2023", {"A", "C"}),
        ("year=2024", {"B", "C"}),
        ("year=2018", set()),
        ("q=b", {"B"}),
        ("type=research_project&year=2022", {"C"}),
    ],
)
def test_each_filter_narrows_the_list_and_has_its_own_url(client, portfolio, query, expected):
    assert listed(client.get(f"/activities/?{query}")) == expected


def test_counts_by_type_follow_every_filter_but_the_type(client, portfolio):
    response = client.get("/activities/?type=phd&partnership=usn-drammen")
    counts = {row.activity_type: row.count for row in response.context["type_counts"]}
    assert counts == {"phd": 1, "student_thesis": 1}
    assert response.context["counted"] == 2
    assert 'href="?type=student_thesis&amp;partnership=usn-drammen"' in response.content.decode()


def test_the_partnership_portfolio_shows_its_activities_only(client, portfolio):
    response = client.get("/partnerships/usn-drammen/portfolio/?year=2024")
    assert listed(response) == {"B"}
    assert "partnership" not in response.context["filterset"].form.fields
    assert {r.activity_type for r in response.context["type_counts"]} == {"student_thesis"}


def test_the_organisation_portfolio_shows_what_it_owns_or_takes_part_in(client, portfolio):
    assert listed(client.get("/organisations/usn/portfolio/")) == {"C"}
    response = client.get("/organisations/skien/portfolio/?type=research_project")
    assert listed(response) == {"C"}
    assert "organisation" not in response.context["filterset"].form.fields
    # municipalities are also found by their number
    assert listed(client.get("/organisations/3301/portfolio/")) == {"A", "B"}


@pytest.mark.parametrize(
    "query", ["type=galaxy", "year=abc", "year=99999", "organisation=atlantis", "page=-1"]
)
def test_an_unknown_filter_value_says_so_instead_of_failing(client, portfolio, query):
    response = client.get(f"/activities/?{query}")
    assert response.status_code == 200
    if not query.startswith("page"):
        assert 'class="error"' in response.content.decode()


def test_the_list_is_paged(client, make_activity):
    for i in range(55):
        make_activity(title=f"Aktivitet {i:02}")
    first = client.get("/activities/")
    assert len(listed(first)) == 50 and first.context["page"].paginator.count == 55
    assert len(listed(client.get("/activities/?page=2"))) == 5


def test_counts_are_kept_until_an_activity_changes(client, portfolio, make_activity, drammen):
    from tests.support.testing import count_queries

    assert client.get("/activities/").context["counted"] == 3
    # The same page again reads the counts from the cache …
    fresh = count_queries(lambda: client.get("/activities/?status=ongoing"))
    kept = count_queries(lambda: client.get("/activities/?status=ongoing"))
    assert kept < fresh
    # … until an activity is added, changed or moved to the trash.
    make_activity(title="D", activity_type="phd")
    response = client.get("/activities/")
    assert response.context["counted"] == 4
    assert response.context["page"].paginator.count == 4
    portfolio["thesis"].move_to_trash(None)
    response = client.get("/activities/")
    assert response.context["counted"] == 3
    assert {r.activity_type: r.count for r in response.context["type_counts"]} == {
        "phd": 2,
        "research_project": 1,
    }
    assert listed(response) == {"A", "C", "D"}
