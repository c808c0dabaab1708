"""`unikom backup FILE` and `unikom restore FILE` on the database the suite runs on.

On SQLite always, on PostgreSQL when DATABASE_URL says so (CI runs both): the
session database (reference data and the bundled dataset) is backed up and
restored into an empty database — a new SQLite file, or a new PostgreSQL
database that is dropped afterwards — and every table is compared row by row.
"""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.utils import translation

from core import backup as backup_module
from core.backup import BackupError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted as written in the code (English msgids)."""
    with translation.override("en"):
        yield


#: Settings of the aliases made by database_alias(), for own_connection() in threads.
_ALIASES: dict[str, dict] = {}


@contextmanager
def database_alias(alias: str, **overrides) -> Iterator[str]:
    """A connection under ``alias`` configured as the site's database, with ``overrides``.

    It is not added to settings.DATABASES, so Django's test case allows it (as a
    connection made on the fly) and the test runner never touches it.
    """
    _ALIASES[alias] = {**connections["default"].settings_dict, **overrides}
    own_connection(alias)
    try:
        yield alias
    finally:
        release_connection(alias)
        del _ALIASES[alias]


def own_connection(alias: str) -> None:
    """Give the current thread its own connection under ``alias``."""
    settings_dict = _ALIASES[alias]
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    setattr(connections._connections, alias, wrapper)


def release_connection(alias: str) -> None:
    connections[alias].close()
    delattr(connections._connections, alias)


def is_sqlite() -> bool:
    return connections["default"].vendor == "sqlite"


@pytest.fixture
def empty_database(tmp_path) -> Iterator:
    """Factory of empty databases of the site's kind; yields their aliases.

    SQLite: a new file. PostgreSQL: a new database unikom_restore_test_<pid>_<n>,
    dropped afterwards.
    """
    with ExitStack() as stack:
        count = 0

        def make() -> str:
            nonlocal count
            count += 1
            alias = f"restore_test_{count}"
            if is_sqlite():
                name = str(tmp_path / f"{alias}.sqlite3")
            else:
                name = f"unikom_restore_test_{os.getpid()}_{count}"
                with connections["default"]._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    cursor.execute(f'CREATE DATABASE "{name}"')
                stack.callback(drop_postgresql_database, name)
            return stack.enter_context(database_alias(alias, NAME=name))

        yield make


@pytest.fixture(scope="module")
def session_file(tmp_path_factory, django_db_setup, django_db_blocker) -> Path | None:
    """SQLite: the session database (in memory) copied to a file, between tests."""
    if not is_sqlite():
        return None
    file = tmp_path_factory.mktemp("backup") / "session.sqlite3"
    with django_db_blocker.unblock(), closing(sqlite3.connect(file)) as copy:
        connections["default"].ensure_connection()
        connections["default"].connection.backup(copy)
    return file


@pytest.fixture
def source(session_file) -> Iterator[str]:
    """The database to back up: the session database (on SQLite, its copy in a file)."""
    if session_file is None:
        yield "default"
        return
    with database_alias("backup_source", NAME=str(session_file)) as alias:
        yield alias


def drop_postgresql_database(name: str) -> None:
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_rows(alias: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary key order (or by every column)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            key = connection.introspection.get_primary_key_column(cursor, table)
            order = quote(key) if key else ", ".join(str(i + 1) for i in range(len(columns)))
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def model_counts(alias: str) -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.using(alias).count()
        for model in apps.get_models(include_auto_created=True)
    }


def run(command: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


# --- The round trip ------------------------------------------------------------


def test_a_backup_restored_into_an_empty_database_has_every_table_and_row(
    tmp_path, source, empty_database
):
    file = tmp_path / "unikom.backup"
    out = run("backup", str(file), database=source)
    assert f"to {file}" in out and file.stat().st_size > 100_000
    target = empty_database()
    assert backup_module.contents(target) == []

    out = run("restore", str(file), database=target)

    assert "Restored" in out and "migrate" in out and "No migrations to apply" in out
    source_rows, target_rows = table_rows(source), table_rows(target)
    assert sorted(source_rows) == sorted(target_rows)
    for table, rows in source_rows.items():
        assert target_rows[table] == rows, table
    model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert model_tables <= set(target_rows)
    counts = model_counts(target)
    assert counts == model_counts(source)
    assert counts["partnerships.Partnership"] == 15
    assert counts["organisations.Organisation"] > 400
    assert counts["search.SearchDocument"] > 0


def test_a_backup_made_before_newer_migrations_is_brought_up_to_date(
    tmp_path, source, empty_database
):
    """An older backup: partnerships' newest migration is not applied in it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    newest = loader.graph.leaf_nodes("partnerships")[0]
    previous = next(p for p in loader.graph.node_map[newest].parents if p.key[0] == "partnerships")
    run("backup", str(tmp_path / "now.backup"), database=source)
    older = empty_database()
    run("restore", str(tmp_path / "now.backup"), database=older)
    call_command("migrate", "partnerships", previous.key[1], database=older, verbosity=0)
    run("backup", str(tmp_path / "older.backup"), database=older)
    target = empty_database()

    out = run("restore", str(tmp_path / "older.backup"), database=target)

    assert f"Applying partnerships.{newest[1]}... OK" in out
    with connections[target].cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'partnerships'")
        assert newest[1] in {row[0] for row in cursor.fetchall()}
    assert model_counts(target)["partnerships.Partnership"] == 15


