"""NVA/Cristin JSON and Prosjektbanken CSV become activity rows (samples under samples/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from activities.models import Activity
from imports.models import ImportBatch
from imports.service import Options, check, commit
from imports.sources import read_file

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def rows(name: str) -> tuple[list[dict], str]:
    table, source_format = read_file((SAMPLES / name).read_bytes(), name)
    return [
        dict(zip(table.header, cells, strict=True)) for _n, cells in table.rows()
    ], source_format


def test_nva_search_result_maps_to_activity_rows():
    found, source_format = rows("nva_projects.json")
    assert source_format == "nva"
    first, second = found
    assert first["cristin_project_id"] == "2700001"
    assert first["nfr_project_number"] == "330001"
    assert (first["start_date"], first["end_date"], first["status"]) == (
        "2023-01-01",
        "2026-12-31",
        "ongoing",
    )
    assert first["organisations"] == "owner:Universitetet i Sørøst-Norge; partner:Drammen kommune"
    assert first["funding_source"] == "Norges forskningsråd"
    assert second["status"] == "planned" and second["end_date"] == ""


def test_cristin_v2_project_maps_to_an_activity_row():
    [row], source_format = rows("cristin_project.json")
    assert source_format == "nva"
    assert row["title"] == "Læring i praksis i barnehagen"
    assert (row["cristin_project_id"], row["nfr_project_number"]) == ("2700003", "330002")
    assert row["status"] == "completed"


def test_prosjektbanken_csv_maps_to_activity_rows(usn):
    found, source_format = rows("prosjektbanken.csv")
    assert source_format == "prosjektbanken"
    first, second = found
    assert first["nfr_project_number"] == "330010"
    assert first["organisations"] == "owner:911770709"  # the organisation number is known
    assert (first["start_date"], first["end_date"]) == ("2024-01-01", "2027-12-31")
    assert first["funding_amount"] == "12 000 000"
    assert second["activity_type"] == "innovation_project"
    assert second["organisations"] == "owner:Drammen kommune"


def test_nva_import_proposes_the_misspelt_institution_and_imports_once_confirmed(admin, usn):
    raw = (SAMPLES / "nva_projects.json").read_bytes()
    table, _f = read_file(raw, "nva_projects.json")
    report = check(table, "activities", "nva_projects.json", Options(user=admin))
    assert report.problems == []
    [proposal] = report.proposals
    assert (proposal.text, proposal.organisation_id, proposal.rows) == (
        "Universitetet i Sørøst Norge",
        usn.pk,
        [2],
    )
    batch = ImportBatch(user=admin, kind="activities", filename="nva_projects.json")
    report = commit(table, "activities", batch, Options(user=admin, accept_proposals=True))
    assert report.written and report.created == 2
    assert (
        Activity.objects.get(cristin_project_id="2700002").organisation_roles.get().organisation
        == usn
    )


def test_prosjektbanken_import_into_a_coordinators_partnership(coordinator, drammen, usn):
    table, _f = read_file((SAMPLES / "prosjektbanken.csv").read_bytes(), "prosjektbanken.csv")
    options = Options(user=coordinator, defaults={"partnerships": "usn-drammen"})
    batch = ImportBatch(user=coordinator, kind="activities", filename="prosjektbanken.csv")
    report = commit(table, "activities", batch, options)
    assert report.written, report.problems
    activity = Activity.objects.get(nfr_project_number="330011")
    assert activity.status == "completed" and activity.funding_amount == 8_000_000
    assert activity.organisation_roles.get().organisation == drammen
    assert list(activity.partnerships.values_list("slug", flat=True)) == ["usn-drammen"]


def test_a_rejected_application_in_prosjektbanken_is_reported(admin):
    raw = (
        "Prosjektnummer;Prosjekttittel;Prosjektfase\n330099;Et avslått prosjekt;Avslag\n"
    ).encode()
    table, _f = read_file(raw, "pb.csv")
    report = check(
        table, "activities", "pb.csv", Options(user=admin, defaults={"partnerships": "usn-drammen"})
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "status")]
