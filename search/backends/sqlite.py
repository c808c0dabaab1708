"""SQLite FTS5: an external-content virtual table kept in step by triggers.

The tokenizer is ``unicode61 remove_diacritics 0`` so that æ, ø and å stay
letters of their own ("sør" is not "sor"); the text indexed is already
stemmed in Python (search.text), as is every query.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from search.backends.base import RESULT_LIMIT, SearchBackend
from search.query import ParsedQuery

TRIGGERS = [
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_terms, terms)
        VALUES (new.id, new.title_terms, new.terms); END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms); END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
        INSERT INTO search_fts(rowid, title_terms, terms)
        VALUES (new.id, new.title_terms, new.terms); END""",
]
SCHEMA = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, terms, content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'col')",
    *TRIGGERS,
]
DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
]
DROP = [
    *DROP_TRIGGERS,
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]


def match_expression(query: ParsedQuery) -> str:
    """FTS5 syntax built only from stems (letters and digits), each quoted."""
    parts = []
    for clause in query.clauses:
        quoted = '"' + " ".join(clause.stems) + '"'
        parts.append(quoted + "*" if clause.prefix else quoted)
    return " AND ".join(parts)


class SqliteBackend(SearchBackend):
    def create_schema(self, schema_editor) -> None:
        for sql in SCHEMA:
            schema_editor.execute(sql)

    def drop_schema(self, schema_editor) -> None:
        for sql in DROP:
            schema_editor.execute(sql)

    @contextmanager
    def bulk_load(self):
        """Without the triggers, so rows go in at bulk speed; then one FTS5 'rebuild'.

        The triggers and the tables' plain indexes are dropped and created
        again inside the caller's transaction (SQLite's schema changes are
        transactional), so a failed rebuild leaves them as they were.
        """
        with self.connection.cursor() as cursor:
            for sql in DROP_TRIGGERS:
                cursor.execute(sql)
            # The plain indexes too (not those of constraints): built once at the
            # end instead of row by row, from their own definitions.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name = 'search_searchdocument'"
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("DELETE FROM search_searchdocument")
        yield
        with self.connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
            for sql in TRIGGERS:
                cursor.execute(sql)
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    def matches(self, query: ParsedQuery, limit: int = RESULT_LIMIT) -> list[tuple[int, str, str]]:
        if query.empty:
            return []
        with self.connection.cursor() as cursor:
            # Ranked in the full-text index first; only the best are looked up.
            cursor.execute(
                "SELECT d.id, d.kind, d.facets FROM (SELECT rowid AS id, "
                "bm25(search_fts, 4.0, 1.0) AS rank FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rank, rowid LIMIT %s) best "
                "JOIN search_searchdocument d ON d.id = best.id ORDER BY best.rank, best.id",
                [match_expression(query), limit],
            )
            return cursor.fetchall()

    def object_ids_sql(self, query: ParsedQuery, kind: str) -> tuple[str, list]:
        return (
            "SELECT d.object_id FROM search_fts "
            "JOIN search_searchdocument d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND d.kind = %s",
            [match_expression(query), kind],
        )

    def vocabulary(self, initials: Iterable[str] | None = None) -> list[str]:
        sql = "SELECT term FROM search_fts_vocab WHERE col = 'title_terms'"
        params: list[str] = []
        if initials is not None:
            # One term range per letter; fts5vocab then reads only those terms.
            letters = sorted({i[:1] for i in initials if i})
            if not letters:
                return []
            sql = " UNION ALL ".join([f"{sql} AND term >= %s AND term < %s"] * len(letters))
            params = [p for letter in letters for p in (letter, chr(ord(letter) + 1))]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
