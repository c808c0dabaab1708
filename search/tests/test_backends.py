import pytest
from django.db import connection

from search.backends import get_backend
from search.backends.postgres import PostgresBackend, tsquery_expression
from search.backends.sqlite import SqliteBackend, match_expression
from search.models import SearchDocument
from search.query import parse
from search.tests.helpers import activity
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
    # A phrase is looked for within the title (A) or within the text (B), as in FTS5.
    assert tsquery_expression(parse('"helse og omsorg" barn* skole')) == (
        "((hels:A <-> omsorg:A) | (hels:B <-> omsorg:B)) & barn:* & skol"
    )


def test_an_empty_query_asks_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert get_backend().search(parse("og i")) == []


def _indexed_terms(document_id: int) -> set[str]:
    """The terms the database's full-text structure holds for one document."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT unnest(tsvector_to_array(search_vector)) FROM search_searchdocument "
                "WHERE id = %s",
                [document_id],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.search_fts_instances USING fts5vocab(main, search_fts, "
            "instance)"
        )
        try:
            cursor.execute(
                "SELECT DISTINCT term FROM temp.search_fts_instances WHERE doc = %s", [document_id]
            )
            return {row[0] for row in cursor.fetchall()}
        finally:
            cursor.execute("DROP TABLE temp.search_fts_instances")


def test_the_database_indexes_the_python_stems_as_they_are():
    """Neither engine stems again: PostgreSQL with the ``simple`` configuration
    (migration search.0003), SQLite's FTS5 with no stemmer."""
    record = activity(
        "Kommunene arrangerte dagene i sykehjemmene", "Brukerne ønsket bedre helsetjenester i Sør."
    )
    document = SearchDocument.objects.get(kind="activity", object_id=record.pk)
    stems = set(document.title_terms.split()) | set(document.terms.split())
    assert {"kommun", "arranger", "sykehjem", "bruk", "helsetjenest", "sør"} <= stems
    assert _indexed_terms(document.pk) == stems


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger")
def test_postgresql_makes_the_vectors_with_the_simple_configuration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'search_document_vector'")
        [(source,)] = cursor.fetchall()
    assert source.count("to_tsvector('simple'") == 2 and "norwegian" not in source
