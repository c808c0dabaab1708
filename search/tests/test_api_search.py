"""The API's ``search=`` asks the search index: the site search's hits, still
filtered, ordered and paged by cursor as every list is."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.test import APIClient

from activities.models import Activity
from organisations.models import Person
from search.models import SearchDocument
from search.tests.helpers import activity, need
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def generous_rates(settings):
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def homes():
    return [
        activity("Velferdsteknologi i sykehjemmet", "Sensorer om natten.", status="completed"),
        activity("Sykehjemmene i Drammen", "Ernæring og måltider.", status="ongoing"),
        activity("Sykehjem og demens", "Pårørende og ansatte.", status="completed"),
        activity("Hjemmetjenesten i Skien", "Sykehjemsplasser og korttidsopphold."),
        activity("Helsehus i Bergen", "Korttidsplasser."),
    ]


def walk(api, url: str) -> list[dict]:
    rows = []
    while url:
        body = api.get(url).json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def site_hits(client, q: str, kind: str) -> set[int]:
    """Record ids the search page lists for ``q`` (all pages)."""
    from search import service

    ids = service.run(q, {"kind": [kind]}).ids
    assert client.get("/search/", {"q": q, "kind": kind}).status_code == 200
    return set(SearchDocument.objects.filter(pk__in=ids).values_list("object_id", flat=True))


def api_ids(api, url: str, model) -> set[int]:
    keys = {row["public_id"] for row in walk(api, url)}
    return set(model.all_objects.filter(public_id__in=keys).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "q", ["sykehjem", "sykehjemmene", "Sykehjems", '"sykehjem og demens"', "sykehj*"]
)
def test_api_search_finds_what_the_site_search_finds(api, client, homes, q):
    from urllib.parse import quote

    found = api_ids(api, f"/api/activities/?search={quote(q)}&page_size=2", Activity)
    assert found == site_hits(client, q, "activity")
    assert found  # and something was found


def test_every_inflected_form_finds_every_other(api, homes):
    titles = {
        q: {row["title"] for row in walk(api, f"/api/activities/?search={q}")}
        for q in ("sykehjem", "sykehjemmet", "sykehjemmene")
    }
    assert titles["sykehjem"] == titles["sykehjemmet"] == titles["sykehjemmene"]
    assert titles["sykehjem"] == {
        "Velferdsteknologi i sykehjemmet",
        "Sykehjemmene i Drammen",
        "Sykehjem og demens",
    }


def test_search_results_are_still_filtered_ordered_and_paged(api, homes):
    url = "/api/activities/?search=sykehjem&status=completed&ordering=-title&page_size=1"
    rows = walk(api, url)
    assert [r["title"] for r in rows] == ["Velferdsteknologi i sykehjemmet", "Sykehjem og demens"]
    assert {r["status"] for r in rows} == {"completed"}


def test_needs_people_partnerships_and_organisations_are_searched_in_the_index(api):
    need("Rekruttering av sykepleiere", "Vi mangler sykepleiere i hjemmetjenesten.")
    Person.objects.create(name="Sykepleier Sara", is_public=True)
    assert [r["title"] for r in api.get("/api/needs/?search=rekrutteringen").json()["results"]] == [
        "Rekruttering av sykepleiere"
    ]
    assert [r["name"] for r in api.get("/api/people/?search=sara").json()["results"]] == [
        "Sykepleier Sara"
    ]
    slugs = {r["slug"] for r in api.get("/api/organisations/?search=Drammens").json()["results"]}
    assert "drammen" in slugs
    partnerships = api.get("/api/partnerships/?search=drammen").json()["results"]
    assert "usn-drammen" in {r["slug"] for r in partnerships}


def test_lists_of_kinds_not_in_the_index_keep_word_search(api):
    themes = api.get("/api/themes/?search=helse").json()["results"]
    assert themes and all("helse" in (t["name"] + t["slug"]).lower() for t in themes)


def test_a_search_with_no_words_finds_nothing_and_a_blank_one_filters_nothing(api, homes):
    assert api.get("/api/activities/?search=og i på").json()["results"] == []
    assert api.get("/api/activities/?search=%2A%22").json()["results"] == []
    everything = len(walk(api, "/api/activities/?page_size=200"))
    assert len(walk(api, "/api/activities/?search=&page_size=200")) == everything


def test_no_typo_fallback_in_the_api(api, homes):
    assert api.get("/api/activities/?search=Sykehjemn").json()["results"] == []


def test_private_records_are_found_by_signed_in_clients_only(api, homes):
    hidden = activity("Sykehjem i hemmelighet", is_public=False)
    assert not SearchDocument.objects.filter(kind="activity", object_id=hidden.pk).exists()
    anonymous = {r["title"] for r in walk(api, "/api/activities/?search=sykehjemmene")}
    assert "Sykehjem i hemmelighet" not in anonymous
    user = get_user_model().objects.create_user("reader", password="x")  # noqa: S106
    api.force_authenticate(user)
    signed_in = {r["title"] for r in walk(api, "/api/activities/?search=sykehjemmene")}
    assert signed_in == anonymous | {"Sykehjem i hemmelighet"}
    assert "Helsehus i Bergen" not in signed_in


def test_search_queries_do_not_grow_with_the_matches(api, homes):
    url = "/api/activities/?search=sykehjem&page_size=5"
    api.get(url)
    few = count_queries(lambda: api.get(url))
    for i in range(30):
        activity(f"Sykehjemmet nummer {i}", "Velferdsteknologi.")
    assert len(walk(api, url)) == 33
    assert count_queries(lambda: api.get(url)) == few
