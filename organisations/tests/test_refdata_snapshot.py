"""The reference data snapshot shipped with unikom: ``load_snapshot``, its script, its command.

The session database holds the reference data loaded from the official files
(see conftest.py). Tests of a fresh machine first forget it, as a database
that never had reference data looks to the pages: no boundaries, no
population, nothing marked as reference data.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation

from organisations import refdata
from organisations.choices import OrganisationKind, RecordSource
from organisations.models import Boundary, Organisation
from organisations.refdata import (
    RefdataError,
    decode_snapshot,
    encode_snapshot,
    has_refdata,
    load_directory,
    load_snapshot,
)

from .test_refdata_load import copy_files, edit
from .test_refdata_load import snapshot as database_state

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_refdata_snapshot.py"
ALL_FILES = (
    "municipalities.csv",
    "oslo_bydeler.csv",
    "institutions.csv",
    "fylker_2024.geojson",
    "kommuner_2024.geojson",
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def forget_reference_data() -> None:
    """Make the database look as if reference data had never been loaded."""
    Boundary.objects.all().delete()
    Organisation.objects.municipalities().update(population=None, population_date=None)
    Organisation.objects.filter(record_source=RecordSource.REFDATA).update(
        record_source=RecordSource.MANUAL
    )


def shipped() -> dict:
    return decode_snapshot(refdata.SNAPSHOT_FILE.read_bytes())


def write(path: Path, snapshot: dict) -> Path:
    path.write_bytes(encode_snapshot(snapshot))
    return path


def build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT
    )


# -- what the shipped snapshot gives -------------------------------------------------------


def test_on_a_fresh_database_it_gives_every_municipality_with_population_and_the_map():
    forget_reference_data()
    assert not has_refdata()
    report = load_snapshot()
    municipalities = Organisation.objects.municipalities()
    assert municipalities.count() == 357
    assert not municipalities.filter(population__isnull=True).exists()
    assert municipalities.aggregate(total=Sum("population"))["total"] == 5_550_203
    assert not municipalities.exclude(parent__kind=OrganisationKind.COUNTY).exists()
    bergen = municipalities.get(municipality_number="4601")
    assert (bergen.population, bergen.population_date) == (291_940, date(2024, 1, 1))
    assert bergen.parent.name == "Vestland"
    assert Organisation.objects.counties().count() == 15
    boundaries = Boundary.objects.all()
    assert boundaries.filter(organisation__kind=OrganisationKind.MUNICIPALITY).count() == 357
    assert boundaries.filter(organisation__kind=OrganisationKind.COUNTY).count() == 15
    assert report.boundaries.created == 372
    assert has_refdata()


def test_it_says_exactly_what_the_official_files_say_map_included(refdata_dir):
    load_directory(refdata_dir)  # puts back anything other tests' set-up changed
    report = load_snapshot()
    assert not report.changed, report.summary()
    assert (report.municipalities.unchanged, report.counties.unchanged) == (357, 15)
    assert (report.districts.unchanged, report.institutions.unchanged) == (15, 76)
    assert report.boundaries.unchanged == 372


def test_it_records_source_date_and_attribution_and_tells_the_operator():
    about = shipped()["about"]
    assert about["valid_on"] == "2024-01-01"
    assert about["attribution"] == [
        "Contains data from Statistisk sentralbyrå (SSB)",
        "© Kartverket",
    ]
    assert any("Kartverket" in source["source"] for source in about["sources"])
    assert all("SSB" in source["source"] for source in about["sources"][:3])
    assert all(source["licence"] and source["date"] for source in about["sources"])
    assert sorted(about["built_from"]) == sorted(ALL_FILES)
    with translation.override("nb"):
        notes = "\n".join(load_snapshot(dry_run=True).notes)
    assert "gyldig per 1. januar 2024" in notes
    assert "Statistisk sentralbyrå (SSB)" in notes and "© Kartverket" in notes


def test_the_snapshot_is_small_and_holds_no_local_path(refdata_dir):
    data = refdata.SNAPSHOT_FILE.read_bytes()
    assert len(data) < 1_000_000
    text = str(shipped())
    assert str(ROOT) not in text and str(refdata_dir) not in text


# -- replaced by a later load -------------------------------------------------------------


def test_loading_the_official_files_afterwards_replaces_what_the_snapshot_gave(
    refdata_dir, tmp_path
):
    forget_reference_data()
    load_snapshot()
    organisations = Organisation.objects.count()
    copy_files(refdata_dir, tmp_path, ALL_FILES)
    edit(tmp_path / "municipalities.csv", ",Vestland,Vestland,291940", ",Vestland,Vestland,300000")
    report = load_directory(tmp_path)
    assert report.municipalities.updated == 1
    assert Organisation.objects.get(municipality_number="4601").population == 300_000
    assert Organisation.objects.count() == organisations  # updated in place, no duplicates
    assert report.boundaries.unchanged == 372  # the snapshot drew the files' own map


# -- a damaged or invalid snapshot ------------------------------------------------------


def truncated(path: Path) -> None:
    data = refdata.SNAPSHOT_FILE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def not_gzip(path: Path) -> None:
    path.write_text("municipalities.csv\n", encoding="utf-8")


def another_format(path: Path) -> None:
    write(path, {"format": "geojson", "files": {}})


def a_later_version(path: Path) -> None:
    write(path, {**shipped(), "version": 2})


def without_municipalities(path: Path) -> None:
    snapshot = shipped()
    del snapshot["files"]["municipalities.csv"]
    write(path, snapshot)


def bad_population(path: Path) -> None:
    snapshot = shipped()
    snapshot["files"]["municipalities.csv"][2][6] = "many"
    write(path, snapshot)


def table_of_numbers(path: Path) -> None:
    snapshot = shipped()
    snapshot["files"]["oslo_bydeler.csv"][1] = [30101, "Gamle Oslo", "0301"]
    write(path, snapshot)


def feature_without_geometry(path: Path) -> None:
    snapshot = shipped()
    snapshot["files"]["kommuner_2024.geojson"]["features"][0]["geometry"] = None
    write(path, snapshot)


NAME = "refdata-snapshot.json.gz"
DAMAGED = {
    "truncated": (truncated, f"{NAME}: the reference data snapshot cannot be read"),
    "not gzip": (not_gzip, f"{NAME}: the reference data snapshot cannot be read"),
    "another format": (another_format, f"{NAME}: the reference data snapshot cannot be read"),
    "a later version": (a_later_version, f"{NAME}: snapshot version 2 is not one this unikom"),
    "without municipalities": (
        without_municipalities,
        f"{NAME} › municipalities.csv: missing from the snapshot, and it is required.",
    ),
    "bad population": (
        bad_population,
        f"{NAME} › municipalities.csv, row 3, column population_2024_01_01: “many” is not valid",
    ),
    "table of numbers": (
        table_of_numbers,
        f"{NAME} › oslo_bydeler.csv: expected a table: rows that are lists of text cells.",
    ),
    "feature without geometry": (
        feature_without_geometry,
        f"{NAME} › kommuner_2024.geojson, feature 1, geometry: not a Polygon or MultiPolygon",
    ),
}


@pytest.mark.parametrize(("damage", "message"), DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_snapshot_is_named_and_changes_nothing(tmp_path, damage, message):
    forget_reference_data()
    path = tmp_path / NAME
    damage(path)
    before = database_state()
    with pytest.raises(RefdataError) as raised:
        load_snapshot(path)
    assert any(error.startswith(message) for error in raised.value.errors), raised.value.errors
    assert database_state() == before
    assert not has_refdata()


def test_a_missing_snapshot_says_how_to_get_it_back(tmp_path):
    with pytest.raises(RefdataError, match="Reinstall unikom"):
        load_snapshot(tmp_path / NAME)


# -- the command ----------------------------------------------------------------------------


def test_the_command_loads_the_snapshot_and_credits_its_sources():
    forget_reference_data()
    out = io.StringIO()
    call_command("refdata", "snapshot", stdout=out)
    assert f"Reading {NAME}" in out.getvalue()
    assert "Municipalities: 0 created, 357 updated, 0 unchanged" in out.getvalue()
    assert "Boundaries: 372 created" in out.getvalue()
    assert "Statistisk sentralbyrå (SSB)" in out.getvalue()
    assert Boundary.objects.count() == 372


def test_the_command_dry_run_writes_nothing():
    forget_reference_data()
    before = database_state()
    out = io.StringIO()
    call_command("refdata", "snapshot", "--dry-run", stdout=out)
    assert "Boundaries: 372 created" in out.getvalue()
    assert database_state() == before


def test_the_command_exits_non_zero_on_a_damaged_snapshot(tmp_path, monkeypatch):
    path = tmp_path / NAME
    bad_population(path)
    monkeypatch.setattr("organisations.refdata.snapshot.SNAPSHOT_FILE", path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem; nothing was loaded"):
        call_command("refdata", "snapshot", stdout=io.StringIO(), stderr=err)
    assert "municipalities.csv, row 3, column population_2024_01_01" in err.getvalue()


# -- the script that builds it -----------------------------------------------------------


def test_the_script_rebuilds_the_committed_snapshot_from_the_official_files(refdata_dir, tmp_path):
    output = tmp_path / NAME
    result = build(str(refdata_dir), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert decode_snapshot(output.read_bytes()) == shipped()
    check = build(str(refdata_dir), "--check")
    assert check.returncode == 0, check.stderr
    assert "is up to date" in check.stdout


def test_the_script_check_fails_when_the_snapshot_is_stale(refdata_dir, tmp_path):
    stale = shipped()
    stale["files"]["municipalities.csv"][1][6] = "1"
    output = write(tmp_path / NAME, stale)
    result = build(str(refdata_dir), "--check", "--output", str(output))
    assert result.returncode == 1
    assert "is not what" in result.stderr


def test_the_script_refuses_incomplete_or_invalid_files_and_writes_nothing(refdata_dir, tmp_path):
    folder = tmp_path / "ref"
    folder.mkdir()
    copy_files(refdata_dir, folder, ALL_FILES[:-1])
    edit(folder / "oslo_bydeler.csv", "030101,", "03010,")
    output = tmp_path / NAME
    result = build(str(folder), "--output", str(output))
    assert result.returncode == 2
    assert "kommuner_2024.geojson: the file is missing" in result.stderr
    assert "oslo_bydeler.csv, row 2, column bydelsnummer" in result.stderr
    assert not output.exists()


# -- what visitors see --------------------------------------------------------------------


def test_without_reference_data_the_front_page_shows_no_command(client):
    forget_reference_data()
    html = client.get("/").content.decode()
    assert "Kartet trenger referansedata" in html  # the default language, bokmål
    assert '<g class="members">' not in html
    assert "unikom refdata" not in html and "<code>" not in html