# --- Refusals: nothing changes --------------------------------------------------


@pytest.fixture
def backup_file(tmp_path, source) -> Path:
    file = tmp_path / "site.backup"
    run("backup", str(file), database=source)
    return file


def test_restore_refuses_a_database_with_content_unless_forced(backup_file, source, empty_database):
    target = empty_database()
    run("restore", str(backup_file), database=target)
    with connections[target].cursor() as cursor:
        cursor.execute("UPDATE partnerships_partnership SET purpose = 'Endret etterpå.'")
    before = table_rows(target)
    from django.core.cache import cache

    cache.set("unikom:kept-page", "drawn from the data before the restore")

    with pytest.raises(CommandError) as refused:
        run("restore", str(backup_file), database=target)

    message = str(refused.value)
    assert "is not empty: it holds" in message and "rows in" in message
    assert "--force" in message and "Nothing was changed" in message
    assert table_rows(target) == before
    assert cache.get("unikom:kept-page")  # a refused restore changes nothing
    out = run("restore", str(backup_file), database=target, force=True)
    assert "Restored" in out
    assert table_rows(target) == table_rows(source)
    # The restored history may reach the ids of the data it replaced: pages kept
    # under them are forgotten.
    assert cache.get("unikom:kept-page") is None


def wrong_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "random": tmp_path / "random.bin",
        "text": tmp_path / "notes.txt",
        "empty": tmp_path / "empty.backup",
    }
    files["random"].write_bytes(os.urandom(4096))
    files["text"].write_text("-- a plain SQL dump is not what unikom backup writes\n")
    files["empty"].write_bytes(b"")
    return files


def test_restore_refuses_files_that_are_not_backups_and_changes_nothing(tmp_path, empty_database):
    target = empty_database()
    for name, file in wrong_files(tmp_path).items():
        with pytest.raises(CommandError, match="is not a backup made by `unikom backup`"):
            run("restore", str(file), database=target, force=True)
        assert backup_module.contents(target) == [], name
    with pytest.raises(CommandError, match="is not a file"):
        run("restore", str(tmp_path / "missing.backup"), database=target)


def test_restore_refuses_a_backup_of_the_other_database_kind(tmp_path, empty_database):
    target = empty_database()
    other = tmp_path / "other.backup"
    if is_sqlite():
        other.write_bytes(b"PGDMP\x01\x0e\x00" + os.urandom(2000))
        expected = "is a PostgreSQL dump, but this site's database is SQLite"
    else:
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE django_migrations (app, name)")
        expected = "is a SQLite backup, but this site's database is PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        run("restore", str(other), database=target, force=True)
    assert backup_module.contents(target) == []


def test_restore_refuses_a_database_file_that_is_not_unikoms(tmp_path, empty_database):
    if not is_sqlite():
        pytest.skip("a SQLite file")
    target = empty_database()
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text)")
    with pytest.raises(CommandError, match="not a unikom backup"):
        run("restore", str(other), database=target)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(backup_module.SQLITE_MAGIC + os.urandom(8192))
    with pytest.raises(CommandError, match=r"damaged|cannot be read|Cannot open"):
        run("restore", str(damaged), database=target)
    assert backup_module.contents(target) == []


def test_restore_refuses_a_backup_made_by_a_newer_version(tmp_path, backup_file, empty_database):
    newer = empty_database()
    run("restore", str(backup_file), database=newer)
    with connections[newer].cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('partnerships', '9999_from_the_future', CURRENT_TIMESTAMP)"
        )
    run("backup", str(tmp_path / "newer.backup"), database=newer)
    target = empty_database()
    with pytest.raises(CommandError, match="made by a newer version of unikom"):
        run("restore", str(tmp_path / "newer.backup"), database=target)
    assert backup_module.contents(target) == []


# --- SQLite: a consistent copy while the site writes ----------------------------------


