"""A 100 000-row file is checked in bounded memory, with the queries of a small one and two
lookups of its keys per chunk."""

from __future__ import annotations

import pytest

from imports.kinds import CHUNK
from imports.reading import read_table
from imports.service import Options, check
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db

HEADER = (
    "title,activity_type,status,start_date,funding_amount,cristin_project_id,partnerships,"
    "professional_owner,organisations\n"
)


def big_csv(n: int) -> bytes:
    lines = [HEADER]
    for i in range(n):
        lines.append(
            f"Prosjekt nummer {i},research_project,ongoing,01.0{1 + i % 9}.2024,"
            f'"{i % 997} 000",{1_000_000 + i},usn-drammen,3301,partner:usn\n'
        )
    return "".join(lines).encode()


def run(raw: bytes, user):
    return check(read_table(raw, "big.csv"), "activities", "big.csv", Options(user=user))


def test_a_100000_row_file_validates_with_the_queries_of_a_small_one(coordinator):
    """Besides two lookups of each chunk's own keys in the database (titles and
    Cristin ids, by index), a 100-chunk file runs the queries of a one-chunk file."""
    run(big_csv(1), coordinator)  # the user's roles are read once and kept
    small_report = []
    small = count_queries(lambda: small_report.append(run(big_csv(CHUNK), coordinator)))
    big_report = []
    large = count_queries(lambda: big_report.append(run(big_csv(100 * CHUNK), coordinator)))
    assert large - small == 2 * 99
    report = big_report[0]
    assert report.problems == [] and report.created == report.rows == 100_000


def test_every_bad_row_of_a_big_file_is_reported(coordinator):
    raw = big_csv(20_000).replace(b",research_project,", b",romfart,")
    report = run(raw, coordinator)
    assert len(report.problems) == 20_000
    assert {p.column for p in report.problems} == {"activity_type"}
