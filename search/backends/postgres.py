"""PostgreSQL text search: a ``tsvector`` column, a GIN index, the ``simple`` configuration.

Both sides are stemmed in Python (``search.text``, the stemmer SQLite's index
uses too), so the database only splits the stems into lexemes: a trigger fills
``search_vector`` from the stemmed title (weight A) and text (weight B) with
``to_tsvector('simple', …)``, and queries go through ``to_tsquery('simple',
…)``. PostgreSQL's ``norwegian`` configuration, used before, stemmed the
stems again: some words then merged only on PostgreSQL, and the two databases
found different records (migration ``search.0003``).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from core.db import copy_rows, copy_sql
from search.backends.base import DOCUMENT_COLUMNS, RESULT_LIMIT, SearchBackend
from search.query import ParsedQuery


def vector_function_sql(config: str) -> str:
    """``FUNCTION search_document_vector()`` of the trigger, with this configuration."""
    return f"""FUNCTION search_document_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('{config}', coalesce(NEW.title_terms, '')), 'A') ||
        setweight(to_tsvector('{config}', coalesce(NEW.terms, '')), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql"""


SCHEMA = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (search_vector)",
    "CREATE " + vector_function_sql("simple"),
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
    """tsquery syntax built only from stems (letters and digits).

    A phrase is looked for in the title (weight A) or in the text (weight B),
    as FTS5 looks in one column at a time: the vector of a document is the
    title's followed by the text's, and a bare ``a <-> b`` would also match
    the title's last word followed by the text's first.
    """
    parts = []
    for clause in query.clauses:
        if clause.is_phrase:
            within = [" <-> ".join(f"{s}:{weight}" for s in clause.stems) for weight in "AB"]
            parts.append("((" + ") | (".join(within) + "))")
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
        """The index's table emptied and its plain indexes (the GIN index of the
        vectors among them) dropped, then made once at the end from their own
        definitions: a GIN index built in one pass takes a fraction of the time of
        one kept up row by row. PostgreSQL's DDL is transactional, so a failed
        rebuild leaves everything as it was. DROP INDEX and TRUNCATE lock the
        table: searches wait until the rebuild commits (under a minute at
        national scale) instead of reading the old index meanwhile.
        """
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = 'search_searchdocument' "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
            indexes = cursor.fetchall()
            with self._checks_now(cursor):
                for name, _definition in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')  # names from the catalogue
                cursor.execute("TRUNCATE search_searchdocument")
        with _Writer(self) as writer:
            self._writer = writer
            try:
                yield
            finally:
                self._writer = None
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

    _writer: _Writer | None = None

    def insert_documents(self, rows: list[tuple]) -> list[int] | None:
        """As the base class, through ``COPY``: the rows of a rebuild (265,000
        documents at national scale) go as one stream per batch instead of a
        statement each. The trigger fills each document's vector.

        During a rebuild (``bulk_load``) the batch is handed to a writing thread
        and None returned: the next batch is built while PostgreSQL stores this one.
        """
        if self._writer is not None:
            self._writer.put(rows)
            return None
        return self._copy(rows)

    def _copy(self, rows: list[tuple]) -> list[int]:
        ids = self.reserve_ids(len(rows))
        with self.connection.cursor() as cursor:
            copy_rows(
                cursor,
                copy_sql("search_searchdocument", DOCUMENT_COLUMNS),
                ((i, *row) for i, row in zip(ids, rows, strict=True)),
            )
        return ids

    def matches(self, query: ParsedQuery, limit: int = RESULT_LIMIT) -> list[tuple[int, str, str]]:
        if query.empty:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, kind, facets FROM search_searchdocument, "
                "to_tsquery('simple', %s) AS q WHERE search_vector @@ q "
                "ORDER BY ts_rank(search_vector, q) DESC, id LIMIT %s",
                [tsquery_expression(query), limit],
            )
            return cursor.fetchall()

    def object_ids_sql(self, query: ParsedQuery, kind: str) -> tuple[str, list]:
        return (
            "SELECT object_id FROM search_searchdocument "
            "WHERE search_vector @@ to_tsquery('simple', %s) AND kind = %s",
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


class _Writer:
    """A thread that sends the batches of a rebuild to PostgreSQL, one at a time,
    on the rebuild's own connection and so in its transaction.

    A batch waits in a queue of one while the thread stores the one before: the
    rebuild reads and stems records (Python) while PostgreSQL stores documents and
    computes their vectors, where it used to wait for each batch. psycopg lets one
    thread use a connection at a time, so a query of the rebuild waits for a batch
    being stored. A failure in the thread is raised in the rebuild at its next
    batch or at the end, and the transaction is rolled back as ever.
    """

    def __init__(self, backend: PostgresBackend) -> None:
        self.backend = backend
        self.batches: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="search-writer", daemon=True)

    def __enter__(self) -> _Writer:
        self.backend.connection.inc_thread_sharing()
        self.thread.start()
        return self

    def put(self, rows: list[tuple]) -> None:
        self._raise()
        self.batches.put(rows)

    def __exit__(self, kind, error, traceback) -> None:
        self.batches.put(None)
        self.thread.join()
        self.backend.connection.dec_thread_sharing()
        if error is None:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (batch := self.batches.get()) is not None:
            if self.error is None:
                try:
                    self.backend._copy(batch)
                except BaseException as error:  # noqa: BLE001 (raised in the rebuild)
                    self.error = error
