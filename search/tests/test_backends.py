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
