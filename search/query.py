"""Parse what a person typed into a small, safe query structure.

Everything the search box accepts is reduced to clauses of stems made of
letters and digits only, so no user text ever reaches FTS5 or tsquery syntax:
``"…"`` is a phrase, ``word*`` a prefix, every other word must occur
(implicit AND). Operators (``OR``, ``NEAR``, ``-``, ``^``, ``:`` …), SQL
fragments and stray quotes become plain words or separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.text import MAX_QUERY_CHARS, MAX_TERMS, STOP_WORDS, WORD_RE, fold, stem

_PART_RE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Clause:
    stems: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.stems) > 1


@dataclass
class ParsedQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.clauses

    def all_stems(self) -> set[str]:
        return {s for c in self.clauses for s in c.stems}

    def prefixes(self) -> set[str]:
        return {c.stems[0] for c in self.clauses if c.prefix}


def _prefix_stem(word: str) -> str:
    # "sykehjemme*" should still find "sykehjem": use the shorter of word and stem.
    stemmed = stem(word)
    return stemmed if word.startswith(stemmed) else word


def parse(raw: str | None) -> ParsedQuery:
    text = fold(raw or "").strip()
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    query = ParsedQuery(text=text, truncated=truncated)
    for phrase, token in _PART_RE.findall(text):
        if phrase:
            stems = tuple(stem(w) for w in WORD_RE.findall(phrase) if w not in STOP_WORDS)
            if stems:
                query.clauses.append(Clause(stems))
            continue
        found = WORD_RE.findall(token)
        is_prefix = token.endswith("*") and len(found) >= 1
        for i, word in enumerate(found):
            if word in {"or", "and", "not", "near"} or word in STOP_WORDS:
                continue
            if is_prefix and i == len(found) - 1:
                if len(word) >= 2:
                    query.clauses.append(Clause((_prefix_stem(word),), prefix=True))
            else:
                query.clauses.append(Clause((stem(word),)))
    if len(query.clauses) > MAX_TERMS:
        query.clauses = query.clauses[:MAX_TERMS]
        query.truncated = True
    # Drop exact duplicates, keep order.
    query.clauses = list(dict.fromkeys(query.clauses))
    return query
