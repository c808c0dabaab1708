"""Search as the page uses it: parse, match, fall back on typos, filter, count facets, highlight."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process

from search import documents, vocabulary
from search import facets as facet_values
from search.backends import get_backend
from search.backends.base import RESULT_LIMIT
from search.choices import Facet
from search.query import Clause, ParsedQuery, parse
from search.text import fold, stem

SNIPPET_WORDS = 30
TYPO_MIN_LENGTH = 4  # shorter words are too ambiguous to correct
#: How alike a word and its correction must be: rapidfuzz's ratio (0–100), the
#: share of the two words' letters that their longest common subsequence holds.
TYPO_CUTOFF = 70
FILTER_FACETS = [f.value for f in Facet]


@dataclass
class Outcome:
    query: ParsedQuery
    ids: list[int] = field(default_factory=list)
    corrected: str = ""  # the query actually run when the typo fallback stepped in
    facets: dict[str, list[dict]] = field(default_factory=dict)
    #: More documents matched than the best RESULT_LIMIT that ``ids`` and the
    #: facet counts are of.
    capped: bool = False


def _holds(sorted_words: list[str], word: str) -> bool:
    at = bisect.bisect_left(sorted_words, word)
    return at < len(sorted_words) and sorted_words[at] == word


def _closest(query: ParsedQuery, names: dict[str, list[str]]) -> ParsedQuery | None:
    """Replace single words by the closest indexed name stem of their first letter, if any.

    ``names`` holds the name stems by first letter (search.vocabulary), sorted:
    of equally close names, the first in alphabetical order is taken.
    """
    changed, clauses = False, []
    for clause in query.clauses:
        word = clause.stems[0]
        candidates = names.get(word[:1], [])
        # Names keep their first letter when mistyped; short words are too ambiguous.
        if (
            clause.is_phrase
            or clause.prefix
            or len(word) < TYPO_MIN_LENGTH
            or _holds(candidates, word)
        ):
            clauses.append(clause)
            continue
        match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        if match:
            clauses.append(Clause((match[0],)))
            changed = True
        else:
            clauses.append(clause)
    if not changed:
        return None
    return ParsedQuery(text=" ".join(" ".join(c.stems) for c in clauses), clauses=clauses)


def run(raw: str | None, filters: dict[str, list[str]] | None = None) -> Outcome:
    """Matching document ids (best first) after facet filters, and facet counts."""
    query = parse(raw)
    outcome = Outcome(query=query)
    if query.empty:
        return outcome
    backend = get_backend()
    # One more than the limit tells whether there were more.
    found = backend.matches(query, RESULT_LIMIT + 1)
    if not found:
        # Only words the fallback may correct need the names of their first letter.
        initials = {
            c.stems[0][:1]
            for c in query.clauses
            if not (c.is_phrase or c.prefix) and len(c.stems[0]) >= TYPO_MIN_LENGTH
        }
        fixed = _closest(query, vocabulary.names(initials)) if initials else None
        if fixed is not None:
            found = backend.matches(fixed, RESULT_LIMIT + 1)
            if found:
                outcome.corrected = fixed.text
    outcome.capped = len(found) > RESULT_LIMIT
    found = found[:RESULT_LIMIT]
    filters = {k: v for k, v in (filters or {}).items() if k in FILTER_FACETS and v}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    labels: dict[tuple[str, str], str] = {}
    ids = [doc_id for doc_id, _kind, _stored in found]
    decoded = facet_values.decode_many([(kind, stored) for _id, kind, stored in found])
    values = dict(zip(ids, decoded, strict=True))
    # The filters are applied here, so the counts of the other facets reflect the
    # narrowed set (a document has each value at most once).
    kept = ids
    if filters:
        wanted = [(f, set(v)) for f, v in filters.items()]
        kept = []
        for i in ids:
            held = {(f, v) for f, v, _label in values.get(i, ())}
            if all(any((f, v) in held for v in chosen) for f, chosen in wanted):
                kept.append(i)
    outcome.ids = kept
    for i in kept:
        for facet, value, label in values.get(i, ()):
            counted = counts[facet]
            counted[value] = counted.get(value, 0) + 1
            labels[(facet, value)] = label
    for facet in FILTER_FACETS:
        chosen = set(filters.get(facet, []))
        entries = [
            {"value": v, "label": labels[(facet, v)], "count": n, "selected": v in chosen}
            for v, n in counts[facet].items()
        ]
        entries.sort(key=lambda e: (-e["count"], e["label"]))
        if entries:
            outcome.facets[facet] = entries
    return outcome


def filter_records(
    queryset: QuerySet, raw: str | None, *, unindexed_fields: list[str] | None = None
) -> QuerySet:
    """The records of ``queryset`` (an indexed model) that search finds for ``raw``.

    The search page's matching — the same parser, stems, phrases, prefixes,
    every clause required — as a subquery on the index, so the caller can
    still filter, order and page the records (the API's ``search=``). Unlike
    the page: no typo fallback (a script gets what it asked for) and no cap of
    1 000 results. A query with no words to look for finds nothing.

    The index holds public records only. Given ``unindexed_fields``, records it
    leaves out (``is_public`` false; for clients allowed to see them) match
    when every stem of the query occurs in one of these fields (a substring
    test: stems are prefixes of the words they come from).
    """
    query = parse(raw)
    kind = documents.kind_for_model(queryset.model)
    if query.empty or kind is None:
        return queryset.none()
    sql, params = get_backend().object_ids_sql(query, kind)
    condition = Q(pk__in=RawSQL(sql, params))  # noqa: S611 - the backend's SQL, values as parameters
    fields = {f.name for f in queryset.model._meta.get_fields()}
    if unindexed_fields and "is_public" in fields:
        words = Q()
        for s in sorted(query.all_stems()):
            words &= _any_contains(unindexed_fields, s)
        condition |= Q(is_public=False) & words
    return queryset.filter(condition)


def _any_contains(fields: list[str], text: str) -> Q:
    found = Q()
    for name in fields:
        found |= Q(**{f"{name}__icontains": text})
    return found


def highlight(text: str, query: ParsedQuery, words: int = SNIPPET_WORDS) -> SafeString:
    """A window of ``text`` around the first match, HTML-escaped, matches in <mark>."""
    stems = query.all_stems() - query.prefixes()
    prefixes = query.prefixes()
    text = text.replace("\x00", " ")
    tokens = list(re.finditer(r"[^\W_]+", text))

    def hit(token: str) -> bool:
        token = fold(token)
        if stem(token) in stems:
            return True
        return any(token.startswith(p) for p in prefixes)

    first = next((i for i, m in enumerate(tokens) if hit(m.group())), 0)
    start_token = max(0, first - 8)
    end_token = min(len(tokens), start_token + words)
    if not tokens:
        return mark_safe("")  # noqa: S308 - empty string
    start = tokens[start_token].start() if start_token else 0
    end = tokens[end_token - 1].end() if end_token < len(tokens) else len(text)
    out, pos = [], start
    for m in tokens[start_token:end_token]:
        out.append(escape(text[pos : m.start()]))
        word = escape(m.group())
        out.append(f"<mark>{word}</mark>" if hit(m.group()) else word)
        pos = m.end()
    out.append(escape(text[pos:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece escaped above
