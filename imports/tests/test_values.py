"""Cells as people write them: Norwegian dates and amounts, yes/no, labels, the formula guard."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from activities.choices import ActivityType
from imports import values as v
from opendata.columns import neutralise

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("2025-03-14", datetime.date(2025, 3, 14)),
        ("14.03.2025", datetime.date(2025, 3, 14)),
        ("14.3.2025", datetime.date(2025, 3, 14)),
        ("14.03.25", datetime.date(2025, 3, 14)),
        ("14. mars 2025", datetime.date(2025, 3, 14)),
        ("1 desember 2024", datetime.date(2024, 12, 1)),
        (datetime.datetime(2025, 3, 14, 0, 0), datetime.date(2025, 3, 14)),
        ("", None),
    ],
)
def test_dates_in_iso_and_norwegian_forms(cell, expected):
    assert v.date(cell) == expected


@pytest.mark.parametrize("cell", ["31.02.2025", "03/14/2025", "i fjor"])
def test_impossible_or_foreign_dates_are_refused(cell):
    with pytest.raises(v.CellError):
        v.date(cell)


def test_a_real_date_out_of_a_kinds_years_is_refused_by_the_kind_not_the_reader():
    """The years belong to the record's model (DATE_YEARS, imports/tests/test_same_rules.py)."""
    assert v.date("14.03.1850") == datetime.date(1850, 3, 14)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("2500000", 2_500_000),
        ("2 500 000", 2_500_000),
        ("2\u00a0500\u00a0000", 2_500_000),
        ("2.500.000", 2_500_000),
        ("2500000,00", 2_500_000),
        ("2 500 000 kr", 2_500_000),
        ("2 500 000,-", 2_500_000),
        (2500000, 2_500_000),
        (2500000.0, 2_500_000),
        ("", None),
    ],
)
def test_amounts_in_whole_kroner(cell, expected):
    assert v.amount(cell) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("cell", ["2,5", "2500000,50", 2.5, "-100", "mange", "1e6"])
def test_amounts_that_are_not_whole_kroner_are_refused(cell):
    with pytest.raises(v.CellError):
        v.amount(cell)


def test_decimal_comma_message_says_whole_kroner():
    with pytest.raises(v.CellError, match="whole kroner"):
        v.amount("2,5")


@pytest.mark.parametrize("cell", ["true", "ja", "Yes", "1", "JA"])
def test_yes(cell):
    assert v.boolean(cell) is True


@pytest.mark.parametrize("cell", ["false", "nei", "no", "0"])
def test_no(cell):
    assert v.boolean(cell) is False


def test_choices_accept_code_and_labels_in_both_languages():
    assert v.choice("phd", ActivityType) == "phd"
    assert v.choice("Research project", ActivityType) == "research_project"
    with pytest.raises(v.CellError, match="research_project"):
        v.choice("romfart", ActivityType)


@pytest.mark.parametrize("text", ["=1+1", "+47 400", "-minus", "@SUM(A1)", "'quoted", "\tx"])
def test_the_export_guard_comes_off_again(text):
    assert v.text(neutralise(text)) == text.strip()


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+cmd", "@SUM(1)", "-2+3", "\t=1"])
def test_formula_payloads_without_the_guard_are_refused(cell):
    with pytest.raises(v.CellError, match="formula"):
        v.text(cell)


def test_garbled_encoding_is_refused():
    with pytest.raises(v.CellError, match="UTF-8"):
        v.text("TromsÃ¸")


def test_messages_are_in_bokmal_by_default():
    from django.utils import translation

    with translation.override("nb"), pytest.raises(v.CellError, match="hele kroner"):
        v.amount("2,5")
