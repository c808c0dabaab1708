from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from core import bulk
from search.models import SearchDocument
from search.query import ParsedQuery

RESULT_LIMIT = 1000
#: The columns ``insert_documents`` writes, the document's id first.
DOCUMENT_COLUMNS = [
    "id",
    "kind",
    "object_id",
    "title",
    "body",
    "url",
    "title_terms",
    "terms",
    "status",
    "facets",
]


def _insert_sql(table: str, columns: list[str]) -> str:
    """``INSERT INTO table (columns) VALUES (%s, …)``; names from this module only."""
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


class SearchBackend:
    """What each engine provides; documents themselves are ordinary rows."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def create_schema(self, schema_editor) -> None:
        raise NotImplementedError

    def drop_schema(self, schema_editor) -> None:
        raise NotImplementedError

    def search(self, query: ParsedQuery, limit: int = RESULT_LIMIT) -> list[int]:
        """The ids of the documents that match, best first."""
        return [doc_id for doc_id, _kind, _facets in self.matches(query, limit)]

    def matches(self, query: ParsedQuery, limit: int = RESULT_LIMIT) -> list[tuple[int, str, str]]:
        """(id, kind, stored facet values) of the documents that match, best first:
        the facet values come with the ranking, which reads the rows anyway, instead
        of a second query for up to ``limit`` ids (half the search's time)."""
        raise NotImplementedError

    @contextmanager
    def bulk_load(self):
        """Empty the index for a rebuild; the caller inserts every document in the block.

        Run inside a transaction. Backends may switch their per-row upkeep off
        and rebuild the full-text structure once at the end.
        """
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchdocument")
        yield

    def reserve_ids(self, n: int) -> list[int]:
        """``n`` new document ids, for inserting rows with their ids given."""
        return bulk.reserve_ids(SearchDocument, n, self.connection)

    def insert_documents(self, rows: list[tuple]) -> list[int]:
        """Insert documents with one ``executemany``; the new ids.

        ``rows`` are the values of ``DOCUMENT_COLUMNS`` after the id. Much faster
        than building model instances for a whole index (bulk_create).
        """
        ids = self.reserve_ids(len(rows))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                _insert_sql("search_searchdocument", DOCUMENT_COLUMNS),
                [(i, *row) for i, row in zip(ids, rows, strict=True)],
            )
        return ids

    def object_ids_sql(self, query: ParsedQuery, kind: str) -> tuple[str, list]:
        """SQL (and its parameters) selecting the record ids of ``kind`` that match.

        Unranked and unbounded, for use as a subquery (``pk IN (…)``): the
        caller filters, orders and pages the records themselves.
        """
        raise NotImplementedError

    def vocabulary(self, initials: Iterable[str] | None = None) -> list[str]:
        """The stems found in titles (names), for the typo fallback.

        Given ``initials``, only the stems beginning with one of these letters:
        the fallback keeps a word's first letter, and reading one letter's
        names costs a fraction of reading them all.
        """
        raise NotImplementedError
