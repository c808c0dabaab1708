"""The compilation's findings, counted from the bundled data and checked against the source.

The source is the compilation's overview page: academia started exactly four
partnerships (OsloMet with Oslo; USN with Drammen, Skien and Færder) and the
rest came from the municipal side or both; most formal agreements came in the
last four to five years before 2021, some in the pandemic years 2020–21; roots
go back to the late 1980s (Vestvågøy) and the early 2000s (Kristiansand);
the larger KHO Vest and TRD3.0 to 2015 and 2012. The figures below are
recomputed independently from the facts file the dataset was built from.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import resolve
from django.utils import translation

from core.dates import When
from insights import findings
from partnerships.choices import BodyKind
from partnerships.models import Anchoring, Body, Partnership
from tests.support.testing import compilation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def facts() -> list[dict]:
    return compilation()["partnerships"]


def english(fn, *args, **kwargs):
    with translation.override("en"):
        return fn(*args, **kwargs)


# -- initiative ---------------------------------------------------------------------------


def test_academia_started_exactly_the_four_the_compilation_names():
    f = english(findings.initiative)
    assert f.figures["academia"] == 4
    assert f.figures["municipal_or_mutual"] == 11
    assert f.figures["unknown"] == 0
    academia = {p["slug"] for p in facts() if p["initiator"]["side"] == "academia"}
    assert academia == set(findings.ACADEMIA_INITIATED)
    assert "11 of 15" in f.text
    assert f.text.startswith("Most partnerships were started by the municipality")
    assert "exactly the ones the compilation names" in f.text
    # the 11 split: municipality, mutual, and "the source does not say which"
    assert (
        f.figures["municipality"] + f.figures["mutual"] + f.figures["municipality_or_mutual_unsaid"]
        == 11
    )


def test_the_initiative_finding_follows_the_data():
    Partnership.objects.filter(slug="universitetskommune-oppdal").update(initiative="academia")
    f = english(findings.initiative)
    assert (f.figures["academia"], f.figures["municipal_or_mutual"]) == (5, 10)
    assert "exactly" not in f.text
    Partnership.objects.filter(slug="usn-skien").update(initiative="")
    f = english(findings.initiative)
    assert f.figures["unknown"] == 1
    assert "For 1 partnership no source says who took the initiative." in f.text
    assert "does not record all of them so" in f.text


# -- formal agreements ----------------------------------------------------------------------


def test_most_formal_agreements_came_in_the_last_five_years_some_in_the_pandemic():
    years = [p["agreement_year"] for p in facts() if p["agreement_year"]]
    dated = [y for y in years if y <= 2021]
    recent = [y for y in dated if 2017 <= y <= 2021]
    pandemic = [y for y in dated if y in (2020, 2021)]
    f = english(findings.formal_agreements)
    assert f.figures["dated_up_to_compilation"] == len(dated) == 10
    assert f.figures["recent"] == len(recent) == 10
    assert f.figures["pandemic"] == len(pandemic) == 5
    assert f.figures["undated"] == len(facts()) - len(years)
    assert f.text.startswith("Most formal agreements are recent.")
    assert "Of the 10 partnerships with a formal agreement dated up to 2021, 10 made it" in f.text
    assert "and 5 of them in the pandemic years 2020–2021" in f.text


def test_an_agreement_after_the_compilation_is_counted_apart():
    Partnership.objects.filter(slug="universitetskommune-oppdal").update(agreement_year=2023)
    f = english(findings.formal_agreements)
    assert f.figures["after_compilation"] == 1
    assert f.figures["dated_up_to_compilation"] == 9
    assert "1 partnership made its first formal agreement after the compilation." in f.text


# -- roots ----------------------------------------------------------------------------------


def test_the_oldest_roots_are_vestvagoy_1988_and_kristiansand_early_2000s():
    f = english(findings.roots, today=TODAY)
    assert f.figures["earliest"]["label"] == "1988 (Vestvågøy)"
    assert f.figures["earliest"]["year"] == 1988
    assert [o["who"] for o in f.figures["oldest"]] == ["Vestvågøy", "Kristiansand"]
    assert f.figures["oldest"][1]["roots"] == "tidlig 2000-tall"
    assert "The oldest roots go back to 1988 (Vestvågøy) and tidlig 2000-tall (Kristiansand)." in (
        f.text
    )
    # Kristiansand's period is counted, with a range of ages
    assert f.figures["with_roots"] == 13
    kristiansand = Partnership.objects.get(slug="kristiansand-uia").name
    assert f.figures["ages"][kristiansand] == (22, 26)


def test_the_larger_partnerships_roots_are_2015_and_2012():
    f = english(findings.roots, today=TODAY)
    assert [(r["name"], r["roots"]) for r in f.figures["larger"]] == [
        ("Kunnskapskommunen Helse Omsorg Vest", "2015"),
        ("Universitetskommunen Trondheim TRD3.0", "2012"),
    ]
    assert "2015 (Kunnskapskommunen Helse Omsorg Vest) and 2012 (Universitetskommunen" in f.text
    Partnership.objects.filter(slug="universitetskommunen-trondheim-trd3-0").update(roots_year=2010)
    assert "and 2010 (Universitetskommunen Trondheim TRD3.0)" in english(findings.roots).text


def test_a_worded_period_counts_from_its_first_year():
    rows = [
        (When(1988, 1988), "Vestvågøy"),
        (When(1985, 1989, "slutten av 1980-tallet"), "Annen"),
        (None, "Uten røtter"),
    ]
    earliest = english(findings.earliest_roots, rows)
    assert earliest["year"] == 1985
    assert earliest["label"] == "slutten av 1980-tallet (Annen)"
    assert findings.earliest_roots([(None, "x")]) is None


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (When(2000, 2004, "tidlig 2000-tall"), "about 22–26 years"),
        (When(2015, 2015), "11 years"),
        (When(2025, 2025), "1 year"),
    ],
)
def test_ages_are_ranges_for_periods(when, expected):
    assert english(findings.age_text, when, TODAY) == expected


# -- anchoring ------------------------------------------------------------------------------


def top_on_both_sides_in_the_facts() -> int:
    municipal, academic = {"political", "administrative_top"}, {"board", "rectorate"}
    return sum(
        1
        for p in facts()
        if {a["level"] for a in p["anchoring"]} & municipal
        and {a["level"] for a in p["anchoring"]} & academic
    )


def test_top_anchoring_on_both_sides_is_counted():
    f = english(findings.anchoring_at_the_top)
    assert f.figures["top_both_sides"] == top_on_both_sides_in_the_facts() == 8
    assert f.figures["partnerships"] == 15
    assert f.figures["academic_below_top_only"] == 1  # Lofoten: faculty and institute only
    assert f.figures["no_anchoring"] == 1  # Bærum
    assert "recorded for 8 of 15 partnerships" in f.text
    assert "All 15 partnerships that contributed to the compilation agree" in f.text


def test_a_stated_absence_is_not_anchoring_and_new_records_count():
    oppdal = Partnership.objects.get(slug="universitetskommune-oppdal")
    ntnu = oppdal.memberships.get(role="academic_partner").organisation
    Anchoring.objects.create(
        partnership=oppdal, organisation=ntnu, level="rectorate", evidence="statement", absent=True
    )
    assert english(findings.anchoring_at_the_top).figures["top_both_sides"] == 8
    Anchoring.objects.create(
        partnership=oppdal, organisation=ntnu, level="rectorate", evidence="signed_agreement"
    )
    assert english(findings.anchoring_at_the_top).figures["top_both_sides"] == 9


def test_one_partnership_reads_in_the_singular():
    one = Partnership.objects.filter(slug="usn-drammen")
    f = english(findings.anchoring_at_the_top, one)
    assert "recorded for 1 of 1 partnership." in f.text
    assert english(findings.initiative, one).text.startswith(
        "0 of 1 partnership was started by the municipality or by both"
    )


def test_all_findings_in_order():
    keys = [f.key for f in english(findings.compilation_findings, today=TODAY)]
    assert keys == ["anchoring", "initiative", "agreements", "roots"]


def test_an_empty_registry_gives_no_numbers_and_no_errors():
    Partnership.objects.all().delete()
    for f in english(findings.compilation_findings):
        assert f.figures["partnerships"] == 0
    assert english(findings.vintage)["text"] == ""


# -- counts, vintage, pains -----------------------------------------------------------------


def test_municipalities_named_and_as_the_sources_count_them():
    counts = findings.municipality_counts()
    named = {m["kommunenummer"] for p in facts() for m in p["municipalities"]}
    assert counts["named"] == len(named) == 29
    assert counts["stated"] == compilation()["compilation_claims"]["municipalities"] == 34
    [nord] = counts["incomplete"]
    assert (nord["name"], nord["stated"], nord["named"]) == (
        "Kunnskapskommunen HelseOmsorg Nord",
        6,
        1,
    )


def test_knowledge_institutions_with_the_hospitals_the_compilation_counts():
    counts = findings.knowledge_institution_counts()
    academic = {a["short_name"] for p in facts() for a in p["academic_institutions"]}
    assert counts["academic"] == len(academic) == 15
    assert counts["hospitals"] == 2
    assert counts["total"] == 17


def test_vintage_says_as_of_when():
    v = english(findings.vintage)
    assert v["year"] == 2021
    assert v["at_compilation"] == 14
    assert v["later"] == [("Kongsvinger universitetskommune", 2022)]
    assert "as of 2021, when the compilation was made, for 14 of 15 partnerships" in v["text"]


def test_each_pain_links_to_the_feature_that_answers_it():
    pains = english(findings.pains)
    assert [p["key"] for p in pains] == ["levels", "information", "meeting-places", "coordination"]
    for p in pains:
        resolve(p["url"])  # a real page
    coordinated = (
        Partnership.objects.filter(coordinator_fte__gt=0)
        | Partnership.objects.filter(bodies__kind=BodyKind.SECRETARIAT)
    ).distinct()
    assert f"recorded for {coordinated.count()} of 15 partnerships" in pains[3]["answer"]
    Body.objects.create(
        partnership=Partnership.objects.get(slug="usn-skien"),
        name="Sekretariat",
        kind="secretariat",
    )
    assert f"recorded for {coordinated.count()} of 15" in english(findings.pains)[3]["answer"]
