"""Bad input: each gives a clear report, naming row and column where it can, and writes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from activities.models import Activity
from imports.models import ImportBatch
from imports.reading import ReadError, read_table
from imports.sources import read_file
from imports.tests.conftest import activity_row, csv_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def unchanged_database():
    """The test fails if the import wrote any activity or batch."""
    before = (Activity.all_objects.count(), ImportBatch.objects.count())
    yield
    assert (Activity.all_objects.count(), ImportBatch.objects.count()) == before


def problems(report) -> list[tuple]:
    return [(p.row, p.column) for p in report.problems]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_windows_1252_is_read_and_said(admin, run_check):
    raw = csv_bytes([activity_row(title="Læring på Ørland og Å")], encoding="cp1252")
    report = run_check(raw, admin)
    assert report.ok and report.created == 1
    assert "Windows-1252" in " ".join(report.notes)


@pytest.mark.parametrize(
    "raw",
    [
        "title,activity_type\nTromsø,phd\n".encode("utf-16-le"),  # UTF-16 without its mark
        b"\x00\x01\x02binary\x03\x04",
    ],
)
def test_a_file_in_an_unreadable_encoding_is_refused(raw, unchanged_database):
    with pytest.raises(ReadError, match="UTF-8"):
        read_table(raw, "activities.csv")


def test_utf8_read_as_latin1_somewhere_before_is_named_by_row_and_column(
    admin, run_commit, unchanged_database
):
    raw = csv_bytes([activity_row(), activity_row(title="TromsÃ¸ kommune")])
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [(3, "title")]


def test_missing_and_renamed_columns_are_named_in_row_1(admin, run_commit, unchanged_database):
    raw = b"tittel,activity_type,partnerships\nEt prosjekt,phd,usn-drammen\n"
    report, _batch = run_commit(raw, admin)
    assert set(problems(report)) == {(1, "tittel"), (1, "title")}
    messages = {p.column: p.message for p in report.problems}
    assert "title" in messages["tittel"]  # "did you mean title?"


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(raw, unchanged_database):
    with pytest.raises(ReadError, match="empty"):
        read_table(raw, "activities.csv")


def test_a_header_without_rows_is_reported(admin, run_commit, unchanged_database):
    report, _batch = run_commit(b"title,activity_type,partnerships\n", admin)
    assert problems(report) == [(2, "")]


def test_xlsx_formulas_are_reported_never_evaluated(admin, run_commit, unchanged_database):
    raw = xlsx(
        [
            ["title", "activity_type", "partnerships", "funding_amount"],
            ["Et prosjekt", "phd", "usn-drammen", "=1000*2500"],
            ["Et annet", "phd", "usn-drammen", 2500000],
        ]
    )
    report, _batch = run_commit(raw, admin, filename="activities.xlsx")
    assert problems(report) == [(2, "funding_amount")]
    assert "formula" in report.problems[0].message


def test_csv_injection_payloads_are_refused(admin, run_commit, unchanged_database):
    raw = csv_bytes(
        [
            activity_row(title='=HYPERLINK("http://evil.example","klikk")'),
            activity_row(title="Trygg", summary="@SUM(1+1)*cmd|' /C calc'!A0"),
            activity_row(title="Også trygg", funding_source="+47 22 00 00 00"),
        ]
    )
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [(2, "title"), (3, "summary"), (4, "funding_source")]


def test_xlsx_text_keeps_the_guard_rule(admin, run_check):
    raw = xlsx(
        [["title", "activity_type", "partnerships"], ["'=Ikke formel", "phd", "usn-drammen"]]
    )
    report = run_check(raw, admin, filename="a.xlsx")
    assert report.ok, report.problems


def test_numbers_with_a_decimal_comma_must_be_whole_kroner(admin, run_commit, unchanged_database):
    raw = csv_bytes(
        [
            activity_row(title="Hel", funding_amount="2500000,00"),
            activity_row(title="Halv", funding_amount="2,5"),
        ],
        delimiter=";",
    )
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [(3, "funding_amount")]
    assert "whole kroner" in report.problems[0].message


def test_dates_in_norwegian_forms_are_read_and_wrong_ones_named(
    admin, run_commit, unchanged_database
):
    raw = csv_bytes(
        [
            activity_row(title="A", start_date="01.08.2024", end_date="30. juni 2027"),
            activity_row(title="B", start_date="31.02.2024"),
            activity_row(title="C", start_date="01.08.2024", end_date="01.07.2024"),
        ]
    )
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [(3, "start_date"), (4, "end_date")]


def test_duplicate_keys_are_reported(admin, run_commit, unchanged_database):
    row = activity_row(nfr_project_number="321045")
    report, _batch = run_commit(csv_bytes([row, {**row, "title": "Annen tittel"}]), admin)
    assert problems(report) == [(3, "nfr_project_number")]


def test_unknown_organisations_partnerships_and_themes_are_named(
    admin, run_commit, unchanged_database
):
    raw = csv_bytes(
        [
            activity_row(
                partnerships="usn-drammen; finnes-ikke",
                themes="romfart",
                professional_owner="9999",
                strategic_owner="Aldri Hørt Om AS",
                organisations="partner:123456789; sponsor:usn",
            )
        ]
    )
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [
        (2, "partnerships"),
        (2, "themes"),
        (2, "professional_owner"),
        (2, "strategic_owner"),
        (2, "organisations"),
    ]
    message = report.problems[-1].message
    assert "123456789" in message and "sponsor" in message


def test_malformed_json_is_refused_with_its_line(unchanged_database):
    raw = b'{"hits": [\n  {"title": "Et prosjekt",}\n]}'
    with pytest.raises(ReadError, match="Line 2"):
        read_file(raw, "projects.json")


def test_json_that_holds_no_projects_is_refused(unchanged_database):
    with pytest.raises(ReadError):
        read_file(json.dumps("bare tekst").encode(), "projects.json")


def test_a_file_that_says_xlsx_but_is_not_is_refused(unchanged_database):
    with pytest.raises(ReadError, match="XLSX"):
        read_table(b"title\nx\n", "activities.xlsx")
    with pytest.raises(ReadError, match="XLSX"):
        read_table(b"PK\x03\x04 not really a zip", "activities.csv")


def test_cells_beyond_the_header_are_reported(admin, run_commit, unchanged_database):
    raw = b"title,activity_type,partnerships\nEt prosjekt,phd,usn-drammen,ekstra\n"
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [(2, "")]
