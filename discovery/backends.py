"""The two SQL statements "more like this" needs, per database vendor.

Related work and matching reuse the search index (search.models.SearchDocument
and its full-text structure), so they see exactly what search sees: public,
live records, stemmed by search.text. Two things are vendor-specific:

* ``document_frequencies(stems)``: in how many indexed documents each stem
  occurs, and how many documents there are — for inverse document frequency.
  SQLite reads an ``fts5vocab`` table of kind ``row`` over ``search_fts``
  (created by discovery's migration); PostgreSQL counts matches per stem
  through the GIN index.
* ``candidates(weighted_stems, ...)``: documents containing any of the stems,
  best first, bounded. SQLite orders by FTS5's ``bm25``; PostgreSQL by the
  sum of the weights of the stems a document holds (a title hit counts twice).

Both take stems made only of letters and digits (search.text.WORD_RE), so no
user text reaches FTS5 or tsquery syntax. The orders may differ a little; the
caller re-ranks the candidates in Python, identically on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

SNIPPET_CHARS = 4000

VOCAB_TABLE = "discovery_fts_rowvocab"
SQLITE_SCHEMA = [f"CREATE VIRTUAL TABLE {VOCAB_TABLE} USING fts5vocab(search_fts, 'row')"]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {VOCAB_TABLE}"]


@dataclass
class Candidate:
    """An indexed record that shares stems with a profile."""

    doc_id: int
    kind: str
    object_id: int
    title: str
    body: str  # the first SNIPPET_CHARS characters, to show shared words as written
    url: str
    title_terms: str
    terms: str


def create_schema(schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_SCHEMA:
            schema_editor.execute(sql)


def drop_schema(schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def document_frequencies(stems: list[str]) -> tuple[dict[str, int], int]:
    """``({stem: number of documents containing it}, number of documents)`` in one query."""
    if not stems:
        return {}, 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.term, (SELECT count(*) FROM search_searchdocument d "
                "  WHERE d.search_vector @@ to_tsquery('norwegian', t.term)), "
                " (SELECT count(*) FROM search_searchdocument) "
                "FROM unnest(%s::text[]) AS t(term)",
                [list(stems)],
            )
        else:
            cursor.execute(
                f"SELECT term, doc, (SELECT count(*) FROM search_searchdocument) "  # noqa: S608
                f"FROM {VOCAB_TABLE} WHERE term IN ({_placeholders(stems)})",
                list(stems),
            )
        rows = cursor.fetchall()
    total = rows[0][2] if rows else 0
    return {term: int(n) for term, n, _total in rows if n}, int(total)


def candidates(
    weighted: dict[str, float],
    kinds: list[str],
    *,
    exclude: tuple[str, int] | None = None,
    statuses: list[str] | None = None,
    limit: int = 80,
) -> list[Candidate]:
    """Documents of ``kinds`` holding any of the stems, best first, at most ``limit``.

    ``exclude`` is the (kind, record id) of the record itself; ``statuses``
    keeps only documents with one of these status facet values.
    """
    if not weighted or not kinds:
        return []
    stems = sorted(weighted, key=lambda s: (-weighted[s], s))
    where, params = [f"d.kind IN ({_placeholders(kinds)})"], list(kinds)
    if exclude:
        where.append("NOT (d.kind = %s AND d.object_id = %s)")
        params += list(exclude)
    if statuses:
        where.append(
            "EXISTS (SELECT 1 FROM search_searchfacet f WHERE f.document_id = d.id "  # noqa: S608
            f"AND f.facet = 'status' AND f.value IN ({_placeholders(statuses)}))"
        )
        params += list(statuses)
    columns = (
        "d.id, d.kind, d.object_id, d.title, substr(d.body, 1, %s), d.url, d.title_terms, d.terms"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            score = " + ".join(
                "(CASE WHEN d.search_vector @@ to_tsquery('norwegian', %s) THEN %s "
                "WHEN d.search_vector @@ to_tsquery('norwegian', %s) THEN %s ELSE 0 END)"
                for _ in stems
            )
            score_params = []
            for s in stems:
                score_params += [f"{s}:A", 2 * weighted[s], s, weighted[s]]
            cursor.execute(
                f"SELECT {columns} FROM search_searchdocument d "  # noqa: S608
                f"WHERE d.search_vector @@ to_tsquery('norwegian', %s) AND {' AND '.join(where)} "
                f"ORDER BY {score} DESC, d.id LIMIT %s",
                [SNIPPET_CHARS, " | ".join(stems), *params, *score_params, limit],
            )
        else:
            match = " OR ".join(f'"{s}"' for s in stems)
            cursor.execute(
                f"SELECT {columns} FROM search_fts "  # noqa: S608
                "JOIN search_searchdocument d ON d.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND {' AND '.join(where)} "
                "ORDER BY bm25(search_fts, 4.0, 1.0), d.id LIMIT %s",
                [SNIPPET_CHARS, match, *params, limit],
            )
        return [Candidate(*row) for row in cursor.fetchall()]
