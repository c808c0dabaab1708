"""The two SQL statements "more like this" needs, per database vendor.

Related work and matching reuse the search index (search.models.SearchDocument
and its full-text structure), so they see exactly what search sees: public,
live records, stemmed by search.text. Both statements read a bounded number
of postings whatever the size of the index:

* ``document_frequencies(stems)``: in how many indexed documents each stem
  occurs, and how many documents there are — for inverse document frequency.
  The id range is cut into ``PARTS`` parts and each stem's postings counted
  in each from both ends, up to ``DF_CAP / (2 × PARTS)`` a time: exact for
  all but common stems, whose uncounted middle of a part is estimated at the
  lower density seen at its ends — so a very common word still weighs less
  than a fairly common one. The number
  of documents comes from FTS5's own statistics (SQLite) or the planner's
  (PostgreSQL, above ``EXACT_TOTAL_BELOW``).
* ``candidates(weighted_stems, ...)``: for each key term, the newest
  documents of the wanted kinds (and statuses) that hold it — at most ``KEEP``
  among its ``SCAN`` newest postings — then the best ``limit`` of them all by
  the sum of the weights of the key terms each holds. A term in fewer than
  ``SCAN`` documents is read in full, so records sharing a rare word are
  always found; a very common word contributes its newest documents only.

SQLite reads FTS5 postings newest first (``ORDER BY rowid DESC``, which FTS5
does without sorting); PostgreSQL asks the same of the GIN index and the
primary key. Both take stems made only of letters and digits
(search.text.WORD_RE), so no user text reaches FTS5 or tsquery syntax. The
caller re-ranks the candidates in Python, identically on both.
"""

from __future__ import annotations

import json
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.db import connection, transaction

SNIPPET_CHARS = 4000
DF_CAP = 1000  # postings counted per stem for its document frequency; beyond, estimated
PARTS = 3  # ... in this many equal parts of the id range, from both ends of each
SCAN_TOTAL = 8000  # newest postings read for candidates, shared among the key terms ...
MIN_SCAN = 200  # ... but at least this many per term
KEEP = 100  # documents of the wanted kinds kept per term
EXACT_TOTAL_BELOW = 50_000  # PostgreSQL: count the documents below this, else the planner's

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


def _varint(data: bytes) -> int:
    """The first SQLite varint of ``data`` (FTS5's row count leads its 'averages' record)."""
    value = 0
    for i, byte in enumerate(data[:9]):
        if i == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value
    return value


def _part(low: int, high: int, j: int) -> int:
    """Where part ``j`` of PARTS of the id range [low, high) starts (as the SQL computes it)."""
    return low + (high - low) * j // PARTS


Count = tuple[int, int | None, int | None]  # postings counted, first id, last id


def _estimate(parts: dict[int, tuple[Count, Count]], low: int, high: int, total: int) -> int:
    """Documents holding a stem, from its postings counted per part of the id range.

    ``parts[j]`` holds two counts of part ``j``: from its start upwards and
    from its end downwards, each stopped at DF_CAP // (2 × PARTS). If the
    upward count stopped short, it saw the whole part. Otherwise the stretch
    between the two is taken to hold the stem at the lower of the densities
    the two counts saw (from their first posting to their last), so a cluster
    at one end — the records of one kind, a word only new records use — is
    not spread over the whole part.
    """
    cap = _cap()
    found = 0.0
    for _j, ((n_up, first_up, last_up), (n_down, first_down, last_down)) in parts.items():
        if n_up < cap or None in (first_up, last_up, first_down, last_down):
            found += n_up
            continue
        if first_down <= last_up:  # the two counts overlap: (about) all of the part was seen
            found += n_up + n_down * (last_down - last_up) / max(last_down - first_down + 1, 1)
            continue
        density = min(
            n_up / max(last_up - first_up + 1, 1), n_down / max(last_down - first_down + 1, 1)
        )
        found += n_up + n_down + (first_down - last_up - 1) * density
    return min(total, round(found)) if total else round(found)


