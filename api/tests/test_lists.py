"""Lists: cursor pages that walk the whole list, filters, search and ordering."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from activities.models import Activity
from organisations.models import Organisation
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db


def walk(api, url: str) -> list[dict]:
    rows = []
    while url:
        body = api.get(url).json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def test_following_next_visits_every_row_once(api):
    everyone = walk(api, "/api/organisations/?page_size=37")
    slugs = [row["slug"] for row in everyone]
    assert len(slugs) == len(set(slugs)) == Organisation.objects.count()


def test_ordering_by_a_field_with_equal_values_still_visits_every_row(api, partnership):
    for _ in range(25):
        activity = Activity.objects.create(title="Same title", activity_type="network")
        activity.partnerships.add(partnership)
    rows = walk(api, "/api/activities/?ordering=-title&page_size=4")
    assert len({row["public_id"] for row in rows}) == 25


def test_a_deep_page_costs_what_the_first_page_costs(api):
    first = "/api/organisations/?page_size=5"
    url = first
    for _ in range(40):
        url = api.get(url).json()["next"]

    def fresh(address):
        cache.clear()  # the kept reads (api.caching) would answer both at once
        return api.get(address)

    assert count_queries(lambda: fresh(url)) == count_queries(lambda: fresh(first))


def test_filters_search_and_ordering(api, partnership, other_partnership, theme):
    drammen_only = api.get("/api/memberships/?partnership=usn-drammen&current=true").json()
    assert {row["partnership"] for row in drammen_only["results"]} == {"usn-drammen"}
    assert (
        api.get("/api/memberships/?partnership=usn-drammen&current=false").json()["results"] == []
    )
    names = [p["name"] for p in api.get("/api/partnerships/?ordering=-name").json()["results"]]
    assert names == sorted(names, reverse=True)
    found = api.get("/api/organisations/?search=Drammen").json()["results"]
    assert "drammen" in {row["slug"] for row in found}
    municipalities = api.get("/api/organisations/?kind=municipality&page_size=200").json()
    assert {row["kind"] for row in municipalities["results"]} == {"municipality"}
    assert len(municipalities["results"]) == 200 and municipalities["next"]
