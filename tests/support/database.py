"""The test database of a run: built once, copied into every test worker.

Migrating and loading the reference data and the bundled dataset takes most
of a worker's start-up. Under pytest-xdist the controlling process starts a
builder (``python -m tests.support.database FOLDER``) as the run begins, so that
the *base* database (PostgreSQL: a database of its own; SQLite: a file in the
run's temporary folder) is made while the workers start and collect the tests.
Each worker then waits for it and copies it into its own test database
(PostgreSQL: ``CREATE DATABASE … TEMPLATE``; SQLite: the backup API into the
usual in-memory database). Without a builder, the first worker to get the lock
builds the base itself; without xdist the one process builds its database
directly, as pytest-django would.

The base is removed by the controlling process when the run ends.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.db import connection
from django.test.utils import setup_databases, teardown_databases

BASE_SUFFIX = "base"
ROOT = Path(__file__).resolve().parents[2]
#: How long a worker waits for the builder before giving up.
BUILD_TIMEOUT = 900
#: The builders this (controlling) process started, by run.
_builders: dict[str, subprocess.Popen] = {}


def run_folder(testrun_uid: str) -> Path:
    """A folder shared by the workers of one run (and only that run)."""
    return Path(tempfile.gettempdir()) / f"unikom-test-{testrun_uid}"


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _base_name(folder: Path) -> str:
    """The base database's name: a file for SQLite, a database for PostgreSQL."""
    if _is_sqlite():
        return str(folder / "base.sqlite3")
    # Named after the configured database, not after this worker's test database.
    return f"test_{connection.settings_dict['NAME']}_{BASE_SUFFIX}"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def set_up(workerinput: dict | None, load: Callable[[], None], verbosity: int = 0):
    """Give this process its test database, with ``load``'s data in it.

    Returns what ``tear_down`` needs."""
    if workerinput is None:
        config = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
        load()
        return ("own", config)
    folder = run_folder(workerinput["testrunuid"])
    base = _base_name(folder)
    worker_test_name = connection.settings_dict["TEST"].get("NAME")
    deadline = time.monotonic() + BUILD_TIMEOUT
    while True:
        # Copies are made under the lock too: PostgreSQL refuses to copy a
        # template that another session is reading.
        with _locked(folder):
            if (folder / "ready").exists():
                return ("copy", _copy_base(base, workerinput["workerid"], worker_test_name))
            _check_builder(folder)
            if not (folder / "building").exists():
                _build_base(base, load, verbosity)
                (folder / "ready").write_text(base)
                continue
        if time.monotonic() > deadline:
            raise RuntimeError(f"the test database was not built in {BUILD_TIMEOUT} s")
        time.sleep(0.2)


def _check_builder(folder: Path) -> None:
    """Raise with the builder's output if it failed or died."""
    log = folder / "build.log"
    if (folder / "failed").exists():
        raise RuntimeError("building the test database failed:\n" + log.read_text())
    building = folder / "building"
    if building.exists():
        try:
            os.kill(int(building.read_text()), 0)
        except (ValueError, ProcessLookupError):
            raise RuntimeError(
                "the test database builder stopped:\n" + (log.read_text() if log.exists() else "")
            ) from None


def start_builder(testrun_uid: str) -> None:
    """Start building the run's base database in a process of its own (called by
    the controlling process before its workers start)."""
    folder = run_folder(testrun_uid)
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, UNIKOM_DATA_DIR=str(folder / "data"))
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with open(folder / "build.log", "w") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.support.database", str(folder)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    (folder / "building").write_text(str(process.pid))
    _builders[testrun_uid] = process


def _build_base(base: str, load: Callable[[], None], verbosity: int) -> None:
    settings = connection.settings_dict
    configured = settings["NAME"]
    test_name = settings["TEST"].get("NAME")
    settings["TEST"]["NAME"] = base
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        load()
    finally:
        connection.close()
        settings["NAME"] = configured
        settings["TEST"]["NAME"] = test_name


def _copy_base(base: str, worker: str, worker_test_name: str | None) -> str:
    """Make this worker's database a copy of the base; returns the configured name."""
    settings = connection.settings_dict
    configured = settings["NAME"]
    if _is_sqlite():
        # The usual in-memory test database (pytest-django's suffix makes no
        # difference to it), filled from the base file.
        settings["NAME"] = connection.creation._get_test_db_name()
        connection.ensure_connection()
        with closing(sqlite3.connect(base)) as source:
            source.backup(connection.connection)
    else:
        settings["NAME"] = base
        connection.creation.clone_test_db(suffix=worker, verbosity=0, keepdb=False)
        settings["NAME"] = connection.creation.get_test_db_clone_settings(worker)["NAME"]
        settings["TEST"]["NAME"] = worker_test_name
        connection.close()
    return configured


def tear_down(state) -> None:
    how, value = state
    if how == "own":
        teardown_databases(value, verbosity=0)
    elif not _is_sqlite():
        connection.creation.destroy_test_db(value, verbosity=0, keepdb=False)
    else:
        connection.close()
        connection.settings_dict["NAME"] = value


def remove_base(testrun_uid: str) -> None:
    """Drop the run's base database and folder (called by the controlling process)."""
    folder = run_folder(testrun_uid)
    # A builder still at work (a run that needed no database, or was stopped
    # early) is waited for, so that nothing it makes outlives the run.
    if builder := _builders.pop(testrun_uid, None):
        builder.wait()
    ready = folder / "ready"
    if ready.exists() and not _is_sqlite():
        name = ready.read_text()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    shutil.rmtree(folder, ignore_errors=True)


def _build_in_this_process(folder: Path) -> None:
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    from conftest import load_test_data

    setup_test_environment()
    with _locked(folder):
        try:
            _build_base(_base_name(folder), load_test_data, verbosity=0)
        except BaseException:
            (folder / "failed").touch()
            raise
        (folder / "ready").write_text(_base_name(folder))


if __name__ == "__main__":
    _build_in_this_process(Path(sys.argv[1]))
