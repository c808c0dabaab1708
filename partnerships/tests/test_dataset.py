"""The bundled dataset reproduces the compilation, and bad datasets are refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisations.models import Organisation
from partnerships.choices import Role, initiative_side
from partnerships.dataset import BUNDLED_PATH, DatasetError, load_bundled, load_dataset
from partnerships.models import Anchoring, Membership, Partnership
from tests.support.testing import compilation

pytestmark = pytest.mark.django_db


def bundled() -> dict:
    return json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "dataset.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot() -> tuple:
    return (
        Partnership.objects.count(),
        Membership.objects.count(),
        Organisation.objects.count(),
        Partnership.history.count(),
        tuple(Partnership.objects.order_by("slug").values_list("name", flat=True)),
    )


def test_every_partnership_of_the_compilation_is_loaded():
    facts = compilation()["partnerships"]
    assert set(Partnership.objects.values_list("slug", flat=True)) == {p["slug"] for p in facts}


@pytest.mark.parametrize("fact", compilation()["partnerships"], ids=lambda p: p["slug"])
def test_each_partnership_keeps_the_compilations_facts(fact):
    p = Partnership.objects.get(slug=fact["slug"])
    members = Membership.objects.current().filter(partnership=p).select_related("organisation")
    numbers = {
        m.organisation.municipality_number for m in members if m.organisation.municipality_number
    }
    assert numbers == {m["kommunenummer"] for m in fact["municipalities"]}
    lead = [m.organisation.name for m in members if m.role == Role.LEAD]
    if fact["lead_municipality"]:
        assert lead == [
            Organisation.objects.get(
                municipality_number=next(
                    m["kommunenummer"]
                    for m in fact["municipalities"]
                    if m["name"] == fact["lead_municipality"]
                )
            ).name
        ]
    else:
        assert lead == []
    academic = [m for m in members if m.role == Role.ACADEMIC_PARTNER]
    assert len(academic) == len(fact["academic_institutions"])
    assert p.kind == fact["kind"]
    # The overview names the only academia-initiated partnerships; where a source
    # does not say which side began, it was the municipality or both.
    side = fact["initiator"]["side"]
    assert p.initiative_side == (side or "municipality_or_mutual")
    assert p.initiative_group == ("academia" if side == "academia" else "municipal_or_mutual")
    period = fact.get("roots_period")
    if period:
        assert (p.roots_year, p.roots_year_to) == (period["from"], period["to"])
        assert p.roots_display
    else:
        assert p.roots_year == fact["roots_year"]
    assert p.agreement_year == fact["agreement_year"]
    assert sorted(a.level for a in Anchoring.objects.filter(partnership=p)) == sorted(
        a["level"] for a in fact["anchoring"]
    )
    counted = [r for r in fact["results"] if r["count"] is not None]
    assert sorted(r.count for r in p.reported_results.all() if r.count is not None) == sorted(
        r["count"] for r in counted
    )
    assert all(r.unit for r in p.reported_results.all() if r.count is not None)
    assert (p.maturity or None) == fact["maturity"]
    assert Anchoring.objects.filter(partnership=p).count() == len(fact["anchoring"])
    assert p.reported_results.count() == len(fact["results"])
    assert p.source_url.startswith("https://")
    assert {s.url for s in p.sources.all()} >= set(fact["sources"])


def test_unnamed_members_are_not_invented():
    """KHO Nord: six municipalities stated, only Vestvågøy named."""
    p = Partnership.objects.get(slug="kunnskapskommunen-helseomsorg-nord")
    named = Membership.objects.filter(partnership=p, organisation__kind="municipality")
    assert [m.organisation.municipality_number for m in named] == ["1860"]
    assert p.stated_municipality_count == 6


def test_a_period_is_kept_as_written_and_placed_at_its_range():
    """The overview dates Kristiansand's roots to the early 2000s: kept, never dropped."""
    p = Partnership.objects.get(slug="kristiansand-uia")
    assert (p.roots_year, p.roots_year_to) == (2000, 2004)
    assert p.roots_display == "tidlig 2000-tall"
    assert p.agreement_display == "2018"


def test_counted_results_carry_what_they_count():
    p = Partnership.objects.get(slug="kunnskapskommunen-helseomsorg-vest")
    needs = p.reported_results.get(count=123)
    assert needs.unit == "needs_submitted"
    assert needs.get_unit_display() != "knowledge summaries"


def test_the_compilations_motor_statements_are_kept_with_their_source():
    from partnerships.models import Statement

    bergen = Statement.objects.get(organisation__municipality_number="4601")
    assert bergen.topic == "motor_municipality"
    assert "samarbeidsomrader" in bergen.source_url
    assert Statement.objects.get(organisation__municipality_number="4204").topic == (
        "term_rejected"
    )


def test_initiative_sides_follow_the_overview():
    assert initiative_side(Partnership.objects.get(slug="usn-drammen").initiative) == "academia"
    assert (
        initiative_side(Partnership.objects.get(slug="universitetskommunen-oslo").initiative)
        == "academia"
    )


def test_a_second_load_changes_nothing():
    before = snapshot()
    report = load_bundled()
    assert report.changed == 0, report.summary()
    assert snapshot() == before


def test_a_reload_restores_an_edited_partnership():
    Partnership.objects.filter(slug="usn-skien").update(name="Renamed")
    report = load_bundled()
    assert report.changed == 1
    assert Partnership.objects.get(slug="usn-skien").name != "Renamed"


def test_a_dry_run_reports_but_writes_nothing(tmp_path):
    data = bundled()
    data["partnerships"][0]["name"] = "A new name"
    before = snapshot()
    report = load_dataset(write(tmp_path, data), dry_run=True)
    assert report.changed == 1
    assert "ingenting skrevet" in report.summary()
    assert snapshot() == before


