"""`unikom import`: dry run, import, proposals, undo, and a report on stderr by row and column."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from activities.models import Activity
from imports.kinds import KIND_CLASSES
from imports.models import BatchState, ImportBatch
from imports.tests.conftest import activity_row, csv_bytes
from opendata.columns import KINDS

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_reads_exactly_the_importable_export_columns():
    for name, kind in KIND_CLASSES.items():
        importable = {c.name for c in KINDS[name].importable} - {"id"}
        assert set(kind.readers) == importable, name


def test_dry_run_writes_nothing_and_import_then_undo(tmp_path, admin):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes([activity_row(title="Fra kommandolinjen")]))
    out, err = run(str(path), "--user", admin.username, "--dry-run")
    assert "1 new" in out or "1 ny" in out
    assert "[" in err  # the progress bar
    assert not Activity.objects.filter(title="Fra kommandolinjen").exists()

    out, _err = run(str(path), "--user", admin.username, "--no-progress")
    batch = ImportBatch.objects.get()
    assert Activity.objects.filter(title="Fra kommandolinjen").exists()
    assert f"--undo {batch.pk}" in out

    run("--undo", str(batch.pk), "--user", admin.username)
    batch.refresh_from_db()
    assert batch.state == BatchState.UNDONE
    assert not Activity.objects.filter(title="Fra kommandolinjen").exists()


def test_problems_are_printed_by_row_and_column_and_nothing_is_written(tmp_path, admin):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes([activity_row(), activity_row(funding_amount="2,5")]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--user", admin.username, "--no-progress", stderr=err)
    [line] = err.getvalue().strip().splitlines()
    assert line.startswith("activities.csv: ") and "3" in line and "funding_amount" in line
    assert not Activity.objects.exists() and not ImportBatch.objects.exists()


def test_proposals_need_the_flag(admin, usn):
    sample = str(SAMPLES / "nva_projects.json")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", sample, "--user", admin.username, "--no-progress", stderr=err)
    assert "Universitetet i Sørøst Norge" in err.getvalue()
    assert not Activity.objects.exists()
    run(sample, "--user", admin.username, "--no-progress", "--accept-proposals")
    assert Activity.objects.count() == 2


def test_an_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError):
        run(str(SAMPLES / "prosjektbanken.csv"), "--user", "ingen")
