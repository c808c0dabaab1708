"""Import test helpers: files built from rows, and the users who import them."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from imports.models import ImportBatch
from imports.reading import read_table
from imports.service import Options, check, commit
from opendata.columns import KINDS


def csv_bytes(
    rows: list[dict], *, columns: list[str] | None = None, delimiter=",", encoding="utf-8"
) -> bytes:
    """A CSV file with ``columns`` (default: every key of the rows, in order)."""
    columns = columns or list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def activity_row(**values) -> dict:
    row = {
        "id": "",
        "title": "Samskaping i hjemmetjenesten",
        "activity_type": "research_project",
        "status": "ongoing",
        "partnerships": "usn-drammen",
    }
    row.update(values)
    return row


@pytest.fixture
def english():
    """Messages in English, as for a user who chose it (bokmål is the default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def admin():
    return get_user_model().objects.create_user("nasjonal", is_superuser=True)


@pytest.fixture
def run_check():
    def run(raw: bytes, user, kind="activities", filename="activities.csv", **options):
        return check(read_table(raw, filename), kind, filename, Options(user=user, **options))

    return run


@pytest.fixture
def run_commit():
    def run(raw: bytes, user, kind="activities", filename="activities.csv", **options):
        batch = ImportBatch(user=user, kind=kind, filename=filename, size=len(raw))
        report = commit(read_table(raw, filename), kind, batch, Options(user=user, **options))
        return report, batch

    return run


ACTIVITY_COLUMNS = KINDS["activities"].names
