import pytest
from django.db import connection

from search.backends import get_backend
from search.backends.postgres import PostgresBackend, tsquery_expression
from search.backends.sqlite import SqliteBackend, match_expression
from search.query import parse
from search.text import stem

pytestmark = pytest.mark.django_db


def test_the_backend_follows_the_database_vendor():
    expected = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}[connection.vendor]
    assert isinstance(get_backend(), expected)


def test_the_vocabulary_holds_stemmed_name_words():
    assert stem("drammen") in get_backend().vocabulary()


def test_the_typo_fallback_reads_only_the_names_of_the_first_letters():
    everything = get_backend().vocabulary()
    some = get_backend().vocabulary({"d", "s"})
    assert stem("drammen") in some and stem("skien") in some
    assert set(some) == {w for w in everything if w[:1] in {"d", "s"}}
    assert get_backend().vocabulary(set()) == []
    # Æ, ø and å are letters of their own.
    assert all(w.startswith("ø") for w in get_backend().vocabulary({"ø"}))


def test_a_query_without_long_words_skips_the_vocabulary(django_assert_num_queries):
    from search import service

    with django_assert_num_queries(1):  # the search; nothing to correct
        assert service.run("zq xv").ids == []


def test_fts5_expressions_quote_every_stem():
    assert match_expression(parse('"helse og omsorg" barn* skole')) == (
        '"hels omsorg" AND "barn"* AND "skol"'
    )


def test_tsquery_expressions_use_phrase_and_prefix_operators():
    assert tsquery_expression(parse('"helse og omsorg" barn* skole')) == (
        "(hels <-> omsorg) & barn:* & skol"
    )


def test_an_empty_query_asks_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert get_backend().search(parse("og i")) == []
