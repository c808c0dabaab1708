"""A small judged evaluation set for search, related work and matching.

``corpus.json`` holds 96 activities, 24 needs and 24 researchers written for
this purpose (twelve subjects a Norwegian municipality works on, eight
activities each, spread over the bundled partnerships and real institutions).
``judgments.json`` says, for each question, which records a person would
judge relevant:

* ``search``: 24 typed queries → the activities that answer them;
* ``related``: every activity → the activities on the same subject;
* ``need_activities``: every need → the activities that could answer it;
* ``need_units``: every need → the units of the subject's two researchers;
* ``person_needs``: every researcher → the two needs of their subject.

``evaluate()`` runs each question through the real code and reports the mean
precision at 5 and recall at 10. ``unikom discovery evaluate`` does it on a
throw-away database; a test does it on the test database and compares with
trivial orderings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from discovery.matching import for_need, needs_for_person
from discovery.related import rank
from needs.models import Need
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Partnership, Theme
from search import service
from search.models import SearchDocument

HERE = Path(__file__).resolve().parent
TASKS = ("search", "related", "need_activities", "need_units", "person_needs")


@dataclass
class Loaded:
    """The corpus's records by key, and the reverse."""

    records: dict[str, object]
    keys: dict[tuple[str, int], str]

    def key(self, kind: str, pk: int) -> str | None:
        return self.keys.get((kind, pk))


def read(name: str) -> dict:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def load_corpus() -> Loaded:
    """Create the corpus's people, activities and needs (reference data must be loaded)."""

    corpus = read("corpus.json")
    orgs = {o.slug: o for o in Organisation.objects.all()}
    partnerships = {p.slug: p for p in Partnership.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    records: dict[str, object] = {}
    with transaction.atomic():
        for row in corpus["people"]:
            person = Person.objects.create(name=row["name"])
            Affiliation.objects.create(
                person=person,
                organisation=orgs[row["organisation"]],
                unit=row["unit"],
                title=row["title"],
            )
            records[row["key"]] = person
        for row in corpus["activities"]:
            activity = Activity.objects.create(
                title=row["title"],
                summary=row["summary"],
                activity_type=row["type"],
                thesis_level=row["thesis_level"],
                start_date=date.fromisoformat(row["start"]),
                professional_owner=orgs[row["owner"]],
            )
            activity.partnerships.set([partnerships[s] for s in row["partnerships"]])
            activity.themes.set([themes[s] for s in row["themes"]])
            for slug in row["organisations"]:
                ActivityOrganisation.objects.create(
                    activity=activity, organisation=orgs[slug], role="partner"
                )
            for key, role in row["people"]:
                ActivityPerson.objects.create(activity=activity, person=records[key], role=role)
            records[row["key"]] = activity
        for row in corpus["needs"]:
            records[row["key"]] = Need.objects.create(
                title=row["title"],
                description=row["description"],
                organisation=orgs[row["by"]],
                partnership=partnerships[row["partnership"]],
                service_area=themes[row["service_area"]],
                status=row["status"],
                suited_for=["thesis", "project"],
            )
    keys = {(r._meta.model_name, r.pk): k for k, r in records.items()}
    return Loaded(records, keys)


# -- the rankings under test ------------------------------------------------------

DEPTH = 10


def search_ranking(loaded: Loaded, query: str) -> list[str]:

    ids = service.run(query, {"kind": ["activity"]}).ids[:DEPTH]
    docs = SearchDocument.objects.in_bulk(ids)
    return [loaded.key(docs[i].kind, docs[i].object_id) for i in ids]


def related_ranking(loaded: Loaded, key: str) -> list[str]:

    found = [r for r in rank(loaded.records[key]).related if r.kind == "activity"]
    return [loaded.key(r.kind, r.object_id) for r in found[:DEPTH]]


def need_activities_ranking(loaded: Loaded, key: str) -> list[str]:

    found = for_need(loaded.records[key], limit=DEPTH).activities
    return [loaded.key(r.kind, r.object_id) for r in found]


def need_units_ranking(loaded: Loaded, key: str) -> list[str]:

    found = for_need(loaded.records[key], limit=DEPTH).units
    return [f"{u.organisation.slug}|{u.unit}" for u in found]


def person_needs_ranking(loaded: Loaded, key: str) -> list[str]:

    person = Person.objects.prefetch_related("affiliations__organisation").get(
        pk=loaded.records[key].pk
    )
    found = needs_for_person(person, limit=DEPTH)
    return [loaded.key("need", m.related.object_id) for m in found]


RANKERS: dict[str, Callable[[Loaded, str], list[str]]] = {
    "search": search_ranking,
    "related": related_ranking,
    "need_activities": need_activities_ranking,
    "need_units": need_units_ranking,
    "person_needs": person_needs_ranking,
}
QUESTION = {
    "search": "query",
    "related": "activity",
    "need_activities": "need",
    "need_units": "need",
    "person_needs": "person",
}


# -- measures ----------------------------------------------------------------------


def precision_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    """Share of the first ``k`` places holding a relevant record (empty places count as misses)."""
    return sum(1 for r in ranked[:k] if r in relevant) / k


def recall_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    return sum(1 for r in set(ranked[:k]) if r in relevant) / len(relevant) if relevant else 0.0


@dataclass
class Score:
    task: str
    questions: int
    precision_at_5: float
    recall_at_10: float
    ceiling_at_5: float  # the best precision@5 possible with these judgments


def evaluate(loaded: Loaded, rankers: dict | None = None, tasks=TASKS) -> dict[str, Score]:
    """Mean precision@5 and recall@10 of each task over its judged questions."""
    rankers = {**RANKERS, **(rankers or {})}
    judgments = read("judgments.json")
    scores = {}
    for task in tasks:
        entries = judgments[task]
        p = r = ceiling = 0.0
        for entry in entries:
            relevant = set(entry["relevant"])
            ranked = rankers[task](loaded, entry[QUESTION[task]])
            p += precision_at(ranked, relevant)
            r += recall_at(ranked, relevant)
            ceiling += min(len(relevant), 5) / 5
        n = len(entries)
        scores[task] = Score(task, n, p / n, r / n, ceiling / n)
    return scores
