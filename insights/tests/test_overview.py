"""The national overview's figures, checked against the compilation's facts."""

from __future__ import annotations

import datetime
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import translation

from insights.overview import national_overview
from tests.support.testing import compilation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def facts() -> list[dict]:
    return compilation()["partnerships"]


def test_the_figures_match_the_compilation():
    data = national_overview()
    named = {m["kommunenummer"] for p in facts() for m in p["municipalities"]}
    unnamed = sum(
        max(0, (p.get("municipality_count_stated") or 0) - len(p["municipalities"]))
        for p in facts()
    )
    assert data["partnerships"] == len(facts())
    assert data["municipalities"] == len(named) == 29
    assert data["municipalities_stated"] == len(named) + unnamed
    assert data["municipalities_stated"] == compilation()["compilation_claims"]["municipalities"]
    assert data["municipalities_incomplete"] == [
        {
            "name": "Kunnskapskommunen HelseOmsorg Nord",
            "url": "/partnerships/kunnskapskommunen-helseomsorg-nord/",
            "stated": 6,
            "named": 1,
        }
    ]
    assert data["clusters"] == sum(p["kind"] == "cluster" for p in facts())
    assert data["by_kind"] == dict(Counter(p["kind"] for p in facts()))


def test_initiative_is_academia_against_municipal_or_mutual():
    """Four academia-initiated, as the compilation names them; the eleven others together."""
    data = national_overview()
    academia = sum(p["initiator"]["side"] == "academia" for p in facts())
    assert data["by_initiative"] == {"academia": academia, "municipal_or_mutual": 11}
    assert academia == 4
    assert sum(data["by_initiative_side"].values()) == len(facts())


def test_earliest_roots_is_vestvagoy_1988_with_kristiansands_early_2000s_counted():
    data = national_overview(today=TODAY)
    assert data["earliest_roots"]["label"] == "1988 (Vestvågøy)"
    assert data["earliest_roots_year"] == min(p["roots_year"] for p in facts() if p["roots_year"])
    kristiansand = next(r for r in data["timeline"] if r["slug"] == "kristiansand-uia")
    assert (kristiansand["roots"], kristiansand["roots_from"], kristiansand["roots_to"]) == (
        "tidlig 2000-tall",
        2000,
        2004,
    )
    with translation.override("en"):
        row = next(
            r
            for r in national_overview(today=TODAY)["partnership_list"]
            if r["slug"] == "kristiansand-uia"
        )
    assert row["roots_age"] == "about 22–26 years"
    # every partnership with roots or an agreement is on the timeline, none dropped
    dated = [p for p in facts() if p["roots_year"] or p["agreement_year"] or p.get("roots_period")]
    assert len(data["timeline"]) == len(dated)


def test_sorting_by_roots_places_a_period_at_its_first_year_and_keeps_the_undated():
    rows = national_overview(sort="roots")["partnership_list"]
    slugs = [r["slug"] for r in rows]
    assert slugs[:3] == [
        "kunnskapskommunen-helseomsorg-nord",  # 1988
        "kristiansand-uia",  # early 2000s
        "universitetskommunen-trondheim-trd3-0",  # 2012
    ]
    assert len(rows) == len(facts())
    assert [r["roots"] for r in rows[-2:]] == [None, None]
    newest_first = national_overview(sort="-roots")["partnership_list"]
    assert newest_first[-3]["slug"] == "kunnskapskommunen-helseomsorg-nord"
    assert [r["roots"] for r in newest_first[-2:]] == [None, None]
    assert national_overview(sort="nonsense")["sort"] == "name"


def test_roots_and_agreements_stay_apart():
    rows = {r["slug"]: r for r in national_overview()["partnership_list"]}
    trd = rows["universitetskommunen-trondheim-trd3-0"]
    assert (trd["roots"], trd["agreement"]) == ("2012", "2018")
    assert rows["kunnskapskommunen-helseomsorg-vest"]["agreement"] is None


def test_every_row_says_as_of_when():
    with translation.override("en"):
        rows = {r["slug"]: r for r in national_overview(today=TODAY)["partnership_list"]}
    assert rows["usn-drammen"]["facts_as_of"] == 2021
    assert rows["usn-drammen"]["status_summary"] == "Active, last confirmed 2021"
    assert "Active" not in rows["universitetskommunen-kongsvinger"]["status_summary"]
    assert national_overview()["facts_as_of"] == [(2021, 14), (2022, 1)]


def test_knowledge_institutions_are_counted_once_each():
    data = national_overview()
    per_partnership = sum(p["knowledge_institution_count"] for p in data["partnership_list"])
    assert 0 < data["knowledge_institutions"] < per_partnership  # NTNU and USN are shared


def test_the_partnership_list_names_each_lead():
    by_slug = {p["slug"]: p for p in facts()}
    for row in national_overview()["partnership_list"]:
        fact = by_slug[row["slug"]]
        lead = fact["lead_municipality"]
        expected = next(
            (m["kommunenummer"] for m in fact["municipalities"] if m["name"] == lead), None
        )
        assert row["lead_municipality_number"] == expected
        assert row["municipality_count"] == len(fact["municipalities"])
        assert row["roots_year"] == (
            fact["roots_year"] or (fact.get("roots_period") or {}).get("from")
        )
        assert row["agreement_year"] == fact["agreement_year"]


def test_the_command_prints_the_same_figures_as_json(capsys):
    call_command("overview", "--json")
    printed = json.loads(capsys.readouterr().out)
    expected = national_overview()
    for key in (
        "partnerships",
        "municipalities",
        "municipalities_stated",
        "knowledge_institutions",
        "clusters",
        "by_kind",
        "by_initiative",
        "earliest_roots_year",
    ):
        assert printed[key] == expected[key]
    assert [f["key"] for f in printed["findings"]] == [
        "anchoring",
        "initiative",
        "agreements",
        "roots",
    ]
    row = printed["partnership_list"][0]
    assert set(row) >= {
        "slug",
        "name",
        "kind",
        "lead_municipality",
        "municipality_count",
        "stated_municipality_count",
        "knowledge_institution_count",
        "initiative_group",
        "roots",
        "roots_year",
        "agreement",
        "agreement_year",
        "facts_as_of",
    }


def test_the_command_prints_the_findings_as_text(capsys):
    with translation.override("en"):
        call_command("overview")
    out = capsys.readouterr().out
    assert "Member municipalities: 29 named, 34 counting stated numbers" in out
    assert "Earliest roots: 1988 (Vestvågøy)" in out
    assert "11 of 15" in out


def test_an_empty_registry_gives_zeros_not_errors():
    from partnerships.models import Partnership

    Partnership.objects.all().delete()
    data = national_overview()
    assert data["partnerships"] == 0
    assert data["earliest_roots_year"] is None
    assert data["timeline"] == []


def test_knowledge_institutions_follow_the_compilations_count():
    """The academic partners, plus the hospitals KS counts as knowledge institutions."""
    academic = {a["short_name"] for p in facts() for a in p["academic_institutions"]}
    hospitals = {
        o
        for p in facts()
        for o in p["other_partners"]
        if "counted by KS as a knowledge institution" in o
    }
    data = national_overview()
    assert data["knowledge_institutions"] == len(academic) + len(hospitals)
    assert data["knowledge_institutions_hospitals"] == len(hospitals) == 2
