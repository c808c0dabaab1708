import pytest

from search.tests.helpers import activity
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db


def test_results_link_to_the_records(english):
    a = activity("Kystkultur i Lofoten")
    response = english.get("/search/", {"q": "kystkultur"})
    assert [r["doc"].url for r in response.context["results"]] == [a.get_absolute_url()]
    assert a.get_absolute_url() in response.content.decode()


def test_facet_links_keep_the_query_and_toggle_the_value(english):
    response = english.get("/search/", {"q": "helse"})
    kind = next(f for f in response.context["facets"] if f["name"] == "kind")
    entry = kind["entries"][0]
    assert entry["url"] == f"?q=helse&kind={entry['value']}"
    narrowed = english.get("/search/" + entry["url"])
    assert narrowed.context["total"] == entry["count"]
    selected = next(f for f in narrowed.context["facets"] if f["name"] == "kind")["entries"][0]
    assert selected["selected"] and selected["url"] == "?q=helse"


def test_results_are_paginated(english):
    for i in range(25):
        activity(f"Kystkultur nummer {i}")
    first = english.get("/search/", {"q": "kystkultur"})
    second = english.get("/search/", {"q": "kystkultur", "page": 2})
    assert first.context["total"] == 25
    assert len(first.context["results"]) == 20
    assert len(second.context["results"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_the_page_takes_a_constant_number_of_queries(english):
    activity("Kystkultur i Lofoten")

    def grow():
        for i in range(30):
            activity(f"Kystkultur nummer {i}", "Kystkultur og sykehjem")

    small, large = query_counts(english, "/search/?q=kystkultur", grow=grow)
    assert small == large


def test_the_typo_fallback_is_told_on_the_page(english):
    response = english.get("/search/", {"q": "Drammenn"})
    assert response.context["corrected"]
    assert 'id="search-corrected"' in response.content.decode()
