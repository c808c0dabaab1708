""" "More like this" over the search index: key terms, candidates, a text score.

A *profile* is what a record (or an institution, or a person) is about: stems
with weights. ``more_like_this`` keeps its most distinctive stems — weight
times inverse document frequency from the index — asks the backend for up to
``CANDIDATES`` documents holding any of them, and scores each candidate in
Python with BM25 over the stored stems, normalised by the profile's total
weight so that 1.0 means "holds every key term about as often as a typical
document". The same Python scoring runs on SQLite and PostgreSQL, so the two
agree on the order of what both return. docs/discovery.md has the numbers
behind the constants.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from discovery import backends
from search.text import STOP_WORDS, WORD_RE, fold, stem

TITLE_WEIGHT = 3  # a stem in the title counts as three in the text
LOOKUP_STEMS = 64  # most frequent stems whose document frequency is looked up
KEY_TERMS = 15  # most distinctive stems sent to the index
CANDIDATES = 80
BM25_K1 = 1.2
BM25_B = 0.75
MAX_TEXT_CHARS = 20_000  # of a profile's text; the rest adds little and costs time

_USABLE = re.compile(r"[^\W\d_][^\W_]+")  # at least two characters, not a bare number


@dataclass
class Profile:
    """Stems with weights, and a word as written for each (to explain matches)."""

    weights: Counter = field(default_factory=Counter)
    surface: dict[str, str] = field(default_factory=dict)

    def add_text(self, text: str, weight: int = 1) -> None:
        for word in WORD_RE.findall(fold(text or "")[:MAX_TEXT_CHARS]):
            if word in STOP_WORDS:
                continue
            stemmed = stem(word)
            if _USABLE.fullmatch(stemmed):
                self.weights[stemmed] += weight
                self.surface.setdefault(stemmed, word)

    def add_terms(self, title_terms: str, terms: str) -> None:
        """Add a document's stored stems, once per stem (a profile of many documents)."""
        seen = {s for s in (title_terms.split() + terms.split()) if _USABLE.fullmatch(s)}
        self.weights.update(seen)

    @property
    def empty(self) -> bool:
        return not self.weights


def profile_of(title: str, text: str) -> Profile:
    profile = Profile()
    profile.add_text(title, TITLE_WEIGHT)
    profile.add_text(text)
    return profile


@dataclass
class Hit:
    """A candidate with its text score and the key terms it shares, best first."""

    candidate: backends.Candidate
    text: float
    shared: list[str]


def idf(df: int, total: int) -> float:
    """BM25's inverse document frequency (always positive)."""
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def key_terms(profile: Profile, n: int = KEY_TERMS) -> dict[str, float]:
    """The profile's ``n`` most distinctive stems with their weights (tf × idf), one query."""
    frequent = sorted(profile.weights, key=lambda s: (-profile.weights[s], s))[:LOOKUP_STEMS]
    df, total = backends.document_frequencies(frequent)
    scored = {
        s: (1 + math.log(profile.weights[s])) * idf(df[s], total) for s in frequent if s in df
    }
    best = sorted(scored, key=lambda s: (-scored[s], s))[:n]
    return {s: scored[s] for s in best}


def _counts(candidate: backends.Candidate) -> Counter:
    counts = Counter(candidate.terms.split())
    for s in candidate.title_terms.split():
        counts[s] += TITLE_WEIGHT
    return counts


def score(weights: dict[str, float], candidates: list[backends.Candidate]) -> list[Hit]:
    """BM25 of each candidate against the key terms, divided by their total weight."""
    if not weights or not candidates:
        return []
    counts = [_counts(c) for c in candidates]
    lengths = [sum(c.values()) or 1 for c in counts]
    average = sum(lengths) / len(lengths)
    total_weight = sum(weights.values())
    hits = []
    for candidate, count, length in zip(candidates, counts, lengths, strict=True):
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        parts = {
            s: w * count[s] * (BM25_K1 + 1) / (count[s] + norm)
            for s, w in weights.items()
            if count[s]
        }
        shared = sorted(parts, key=lambda s: (-parts[s], s))
        hits.append(Hit(candidate, sum(parts.values()) / total_weight, shared))
    hits.sort(key=lambda h: (-h.text, h.candidate.doc_id))
    return hits


def more_like_this(
    profile: Profile,
    kinds: list[str],
    *,
    exclude: tuple[str, int] | None = None,
    statuses: list[str] | None = None,
    key_terms_count: int = KEY_TERMS,
) -> list[Hit]:
    """The indexed documents that share the key terms of ``profile``, best first.

    Two queries whatever the size of the index: document frequencies, candidates.
    """
    if profile.empty:
        return []
    weights = key_terms(profile, key_terms_count)
    found = backends.candidates(
        weights, kinds, exclude=exclude, statuses=statuses, limit=CANDIDATES
    )
    return score(weights, found)


def written_forms(shared: list[str], profile: Profile, hit: Hit, n: int = 3) -> list[str]:
    """Up to ``n`` shared stems as words, as the profile or else the candidate wrote them."""
    forms = {}
    missing = [s for s in shared[:n] if s not in profile.surface]
    if missing:
        text = f"{hit.candidate.title} {hit.candidate.body}"
        for word in WORD_RE.findall(fold(text)):
            stemmed = stem(word)
            if stemmed in missing and stemmed not in forms:
                forms[stemmed] = word
    return [profile.surface.get(s) or forms.get(s, s) for s in shared[:n]]
