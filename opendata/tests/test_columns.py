"""The column definitions: the contract with bulk import, and the formula guard."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opendata import columns as cols
from opendata import dictionary

ACTIVITY_CONTRACT = [
    "id", "title", "activity_type", "thesis_level", "status", "start_date", "end_date",
    "summary", "partnerships", "themes", "funding_source", "funding_amount",
    "cristin_project_id", "nfr_project_number", "professional_owner",
    "professional_owner_level", "strategic_owner", "strategic_owner_level", "organisations",
    "is_public", "professional_owner_name", "strategic_owner_name", "url",
]  # fmt: skip


def test_activity_columns_are_the_agreed_contract():
    kind = cols.KINDS["activities"]
    assert kind.names == ACTIVITY_CONTRACT
    assert [c.name for c in kind.columns if not c.importable] == [
        "professional_owner_name",
        "strategic_owner_name",
        "url",
    ]


@pytest.mark.parametrize("kind", list(cols.KINDS))
def test_read_only_columns_come_last(kind):
    flags = [c.importable for c in cols.KINDS[kind].columns]
    assert flags == sorted(flags, reverse=True), kind
    assert len(set(cols.KINDS[kind].names)) == len(flags)
    for key in cols.KINDS[kind].key:
        assert cols.KINDS[kind].column(key).importable


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil")',
        "+47 400 00 000",
        "-2+3",
        "@SUM(A1)",
        "\tindent",
        "\rreturn",
        "'quoted",
        "''",
        "'",
        "plain text",
        "",
        "2500000",
        "a=b",
    ],
)
def test_formula_guard_is_reversible(text):
    guarded = cols.neutralise(text)
    assert guarded[:1] not in set("=+-@\t\r")
    assert cols.unneutralise(guarded) == text


def test_formula_guard_leaves_safe_cells_alone():
    assert cols.neutralise("Drammen") == "Drammen"
    assert cols.neutralise("=1+1") == "'=1+1"
    assert cols.neutralise("'Tis") == "''Tis"
    # A hand-made cell with an apostrophe before ordinary text keeps it.
    assert cols.unneutralise("'Tis") == "'Tis"


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (cols.DATE, date(2024, 2, 29)),
        (cols.DATETIME, datetime(2025, 3, 4, 9, 0, tzinfo=ZoneInfo("Europe/Oslo"))),
        (cols.INTEGER, 2500000),
        (cols.NUMBER, Decimal("0.50")),
        (cols.BOOLEAN, True),
        (cols.BOOLEAN, False),
        (cols.LIST, ["owner:drammen", "partner:usn"]),
        (cols.LIST, []),
        (cols.STRING, "Tromsø"),
        (cols.DATE, None),
    ],
)
def test_to_string_and_parse_are_inverse(type_, value):
    column = cols.Column("x", "x", "", type_, get=lambda r, c: None)
    assert cols.parse(column, cols.to_string(value)) == value


def test_parse_refuses_malformed_booleans():
    column = cols.Column("is_public", "", "", cols.BOOLEAN, get=lambda r, c: None)
    with pytest.raises(ValueError):
        cols.parse(column, "yes")


def test_references_name_existing_kinds():
    for kind in cols.KINDS.values():
        for column in kind.columns:
            if column.refers:
                assert column.refers in cols.KINDS, (kind.name, column.name)


def test_docs_table_is_current():
    path = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"
    text = path.read_text(encoding="utf-8")
    assert dictionary.refresh(text) == text, "run: python -m opendata.dictionary docs/open-data.md"
