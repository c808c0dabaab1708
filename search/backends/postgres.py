"""PostgreSQL text search: a ``tsvector`` column, a GIN index, the ``norwegian`` configuration.

A trigger fills ``search_vector`` from the Python-stemmed title (weight A) and
text (weight B) with ``to_tsvector('norwegian', …)``; queries go through
``to_tsquery('norwegian', …)``. Both sides are stemmed in Python first (the
same stemmer SQLite uses), so results agree across the two databases; the
norwegian configuration then applies to both sides alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from core.db import copy_rows, copy_sql
from search.backends.base import DOCUMENT_COLUMNS, FACET_COLUMNS, RESULT_LIMIT, SearchBackend
from search.query import ParsedQuery

SCHEMA = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (search_vector)",
    """CREATE FUNCTION search_document_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('norwegian', coalesce(NEW.title_terms, '')), 'A') ||
        setweight(to_tsvector('norwegian', coalesce(NEW.terms, '')), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_document_vector_update BEFORE INSERT OR UPDATE ON search_searchdocument
        FOR EACH ROW EXECUTE FUNCTION search_document_vector()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_document_vector_update ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_vector()",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def tsquery_expression(query: ParsedQuery) -> str:
    """tsquery syntax built only from stems (letters and digits)."""
    parts = []
    for clause in query.clauses:
        if clause.is_phrase:
            parts.append("(" + " <-> ".join(clause.stems) + ")")
        elif clause.prefix:
            parts.append(clause.stems[0] + ":*")
        else:
            parts.append(clause.stems[0])
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    def create_schema(self, schema_editor) -> None:
        for sql in SCHEMA:
            schema_editor.execute(sql)

    def drop_schema(self, schema_editor) -> None:
        for sql in DROP:
            schema_editor.execute(sql)

    @contextmanager
    def bulk_load(self):
        """The index's tables emptied and their plain indexes (the GIN index of the
        vectors among them) dropped, then built once at the end from their own
        definitions: a GIN index built in one pass takes a fraction of the time of
        one kept up row by row. PostgreSQL's DDL is transactional, so a failed
        rebuild leaves everything as it was. DROP INDEX and TRUNCATE lock the
        tables: searches wait until the rebuild commits (about a minute at
        national scale) instead of reading the old index meanwhile.
        """
        tables = ("search_searchfacet", "search_searchdocument")
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(tables)],
            )
            indexes = cursor.fetchall()
            with self._checks_now(cursor):
                for name, _definition in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')  # names from the catalogue
                cursor.execute("TRUNCATE search_searchfacet, search_searchdocument")
        yield
        with self.connection.cursor() as cursor, self._checks_now(cursor):
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)

    @staticmethod
    @contextmanager
    def _checks_now(cursor):
        """Foreign keys checked now rather than at commit: PostgreSQL neither
        truncates nor indexes a table with checks pending. Deferred again after,
        as Django declares them."""
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def reserve_ids(self, n: int) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('search_searchdocument', 'id')) "
                "FROM generate_series(1, %s)",
                [n],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert_documents(self, rows: list[tuple], facets: list[list[tuple]]) -> list[int]:
        """As the base class, through ``COPY``: the rows of a rebuild (265,000
        documents and their facets at national scale) go as two streams per batch
        instead of a statement each. The trigger fills each document's vector."""
        ids = self.reserve_ids(len(rows))
        with self.connection.cursor() as cursor:
            copy_rows(
                cursor,
                copy_sql("search_searchdocument", DOCUMENT_COLUMNS),
                ((i, *row) for i, row in zip(ids, rows, strict=True)),
            )
            copy_rows(
                cursor,
                copy_sql("search_searchfacet", FACET_COLUMNS),
                ((i, *f) for i, doc_facets in zip(ids, facets, strict=True) for f in doc_facets),
            )
        return ids

    def search(self, query: ParsedQuery, limit: int = RESULT_LIMIT) -> list[int]:
        if query.empty:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_searchdocument, to_tsquery('norwegian', %s) AS q "
                "WHERE search_vector @@ q "
                "ORDER BY ts_rank(search_vector, q) DESC, id LIMIT %s",
                [tsquery_expression(query), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def object_ids_sql(self, query: ParsedQuery, kind: str) -> tuple[str, list]:
        return (
            "SELECT object_id FROM search_searchdocument "
            "WHERE search_vector @@ to_tsquery('norwegian', %s) AND kind = %s",
            [tsquery_expression(query), kind],
        )

    def vocabulary(self, initials: Iterable[str] | None = None) -> list[str]:
        with self.connection.cursor() as cursor:
            if initials is None:
                cursor.execute(
                    "SELECT word FROM ts_stat("
                    "'SELECT to_tsvector(''simple'', title_terms) FROM search_searchdocument')"
                )
                return [row[0] for row in cursor.fetchall()]
            letters = sorted({i[:1] for i in initials if i})
            if not letters:
                return []
            # Documents with a title word of these initials, through the GIN index
            # (a prefix of weight A; stemming keeps the first letter), then their
            # title words.
            cursor.execute(
                "SELECT DISTINCT w FROM search_searchdocument d, "
                "unnest(string_to_array(d.title_terms, ' ')) AS w "
                "WHERE d.search_vector @@ to_tsquery('simple', %s) AND left(w, 1) = ANY(%s)",
                [" | ".join(f"{letter}:*A" for letter in letters), letters],
            )
            return [row[0] for row in cursor.fetchall()]
