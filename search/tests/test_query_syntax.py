import pytest

from search.query import parse
from search.tests.conftest import search_ids, titles
from search.tests.helpers import activity

pytestmark = pytest.mark.django_db


def test_a_phrase_matches_the_words_next_to_each_other_only():
    activity("Velferdsteknologi i hjemmetjenesten")
    activity("Hjemmetjenesten og velferdsteknologi")
    found = titles('"velferdsteknologi i hjemmetjenesten"')
    assert found == ["Velferdsteknologi i hjemmetjenesten"]


def test_words_outside_quotes_must_all_occur():
    activity("Velferdsteknologi i Asker")
    activity("Velferdsteknologi i Bærum")
    assert titles("velferdsteknologi bærum") == ["Velferdsteknologi i Bærum"]


def test_a_prefix_query_finds_words_that_begin_with_it():
    activity("Ressursbruk i barnevernet")
    assert "Ressursbruk i barnevernet" in titles("barnev*")


def test_a_small_typo_in_a_name_still_finds_it():
    outcome = search_ids("Drammenn")
    assert outcome.ids
    assert outcome.corrected


def test_a_typo_fallback_is_not_used_when_something_matches():
    assert search_ids("Drammen").corrected == ""


def test_operators_are_read_as_plain_words():
    query = parse("helse OR NEAR(skole) -barn ^omsorg col:val")
    assert [c.stems for c in query.clauses] == [
        ("hels",),
        ("skol",),
        ("barn",),
        ("omsorg",),
        ("col",),
        ("val",),
    ]


def test_results_are_the_same_for_upper_and_lower_case():
    assert search_ids("HELSE").ids == search_ids("helse").ids