def _cap() -> int:
    return max(DF_CAP // (2 * PARTS), 1)


def _parse(value) -> Count | None:
    """'count first last' as the SQL reports one count (None: not counted)."""
    if value is None:
        return None
    n, first, last = (int(x) for x in str(value).split())
    return (n, first if n else None, last if n else None)


# The id range of the index, for the parts of document_frequencies. min() and
# max() apart: together SQLite scans a whole index for them.
_BOUNDS = (
    "b AS (SELECT (SELECT min(id) FROM search_searchdocument) AS lo, "
    "(SELECT max(id) FROM search_searchdocument) + 1 AS hi)"
)


def _pieces(count: str, template: str) -> str:
    """The 2 × PARTS part counts of a stem, each run only when ``count`` reached DF_CAP."""
    return ", ".join(
        f"CASE WHEN {count} >= %s THEN ({template.format(j=j, k=j + 1, parts=PARTS, order=order)})"
        " END"
        for j in range(PARTS)
        for order in ("ASC", "DESC")
    )


_SQLITE_DF = (
    # MATERIALIZED: else each use of n counts the postings again.
    f"WITH {_BOUNDS}, s AS MATERIALIZED (SELECT j.key AS i, j.value AS term, "  # noqa: S608
    "(SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH j.value "
    "LIMIT %s)) AS n FROM json_each(%s) j) "
    "SELECT -1, (SELECT block FROM search_fts_data WHERE id = 1), (SELECT lo || ' ' || hi FROM b)"
    + ", NULL" * (2 * PARTS - 1)
    + " UNION ALL SELECT i, n, "
    + _pieces(
        "n",
        # Correlated (term), so SQLite runs it only when the CASE asks for it.
        "SELECT printf('%%d %%d %%d', count(*), ifnull(min(rowid), 0), ifnull(max(rowid), 0)) "
        "FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH term "
        "AND rowid >= (SELECT lo + (hi - lo) * {j} / {parts} FROM b) "
        "AND rowid < (SELECT lo + (hi - lo) * {k} / {parts} FROM b) "
        "ORDER BY rowid {order} LIMIT %s)",
    )
    + " FROM s"
)

# PostgreSQL: a stem among the column's most common lexemes (kept by ANALYZE
# with the share of rows holding each) takes its share from there; any other
# is counted up to DF_CAP. One part per stem, the stem a literal, so the
# planner chooses for each (a term taken from a column would get one plan for
# all). COALESCE runs the count only when the statistics have no answer.
_POSTGRES_DF_HEAD = (
    "WITH mce AS MATERIALIZED (SELECT f.elem, f.freq FROM pg_stats s, "
    "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS f(elem, freq) "
    "WHERE s.tablename = 'search_searchdocument' AND s.attname = 'search_vector' "
    "AND f.elem IS NOT NULL) "
    "SELECT -1, (SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
    "ELSE (SELECT count(*) FROM search_searchdocument) END FROM pg_class c "
    "WHERE c.oid = 'search_searchdocument'::regclass)::float8"
)
_POSTGRES_DF_PART = (
    "SELECT {i}, coalesce(-(SELECT max(freq) FROM mce WHERE elem IN "
    "(SELECT lexeme FROM unnest(to_tsvector('simple', %s)))), "
    "(SELECT count(*)::float8 FROM (SELECT 1 FROM search_searchdocument "
    "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) x))"
)


def document_frequencies(stems: list[str]) -> tuple[dict[str, int], int]:
    """``({stem: number of documents containing it}, number of documents)`` in one query.

    Each stem's postings are counted up to DF_CAP: below, that is its
    document frequency. Above, SQLite counts again in PARTS equal parts of
    the id range, from both ends of each up to DF_CAP // (2 × PARTS), and
    estimates (see ``_estimate``). PostgreSQL first takes the share of rows
    its statistics give a common stem, and counts (up to DF_CAP) only the
    others. At most 2 × DF_CAP postings are read per stem, whatever the size
    of the index.
    """
    if not stems:
        return {}, 0
    stems = list(stems)
    if connection.vendor == "postgresql":
        return _postgres_frequencies(stems)
    pieces = [p for _ in range(2 * PARTS) for p in (DF_CAP, _cap())]
    with connection.cursor() as cursor:
        # The same statement whatever the number of stems (json_each).
        cursor.execute(_SQLITE_DF, [DF_CAP, json.dumps([f'"{s}"' for s in stems]), *pieces])
        rows = cursor.fetchall()
    total = low = high = 0
    for i, n, *counts in rows:
        if i == -1:
            total = _varint(n) if isinstance(n, bytes | memoryview) else int(n or 0)
            low, high = (int(x) for x in str(counts[0]).split())
    df = {}
    for i, n, *counts in rows:
        if i == -1:
            continue
        n = int(n)
        if n >= DF_CAP:
            parsed = [_parse(c) for c in counts]
            parts = {j: (parsed[2 * j], parsed[2 * j + 1]) for j in range(PARTS)}
            n = max(DF_CAP, _estimate(parts, low, high, total))
        if n:
            df[stems[int(i)]] = n
    return df, total


@contextmanager
def _without_jit():
    """On PostgreSQL, run the statement without JIT compilation.

    The per-stem parts add up to a planned cost above ``jit_above_cost``
    although most of them never run (a count the statistics make needless, a
    common stem's scan cut short), and compiling a thousand expressions took
    half a second where running them took a few milliseconds. ``SET LOCAL``
    keeps the setting to this transaction.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _postgres_frequencies(stems: list[str]) -> tuple[dict[str, int], int]:
    parts = " UNION ALL ".join(_POSTGRES_DF_PART.format(i=i) for i in range(len(stems)))
    params: list = [EXACT_TOTAL_BELOW]
    for s in stems:
        params += [s, s, DF_CAP]
    with _without_jit(), connection.cursor() as cursor:
        cursor.execute(f"{_POSTGRES_DF_HEAD} UNION ALL {parts}", params)
        rows = cursor.fetchall()
    total = next((int(n) for i, n in rows if i == -1), 0)
    df = {}
    for i, n in rows:
        if i == -1 or not n:
            continue
        # A negative value is a share of the rows from the statistics (common stems).
        df[stems[int(i)]] = max(1, round(-n * total)) if n < 0 else int(n)
    return df, total


_SQLITE_CANDIDATES = (
    "WITH t AS (SELECT json_extract(j.value, '$[0]') AS term, "
    "json_extract(j.value, '$[1]') AS w FROM json_each(%s) j), "
    # Per stem: the ids of the newest KEEP documents of the kinds among its
    # ``scan`` newest postings, as a JSON array.
    "hits AS (SELECT t.w AS w, (SELECT '[' || group_concat(id) || ']' FROM "
    "(SELECT n.id AS id FROM (SELECT rowid AS id FROM search_fts WHERE search_fts MATCH t.term "
    "ORDER BY rowid DESC LIMIT %s) n WHERE {where} LIMIT %s)) AS ids FROM t), "
    "best AS (SELECT e.value AS id, sum(hits.w) AS score FROM hits, json_each(hits.ids) e "
    "{not_self} GROUP BY e.value ORDER BY score DESC, e.value LIMIT %s) "
    "SELECT d.id, d.kind, d.object_id, d.title, substr(d.body, 1, %s), d.url, d.title_terms, "
    "d.terms FROM best JOIN search_searchdocument d ON d.id = best.id "
    "ORDER BY best.score DESC, d.id"
)

# PostgreSQL: one part per stem, the stem a literal the planner sees (see above).
_POSTGRES_CANDIDATE_PART = (
    "SELECT * FROM (SELECT d.id, CASE WHEN d.search_vector @@ to_tsquery('simple', %s) "
    # A title hit (weight A) counts twice; the row is read anyway.
    "THEN %s ELSE %s END AS w FROM (SELECT id, kind, status, search_vector "
    "FROM search_searchdocument WHERE search_vector @@ to_tsquery('simple', %s) "
    "ORDER BY id DESC LIMIT %s) d "
    "WHERE {where} LIMIT %s) p{i}"
)
_POSTGRES_CANDIDATES = (
    "WITH hits AS ({parts}), "
    "best AS (SELECT id, sum(w) AS score FROM hits {not_self} GROUP BY id "
    "ORDER BY score DESC, id LIMIT %s) "
    "SELECT d.id, d.kind, d.object_id, d.title, substr(d.body, 1, %s), d.url, d.title_terms, "
    "d.terms FROM best JOIN search_searchdocument d ON d.id = best.id "
    "ORDER BY best.score DESC, d.id"
)


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
    keeps only documents with one of these status facet values. Reads at most
    ``max(MIN_SCAN, SCAN_TOTAL / stems)`` postings per stem (see the module's
    docstring).
    """
    if not weighted or not kinds:
        return []
    stems = sorted(weighted, key=lambda s: (-weighted[s], s))
    scan = max(MIN_SCAN, SCAN_TOTAL // len(stems))
    postgres = connection.vendor == "postgresql"
    # On PostgreSQL the row is read anyway, so its kind and status are at hand;
    # on SQLite a posting's document is looked up by its id.
    where = [f"d.kind IN ({_placeholders(kinds)})"]
    params = list(kinds)
    if statuses:
        where.append(f"d.status IN ({_placeholders(statuses)})")
        params += list(statuses)
    if not postgres:
        where = [
            "EXISTS (SELECT 1 FROM search_searchdocument d WHERE d.id = n.id "  # noqa: S608
            f"AND {' AND '.join(where)})"
        ]
    not_self, self_params = "", []
    if exclude:
        column = "id" if postgres else "e.value"
        not_self = (
            f"WHERE {column} NOT IN (SELECT id FROM search_searchdocument "  # noqa: S608
            "WHERE kind = %s AND object_id = %s)"
        )
        self_params = list(exclude)
    if postgres:
        parts = " UNION ALL ".join(
            _POSTGRES_CANDIDATE_PART.format(i=i, where=" AND ".join(where))
            for i in range(len(stems))
        )
        sql = _POSTGRES_CANDIDATES.format(parts=parts, not_self=not_self)
        head = []
        for s in stems:
            head += [f"{s}:A", 2 * weighted[s], weighted[s], s, scan, *params, KEEP]
        values = [*head, *self_params, limit, SNIPPET_CHARS]
    else:
        sql = _SQLITE_CANDIDATES.format(where=" AND ".join(where), not_self=not_self)
        head = [json.dumps([[f'"{s}"', weighted[s]] for s in stems])]
        values = [*head, scan, *params, KEEP, *self_params, limit, SNIPPET_CHARS]
    with _without_jit() if postgres else nullcontext(), connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [Candidate(*row) for row in cursor.fetchall()]
