"""Bad input never causes a server error: results or a clear message."""

import pytest

from search.tests.conftest import search_ids

pytestmark = pytest.mark.django_db

BAD = [
    "",
    "   ",
    "og i på",
    "x" * 10_000,
    "helse " * 2_000,
    '"helse og omsorg',
    'helse"',
    '"""',
    '" * ( ) : - NEAR OR AND ^',
    "NEAR(helse omsorg, 2)",
    "helse OR",
    "-helse",
    "^helse",
    "title:helse",
    "*",
    "**helse**",
    "'; DROP TABLE search_searchdocument; --",
    "1' OR '1'='1",
    "helse & omsorg | !skole <-> barn :*",
    "🙂🙂🙂",
    "e\u0301\u0301\u0301",
    "\u05e9\u05dc\u05d5\u05dd helse",
    "helse\x00omsorg",
    "\u202ehelse",
    "\ufeff\u200b",
]


@pytest.mark.parametrize("q", BAD)
def test_bad_queries_give_a_page_not_a_server_error(english, q):
    response = english.get("/search/", {"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("q", BAD)
def test_bad_queries_run_in_the_service_without_errors(q):
    search_ids(q)


def test_an_empty_query_shows_the_search_form_only(english):
    response = english.get("/search/")
    assert response.context["results"] == []
    assert response.context["message"] == ""


def test_a_query_of_only_stop_words_gets_a_clear_message(english):
    response = english.get("/search/", {"q": "og i på"})
    assert "no words to look for" in response.context["message"]


def test_a_very_long_query_is_cut_and_says_so(english):
    response = english.get("/search/", {"q": "helse " * 2_000})
    assert "only the first words" in response.context["message"]
    assert response.context["total"] > 0


def test_an_open_quote_still_searches_the_words():
    assert search_ids('"helse og omsorg').ids


def test_sql_fragments_are_searched_as_words_and_harm_nothing():
    from search.models import SearchDocument

    before = SearchDocument.objects.count()
    search_ids("'; DROP TABLE search_searchdocument; --")
    assert SearchDocument.objects.count() == before


def test_facet_values_that_do_not_exist_give_no_results_not_an_error(english):
    response = english.get("/search/", {"q": "helse", "kind": "'; --", "page": "abc"})
    assert response.status_code == 200
    assert response.context["total"] == 0
