"""The judged evaluation set: the real rankings beat trivial ones by a clear margin."""

from __future__ import annotations

import random

import pytest

from discovery.evaluation import DEPTH, Loaded, evaluate, load_corpus, precision_at, recall_at

pytestmark = pytest.mark.django_db


def test_measures():
    assert precision_at(["a", "x", "b"], {"a", "b", "c"}) == pytest.approx(2 / 5)
    assert recall_at(["a", "x", "b"], {"a", "b", "c", "d"}) == pytest.approx(2 / 4)


def _latest_activities(loaded: Loaded, _question) -> list[str]:
    keys = [k for k in loaded.records if k.startswith("a-")]
    keys.sort(key=lambda k: (loaded.records[k].start_date, k), reverse=True)
    return keys[:DEPTH]


def _random(prefix: str):
    def ranking(loaded: Loaded, question) -> list[str]:
        keys = sorted(k for k in loaded.records if k.startswith(prefix))
        return random.Random(str(question)).sample(keys, DEPTH)

    return ranking


def test_rankings_beat_trivial_orderings():
    loaded = load_corpus()
    real = evaluate(loaded)
    latest = evaluate(
        loaded,
        rankers=dict.fromkeys(("search", "related", "need_activities"), _latest_activities),
        tasks=("search", "related", "need_activities"),
    )
    chance = evaluate(
        loaded,
        rankers={
            "search": _random("a-"),
            "related": _random("a-"),
            "need_activities": _random("a-"),
            "person_needs": _random("n-"),
        },
        tasks=("search", "related", "need_activities", "person_needs"),
    )
    for task in ("search", "related", "need_activities"):
        for baseline in (latest, chance):
            assert real[task].precision_at_5 > baseline[task].precision_at_5 + 0.15, task
            assert real[task].recall_at_10 > baseline[task].recall_at_10 + 0.2, task
    assert real["person_needs"].precision_at_5 > chance["person_needs"].precision_at_5 + 0.15
    # Units: the judged two per need are found among the first ten most of the time.
    assert real["need_units"].recall_at_10 > 0.6
