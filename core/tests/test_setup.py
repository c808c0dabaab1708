"""`unikom setup` (what `make run` does before serving) is safe to run again.

Without UNIKOM_REFDATA_DIR and without a network it loads the reference data
snapshot shipped with unikom, so a fresh machine shows the map and
populations; tests of that first forget the reference data of the session
database (see organisations/tests/test_refdata_snapshot.py).
"""

from __future__ import annotations

import io
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings

from organisations import refdata
from organisations.models import Boundary, Organisation
from organisations.refdata import has_refdata
from organisations.tests.test_refdata_snapshot import forget_reference_data
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run_setup() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_second_run_keeps_what_people_edited():
    Partnership.objects.filter(slug="usn-skien").update(purpose="Redigert av en koordinator.")
    out, _err = run_setup()
    assert "allerede lastet inn" in out
    assert Partnership.objects.get(slug="usn-skien").purpose == "Redigert av en koordinator."


def test_it_loads_reference_data_from_the_configured_folder(refdata_dir):
    Organisation.objects.filter(municipality_number="4601").update(population=1)
    with override_settings(UNIKOM_REFDATA_DIR=str(refdata_dir)):
        run_setup()
    assert Organisation.objects.get(municipality_number="4601").population == 291940


def offline():
    """No folder configured, and SSB's address is a port where nothing answers."""
    url = f"http://127.0.0.1:{closed_port()}/klass"
    return override_settings(UNIKOM_REFDATA_DIR="", UNIKOM_KLASS_URL=url)


def test_offline_without_a_folder_it_loads_the_shipped_snapshot():
    forget_reference_data()
    with offline():
        out, err = run_setup()
    municipalities = Organisation.objects.municipalities()
    assert municipalities.filter(population__isnull=False).count() == 357
    assert municipalities.aggregate(total=Sum("population"))["total"] == 5_550_203
    assert Boundary.objects.count() == 372
    assert has_refdata()
    assert "Statistisk sentralbyrå (SSB)" in out and "Kartverket" in out
    assert err == ""
    assert Partnership.objects.count() == 15


def test_it_never_loads_the_snapshot_over_reference_data_loaded_since():
    Organisation.objects.filter(municipality_number="4601").update(population=300_000)
    with offline():
        out, _err = run_setup()
    assert Organisation.objects.get(municipality_number="4601").population == 300_000
    assert "Referansedata er allerede lastet inn" in out


def test_a_damaged_snapshot_is_reported_and_the_site_still_starts(tmp_path, monkeypatch):
    forget_reference_data()
    damaged = tmp_path / "refdata-snapshot.json.gz"
    damaged.write_bytes(refdata.SNAPSHOT_FILE.read_bytes()[:1000])
    monkeypatch.setattr("organisations.refdata.snapshot.SNAPSHOT_FILE", damaged)
    with offline():
        _out, err = run_setup()
    assert "Referansedata er ikke lastet inn" in err
    assert "refdata-snapshot.json.gz" in err
    assert not Boundary.objects.exists()
    assert not Organisation.objects.municipalities().filter(population__isnull=False).exists()
    assert not has_refdata()
    assert Partnership.objects.count() == 15


def test_on_a_fresh_machine_make_run_shows_map_and_population_offline(tmp_path):
    """`unikom setup` in a new process with a new SQLite file, as `make run` runs it."""
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "UNIKOM_DATA_DIR": str(tmp_path),
        "UNIKOM_KLASS_URL": f"http://127.0.0.1:{closed_port()}/klass",
        "UNIKOM_BOUNDARIES_URL": "",
    }
    env.pop("UNIKOM_REFDATA_DIR", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "setup"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        municipalities, with_population, total = db.execute(
            "SELECT count(*), count(population), sum(population) FROM organisations_organisation "
            "WHERE kind = 'municipality'"
        ).fetchone()
        counties = db.execute(
            "SELECT count(*) FROM organisations_organisation WHERE kind = 'county'"
        ).fetchone()[0]
        boundaries = db.execute("SELECT count(*) FROM organisations_boundary").fetchone()[0]
    assert (municipalities, with_population, total) == (357, 357, 5_550_203)
    assert (counties, boundaries) == (15, 372)


def test_an_empty_database_gets_the_bundled_dataset():
    from partnerships.models import Membership

    Membership.objects.all().delete()
    Partnership.objects.all().delete()
    out, _err = run_setup()
    assert Partnership.objects.count() == 15
    assert "partnerships: 15 opprettet" in out
