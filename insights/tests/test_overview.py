"""The national overview's figures, checked against the compilation's facts."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.management import call_command

from core.testing import compilation
from insights.overview import national_overview

pytestmark = pytest.mark.django_db


def test_the_figures_match_the_compilation():
    facts = compilation()["partnerships"]
    data = national_overview()
    named = {m["kommunenummer"] for p in facts for m in p["municipalities"]}
    unnamed = sum(
        max(0, (p.get("municipality_count_stated") or 0) - len(p["municipalities"])) for p in facts
    )
    assert data["partnerships"] == len(facts)
    assert data["municipalities"] == len(named)
    assert data["municipalities_including_unnamed"] == len(named) + unnamed
    assert (
        data["municipalities_including_unnamed"]
        == compilation()["compilation_claims"]["municipalities"]
    )
    assert data["clusters"] == sum(p["kind"] == "cluster" for p in facts)
    assert data["by_kind"] == dict(Counter(p["kind"] for p in facts))
    sides = Counter(p["initiator"]["side"] or "unknown" for p in facts)
    assert data["by_initiative"] == {
        k: sides.get(k, 0) for k in ("municipality", "academia", "mutual", "unknown")
    }
    assert data["earliest_roots_year"] == min(p["roots_year"] for p in facts if p["roots_year"])


def test_knowledge_institutions_are_counted_once_each():
    data = national_overview()
    per_partnership = sum(p["knowledge_institution_count"] for p in data["partnership_list"])
    assert 0 < data["knowledge_institutions"] < per_partnership  # NTNU and USN are shared


def test_the_partnership_list_names_each_lead():
    facts = {p["slug"]: p for p in compilation()["partnerships"]}
    for row in national_overview()["partnership_list"]:
        fact = facts[row["slug"]]
        lead = fact["lead_municipality"]
        expected = next(
            (m["kommunenummer"] for m in fact["municipalities"] if m["name"] == lead), None
        )
        assert row["lead_municipality_number"] == expected
        assert row["municipality_count"] == len(fact["municipalities"])
        assert row["roots_year"] == fact["roots_year"]
        assert row["agreement_year"] == fact["agreement_year"]


def test_the_command_prints_the_same_figures_as_json(capsys):
    call_command("overview", "--json")
    printed = json.loads(capsys.readouterr().out)
    expected = national_overview()
    for key in (
        "partnerships",
        "municipalities",
        "knowledge_institutions",
        "clusters",
        "by_kind",
        "by_initiative",
        "earliest_roots_year",
    ):
        assert printed[key] == expected[key]
    row = printed["partnership_list"][0]
    assert set(row) >= {
        "slug",
        "name",
        "kind",
        "lead_municipality",
        "municipality_count",
        "knowledge_institution_count",
        "initiative",
        "roots_year",
        "agreement_year",
    }


def test_an_empty_registry_gives_zeros_not_errors():
    from partnerships.models import Partnership

    Partnership.objects.all().delete()
    data = national_overview()
    assert data["partnerships"] == 0
    assert data["earliest_roots_year"] is None
    assert data["timeline"] == []


def test_knowledge_institutions_follow_the_compilations_count():
    """The academic partners, plus the hospitals KS counts as knowledge institutions."""
    facts = compilation()["partnerships"]
    academic = {a["short_name"] for p in facts for a in p["academic_institutions"]}
    hospitals = {
        o
        for p in facts
        for o in p["other_partners"]
        if "counted by KS as a knowledge institution" in o
    }
    assert national_overview()["knowledge_institutions"] == len(academic) + len(hospitals)
