"""Related work: the activities and needs anywhere in the country most like a record.

The text decides what is a candidate and most of the score
(discovery.similarity); shared themes, organisations and partnerships add a
little on top and, with the shared key terms, make up the reason shown. Only
public, live records are candidates (they come from the search index), and the
record itself never is. A page asks a fixed number of queries: two for the
text, five for the facts of all candidates together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from discovery import facts as facts_module
from discovery.similarity import Hit, Profile, more_like_this, profile_of, written_forms

THEME_WEIGHT = 0.20  # per shared theme, at most two
ORGANISATION_WEIGHT = 0.05  # per shared organisation, at most two
PARTNERSHIP_WEIGHT = 0.03  # once, if a partnership is shared
MIN_TEXT = 0.10  # text score needed on its own ...
MIN_TEXT_WITH_LINK = 0.04  # ... or together with a shared theme or organisation
SHOWN = 6


@dataclass
class Related:
    """One related record with the reasons it was chosen."""

    kind: str
    object_id: int
    title: str
    url: str
    score: float
    text: float
    terms: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    partnerships: list[str] = field(default_factory=list)
    facts: facts_module.Facts | None = None

    @property
    def place(self) -> str:
        """Where the record lives: its partnerships, else its organisations."""
        if self.facts is None:
            return ""
        if self.facts.partnerships:
            return ", ".join(sorted(self.facts.partnerships.values()))
        return ", ".join(sorted(facts_module.label(o) for o in self.facts.organisations.values()))


@dataclass
class Ranking:
    """Everything one "more like this" run found for a record."""

    profile: Profile
    related: list[Related]
    people: list[Hit]  # person documents, when asked for


def source_text(record) -> tuple[str, str]:
    """Title and text of an activity or a need."""
    return record.title or "", getattr(record, "summary", None) or getattr(
        record, "description", ""
    )


def kind_of(record) -> str:
    return record._meta.model_name


def rank(record, kinds=("activity", "need")) -> Ranking:
    """Candidates of ``kinds`` for ``record`` (an Activity or a Need), best first."""
    source_kind = kind_of(record)
    profile = profile_of(*source_text(record))
    hits = more_like_this(profile, list(kinds), exclude=(source_kind, record.pk))
    people = [h for h in hits if h.candidate.kind == "person"]
    hits = [h for h in hits if h.candidate.kind in {"activity", "need"}]
    ids = {"activity": [], "need": []}
    for h in hits:
        ids[h.candidate.kind].append(h.candidate.object_id)
    ids[source_kind].append(record.pk)
    loaded = facts_module.load(ids["activity"], ids["need"])
    source = loaded.get((source_kind, record.pk), facts_module.Facts())
    related = []
    for h in hits:
        found = loaded.get((h.candidate.kind, h.candidate.object_id))
        if found is None:  # trashed between the two queries
            continue
        item = _combine(h, profile, source, found)
        if item is not None:
            related.append(item)
    related.sort(key=lambda r: (-r.score, r.title, r.object_id))
    return Ranking(profile, related, people)


def _combine(hit: Hit, profile: Profile, source, found) -> Related | None:
    themes = [found.themes[t] for t in found.themes if t in source.themes]
    organisations = [
        facts_module.label(found.organisations[o])
        for o in found.organisations
        if o in source.organisations
    ]
    partnerships = [found.partnerships[p] for p in found.partnerships if p in source.partnerships]
    linked = bool(themes or organisations)
    if hit.text < MIN_TEXT and not (linked and hit.text >= MIN_TEXT_WITH_LINK):
        return None
    score = (
        hit.text
        + THEME_WEIGHT * min(len(themes), 2)
        + ORGANISATION_WEIGHT * min(len(organisations), 2)
        + (PARTNERSHIP_WEIGHT if partnerships else 0)
    )
    c = hit.candidate
    return Related(
        kind=c.kind,
        object_id=c.object_id,
        title=c.title,
        url=c.url,
        score=score,
        text=hit.text,
        terms=written_forms(hit.shared, profile, hit),
        themes=sorted(themes),
        organisations=sorted(organisations),
        partnerships=sorted(partnerships),
        facts=found,
    )


def related_work(record, limit: int = SHOWN) -> list[Related]:
    """The activities and needs most like ``record``, each with its reasons."""
    return rank(record).related[:limit]