def test_an_unknown_municipality_number_is_rejected(tmp_path):
    data = bundled()
    index = next(i for i, o in enumerate(data["organisations"]) if o.get("municipality_number"))
    data["organisations"][index]["municipality_number"] = "9999"
    before = snapshot()
    with pytest.raises(DatasetError) as caught:
        load_dataset(write(tmp_path, data))
    assert any(
        f"organisations[{index}]" in e
        and "municipality_number" in e
        and "9999" in e
        and "finnes ikke" in e
        for e in caught.value.errors
    ), caught.value.errors
    assert snapshot() == before


@pytest.mark.parametrize(
    ("corrupt", "where", "what"),
    [
        (lambda d: d["partnerships"][2].update(kind="galaxy"), "partnerships[2]", "kind"),
        (
            lambda d: d["partnerships"][1]["members"][0].update(org="no-such-org"),
            "members[0] › org",
            "no-such-org",
        ),
        (
            lambda d: d["partnerships"][0].update(roots="long ago"),
            "partnerships[0]",
            "roots",
        ),
        (
            lambda d: d["partnerships"][0].update(agreement="2019-13-01"),
            "partnerships[0]",
            "agreement",
        ),
        (
            lambda d: d["partnerships"][0]["anchoring"][0].update(level="deanery"),
            "anchoring[0] › level",
            "deanery",
        ),
        (
            lambda d: d["partnerships"][0]["results"].append(
                {"type": "phd", "count": 3, "description": "Tre ph.d.-er."}
            ),
            "results[",
            "unit",
        ),
        (
            lambda d: d["partnerships"][0].update(roots_year=2001),
            "partnerships[0]",
            "roots_year",
        ),
        (
            lambda d: d["partnerships"][3].update(slug=d["partnerships"][4]["slug"]),
            "partnerships[4]",
            "mer enn én gang",
        ),
        (
            lambda d: d["partnerships"][0].update(source_url="not a url"),
            "partnerships[0]",
            "source_url",
        ),
        (
            lambda d: d["organisations"][0].update(municipality_number="12a4"),
            "organisations[0]",
            "municipality_number",
        ),
        (lambda d: d["partnerships"][0]["themes"].append("astrology"), "themes", "astrology"),
        (
            lambda d: d["partnerships"][5]["anchoring"].append(
                {"level": "political", "evidence": "decision"}
            ),
            "anchoring",
            "parten",
        ),
    ],
    ids=[
        "bad-choice",
        "unknown-org",
        "bad-year",
        "bad-date",
        "level-outside-taxonomy",
        "result-without-unit",
        "unknown-field",
        "duplicate-slug",
        "bad-url",
        "bad-number",
        "unknown-theme",
        "no-party",
    ],
)
def test_bad_input_names_the_place_and_writes_nothing(tmp_path, corrupt, where, what):
    data = bundled()
    corrupt(data)
    before = snapshot()
    with pytest.raises(DatasetError) as caught:
        load_dataset(write(tmp_path, data))
    assert any(where in e and what in e for e in caught.value.errors), caught.value.errors
    assert snapshot() == before


def test_two_leads_in_one_partnership_are_rejected(tmp_path):
    data = bundled()
    p = next(
        p
        for p in data["partnerships"]
        if p["kind"] == "cluster" and any(m["role"] == "lead" for m in p["members"])
    )
    other = next(m for m in p["members"] if m["role"] == "member_municipality")
    other["role"] = "lead"
    with pytest.raises(DatasetError) as caught:
        load_dataset(write(tmp_path, data))
    assert any("høyst én lederkommune" in e for e in caught.value.errors)


def test_malformed_json_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "unikom-dataset/1",\n "partnerships": [}', encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert "linje 2" in str(caught.value) and "broken.json" in str(caught.value)


def test_a_file_in_the_wrong_encoding_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(bundled(), ensure_ascii=False).encode("latin-1", errors="replace"))
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert "ikke UTF-8" in str(caught.value)


def test_the_demo_command_lists_problems_and_fails(tmp_path, capsys):
    data = bundled()
    data["partnerships"][0]["kind"] = "galaxy"
    path = write(tmp_path, data)
    with pytest.raises(CommandError, match="ingenting ble skrevet"):
        call_command("demo", "--file", str(path))
    assert "partnerships[0]" in capsys.readouterr().err


def test_the_demo_command_is_idempotent(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "0 opprettet, 0 oppdatert, 0 slettet" in out


def test_the_same_child_record_twice_is_named_as_a_duplicate(tmp_path):
    data = bundled()
    sources = data["partnerships"][0]["sources"]
    sources.append(dict(sources[0]))
    with pytest.raises(DatasetError) as caught:
        load_dataset(write(tmp_path, data))
    where = f"partnerships[0] «{data['partnerships'][0]['slug']}» › sources[{len(sources) - 1}]"
    assert any(where in e and "mer enn én gang" in e for e in caught.value.errors), (
        caught.value.errors
    )


def test_a_political_case_or_an_agreement_is_not_recorded_as_a_plan():
    """KSF's third criterion needs a plan; Trondheim's political case and Drammen's and
    Gjøvik's agreements only support it."""
    from partnerships.models import Plan

    kinds = {p.partnership.slug: p.kind for p in Plan.objects.select_related("partnership")}
    assert kinds["universitetskommunen-trondheim-trd3-0"] == "political_case"
    assert kinds["usn-drammen"] == kinds["universitetskommune-gjovik"] == "agreement"
    assert kinds["kunnskapskommunen-helseomsorg-vest"] == "plan"