def test_a_sqlite_backup_taken_while_another_thread_writes_is_consistent(tmp_path, empty_database):
    """Each write adds a debit and a credit in one transaction: a consistent copy has
    as many of one as of the other, whatever moment it was taken."""
    if not is_sqlite():
        pytest.skip("SQLite's online backup API")
    alias = empty_database()
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE debit (id INTEGER PRIMARY KEY, amount INTEGER)")
        cursor.execute("CREATE TABLE credit (id INTEGER PRIMARY KEY, amount INTEGER)")
        cursor.execute("CREATE TABLE padding (data BLOB)")
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
            "INSERT INTO padding SELECT randomblob(1000) FROM n"
        )
    stop, written, errors = threading.Event(), [0], []

    def write():
        own_connection(alias)
        try:
            while not stop.is_set():
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("INSERT INTO debit (amount) VALUES (%s)", [written[0]])
                    cursor.execute("INSERT INTO credit (amount) VALUES (%s)", [-written[0]])
                written[0] += 1
        except Exception as error:
            errors.append(error)
        finally:
            release_connection(alias)

    writer = threading.Thread(target=write)
    writer.start()
    copies = []
    try:
        while written[0] < 20:
            stop.wait(0.01)
        for i in range(5):
            before = written[0]
            result = backup_module.backup(tmp_path / f"copy{i}.sqlite3", using=alias)
            copies.append((result.path, before, written[0]))
    finally:
        stop.set()
        writer.join()
    assert errors == []
    for path, before, after in copies:
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            debits, debit_sum = db.execute("SELECT count(*), sum(amount) FROM debit").fetchone()
            credits, credit_sum = db.execute("SELECT count(*), sum(amount) FROM credit").fetchone()
            assert db.execute("SELECT count(*) FROM padding").fetchone()[0] == 4000
        assert debits == credits and debit_sum == -credit_sum, path
        assert before <= debits <= after + 1, path
    # The writer kept writing while the copies were made: a backup does not stop the site.
    assert copies[-1][2] > copies[0][1]


def test_a_sqlite_backup_never_overwrites_the_database_itself(tmp_path, empty_database):
    if not is_sqlite():
        pytest.skip("SQLite file")
    alias = empty_database()
    call_command("migrate", database=alias, verbosity=0)
    database = Path(connections[alias].settings_dict["NAME"])
    for name in (database, Path(f"{database}-wal")):
        with pytest.raises(CommandError, match="is the database itself"):
            run("backup", str(name), database=alias)
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", str(tmp_path / "no" / "such" / "folder.backup"), database=alias)


def test_a_failed_backup_leaves_the_previous_file(tmp_path, monkeypatch):
    file = tmp_path / "site.backup"
    file.write_bytes(b"yesterday's backup")

    def broken(*args):
        raise BackupError("disk full")

    monkeypatch.setattr(backup_module, "_backup_sqlite", broken)
    monkeypatch.setattr(backup_module, "_backup_postgresql", broken)
    with pytest.raises(CommandError, match="disk full"):
        run("backup", str(file))
    assert file.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir()] == ["site.backup"]


# --- PostgreSQL's programs -------------------------------------------------------


def test_missing_pg_dump_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(BackupError, match="pg_dump is not installed.*postgresql-client"):
        backup_module.pg_tool("pg_dump")


def fake_program(folder: Path, name: str, version: str) -> None:
    program = folder / name
    program.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_a_pg_dump_older_than_the_server_is_a_clear_error(tmp_path, monkeypatch):
    fake_program(tmp_path, "pg_dump", "12.22 (Debian 12.22-1)")
    monkeypatch.setenv("PATH", str(tmp_path))
    path, version = backup_module.pg_tool("pg_dump")
    assert (path, version) == (str(tmp_path / "pg_dump"), 12)
    with pytest.raises(BackupError, match="pg_dump is version 12, the server is PostgreSQL 15"):
        backup_module.check_versions("pg_dump", version, 15)
    backup_module.check_versions("pg_dump", 16, 15)  # newer client programs work


def test_postgresql_backup_with_an_old_pg_dump_writes_nothing(tmp_path, monkeypatch):
    if is_sqlite():
        pytest.skip("PostgreSQL")
    fake_program(tmp_path, "pg_dump", "9.6.24")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with pytest.raises(CommandError, match="pg_dump is version 9, the server is PostgreSQL"):
        run("backup", str(tmp_path / "site.backup"))
    assert not (tmp_path / "site.backup").exists()


def test_major_versions_are_read_from_program_and_dump_versions():
    assert backup_module.major_version("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)") == 15
    assert backup_module.major_version("pg_restore (PostgreSQL) 17.2") == 17
    assert backup_module.major_version("16.4 (Ubuntu 16.4-1)") == 16
    assert backup_module.major_version("") is None


def test_the_connection_goes_to_pg_dump_in_the_environment_not_the_command_line():
    env = backup_module.pg_environment(
        {
            "NAME": "unikom",
            "USER": "u",
            "PASSWORD": "secret",
            "HOST": "db.example.org",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert (env["PGDATABASE"], env["PGUSER"], env["PGPASSWORD"]) == ("unikom", "u", "secret")
    assert (env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == ("db.example.org", "5433", "require")
