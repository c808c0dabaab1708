import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import service, views
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


def results_section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="facet-heading"') : html.index("</section>\n")]


def test_a_kept_page_of_results_is_drawn_again_when_the_data_changes(english):
    activity("Kystkultur i Lofoten")
    first = english.get("/search/", {"q": "kystkultur"})
    assert first.context["total"] == 1
    with CaptureQueriesContext(connection) as kept:
        again = english.get("/search/", {"q": "kystkultur"})
    assert results_section(again) == results_section(first)
    assert not any("search_fts" in q["sql"] or "search_vector" in q["sql"] for q in kept)

    added = activity("Kystkultur i Vesterålen")
    changed = english.get("/search/", {"q": "kystkultur"})
    assert changed.context["total"] == 2
    assert added.get_absolute_url() in changed.content.decode()


def test_more_matches_than_are_ranked_are_told_not_miscounted(english, monkeypatch):
    monkeypatch.setattr(service, "RESULT_LIMIT", 3)
    monkeypatch.setattr(views, "RESULT_LIMIT", 3)
    for i in range(5):
        activity(f"Kystkultur nummer {i}")
    page = english.get("/search/", {"q": "kystkultur"})
    html = page.content.decode()
    assert page.context["total"] == 3 and page.context["capped"]
    assert "More than 3 results" in html and 'id="search-capped"' in html
    assert " 3 results" not in html.replace("More than 3 results", "")

    narrowed = english.get("/search/", {"q": "kystkultur", "kind": "activity"})
    assert "3 results among the best 3" in narrowed.content.decode()

    monkeypatch.setattr(service, "RESULT_LIMIT", 5)
    monkeypatch.setattr(views, "RESULT_LIMIT", 5)
    exact = english.get("/search/", {"q": "kystkultur", "page": "1"})
    assert not exact.context["capped"] and "5 results" in exact.content.decode()
    assert 'id="search-capped"' not in exact.content.decode()
