"""The typo fallback: the closest name (rapidfuzz), from names kept until the index changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import service
from search.tests.helpers import activity
from search.text import stem

pytestmark = pytest.mark.django_db


def _name_reads(queries) -> int:
    """How many of these queries read the indexed names (SearchBackend.vocabulary)."""
    marks = ("search_fts_vocab", "string_to_array(d.title_terms")
    return sum(any(mark in q["sql"] for mark in marks) for q in queries)


def test_the_names_are_read_once_then_kept():
    activity("Kvalsundvika havneprosjekt")
    with CaptureQueriesContext(connection) as first:
        outcome = service.run("Kvalsundvka")
    assert outcome.corrected == stem("kvalsundvika") and outcome.ids
    # The search, the names beginning with "k", the corrected search.
    assert (len(first.captured_queries), _name_reads(first.captured_queries)) == (3, 1)
    with CaptureQueriesContext(connection) as second:
        assert service.run("Kvalsundvka").corrected == outcome.corrected
    assert (len(second.captured_queries), _name_reads(second.captured_queries)) == (2, 0)


def test_names_of_several_letters_are_read_in_one_query(django_assert_num_queries):
    activity("Kvalsundvika havneprosjekt", "Ny kai i Hammarfjord.")
    # Nothing matches both; the names of "k" and "h" come in one query.
    with django_assert_num_queries(3):
        service.run("Kvalsundvka Hxmmerfest")


def test_a_change_of_the_index_forgets_the_names_kept():
    assert service.run("Kvalsundvka").corrected == ""  # no such name yet; the names are kept
    activity("Kvalsundvika havneprosjekt")
    assert service.run("Kvalsundvka").corrected == stem("kvalsundvika")


def test_a_word_far_from_every_name_is_left_as_it_is():
    activity("Kvalsundvika havneprosjekt")
    outcome = service.run("Kxqzwvbj")
    assert (outcome.corrected, outcome.ids) == ("", [])


def test_the_closest_name_wins():
    activity("Kvalsundvika havneprosjekt")
    activity("Kvalsunddalen skole")
    assert service.run("Kvalsunddalan").corrected == stem("kvalsunddalen")
