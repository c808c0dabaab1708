"""Backup and restore of the whole database (`unikom backup FILE`, `unikom restore FILE`).

SQLite: SQLite's online backup API copies the database in one step inside a
read transaction, so the file is a consistent snapshot even while the site
serves and writes (in WAL mode writers do not wait for it). The copy is
checked (``PRAGMA quick_check``) and written under a temporary name first, so
FILE is either the previous file or a complete backup. Restore copies the
backup into the database with the same API, in one write transaction: on any
error the database is unchanged.

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot as well) and
``pg_restore --clean --if-exists --single-transaction``: all or nothing. The
connection comes from settings.DATABASES; the password is passed in the
environment, never on a command line.

Before anything is replaced, restore checks that the file is a unikom backup
of the right kind, that it was not made by a newer version of unikom, and that
the database is empty (or ``force``). Afterwards it runs ``migrate``, so a
backup made by an older version comes up to date.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.sqlite3._functions import register as register_sqlite_functions
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
#: Rows that `migrate` itself creates: a database holding only these is empty.
AUTOMATIC = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Result:
    kind: str  # "sqlite" or "postgresql"
    database: str  # where the data lives, for messages
    path: Path
    size: int
    seconds: float


# --- What is in a file and in a database ---------------------------------------


def file_kind(path: Path) -> str | None:
    """ "sqlite", "postgresql" (a pg_dump custom-format archive) or None."""
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def engine_kind(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            _("Backup and restore support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": vendor}
        )
    return vendor


def describe(using: str) -> str:
    """The database for messages: the SQLite file, or PostgreSQL's database and host."""
    settings_dict = connections[using].settings_dict
    if connections[using].vendor == "sqlite":
        return _("the SQLite database %(name)s") % {"name": settings_dict["NAME"]}
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return _("the PostgreSQL database %(name)s on %(host)s:%(port)s") % {
        "name": settings_dict.get("NAME") or "",
        "host": host,
        "port": port,
    }


def contents(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, int]]:
    """(table description, rows) of every non-empty table of unikom's models, main ones first.

    Content types and permissions, which `migrate` creates, and sessions do not count.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        found = []
        seen = set()
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.label_lower in AUTOMATIC or table not in existing or table in seen:
                continue
            seen.add(table)
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = cursor.fetchone()[0]
            if rows:
                found.append((model, rows))
    # What people entered first; history, the search index and link tables after.
    found.sort(key=lambda item: (_derived(item[0]), -item[1], item[0]._meta.label))
    return [(str(model._meta.verbose_name_plural), rows) for model, rows in found]


def _derived(model) -> bool:
    return bool(
        model._meta.auto_created
        or model.__name__.startswith("Historical")
        or model._meta.app_label == "search"
    )


def summary(found: list[tuple[str, int]], shown: int = 6) -> str:
    parts = [f"{rows} {name}" for name, rows in found[:shown]]
    total = sum(rows for _name, rows in found)
    text = ", ".join(parts)
    if len(found) > shown:
        more = len(found) - shown
        text += ngettext(" and %(more)s more table", " and %(more)s more tables", more) % {
            "more": more
        }
    return _("%(list)s (%(rows)s rows in %(tables)s tables)") % {
        "list": text,
        "rows": total,
        "tables": len(found),
    }


def _code_migrations() -> tuple[set[str], set[tuple[str, str]]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.migrated_apps), set(loader.disk_migrations)


def check_not_newer(applied: Iterable[tuple[str, str]]) -> None:
    """Refuse a backup with migrations this version of unikom does not have."""
    migrated_apps, known = _code_migrations()
    unknown = sorted(
        f"{app}.{name}"
        for app, name in applied
        if app in migrated_apps and (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer version of unikom: its database has "
                "migrations this version does not know (%(names)s). Upgrade unikom, then "
                "restore. Nothing was changed."
            )
            % {"names": ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")}
        )


def _check_empty(using: str, path: Path, force: bool) -> None:
    if force:
        return
    try:
        found = contents(using)
    except DatabaseError as error:
        raise BackupError(
            _("Cannot read %(database)s: %(error)s") % {"database": describe(using), "error": error}
        ) from error
    if found:
        raise BackupError(
            _(
                "%(database)s is not empty: it holds %(summary)s. Restoring %(file)s would "
                "replace all of it. Run the restore again with --force to replace it (make "
                "a backup of it first with `unikom backup`). Nothing was changed."
            )
            % {"database": _first_upper(describe(using)), "summary": summary(found), "file": path}
        )


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_file(path: Path, expected: str) -> None:
    if not path.is_file():
        raise BackupError(_("%(file)s is not a file.") % {"file": path})
    kind = file_kind(path)
    if kind == expected:
        return
    names = {"sqlite": _("a SQLite backup"), "postgresql": _("a PostgreSQL dump")}
    if kind is None:
        raise BackupError(
            _(
                "%(file)s is not a backup made by `unikom backup`: it is neither a SQLite "
                "database nor a PostgreSQL dump (pg_dump --format=custom). Nothing was changed."
            )
            % {"file": path}
        )
    raise BackupError(
        _(
            "%(file)s is %(kind)s, but this site's database is %(engine)s. Restore it into "
            "a %(other)s database (set DATABASE_URL), then move the data with `unikom "
            "dumpdata`/`unikom loaddata` if needed. Nothing was changed."
        )
        % {
            "file": path,
            "kind": names[kind],
            "engine": "SQLite" if expected == "sqlite" else "PostgreSQL",
            "other": "SQLite" if kind == "sqlite" else "PostgreSQL",
        }
    )


def _partial(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise BackupError(_("%(file)s is a folder; give a file name.") % {"file": target})
    if not target.parent.is_dir():
        raise BackupError(
            _("The folder %(folder)s does not exist.") % {"folder": target.parent or "."}
        )


# --- Backup --------------------------------------------------------------------


def backup(path: Path | str, using: str = DEFAULT_DB_ALIAS) -> Result:
    """Write a consistent copy of the database to ``path`` (replaced when it exists)."""
    target = Path(path).absolute()
    kind = engine_kind(using)
    _check_target(target)
    started = time.monotonic()
    partial = _partial(target)
    try:
        if kind == "sqlite":
            _backup_sqlite(using, target, partial)
        else:
            _backup_postgresql(using, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Result(kind, describe(using), target, target.stat().st_size, time.monotonic() - started)


def _sqlite_file(using: str) -> Path | None:
    connection = connections[using]
    if connection.is_in_memory_db():
        return None
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:"):
        name = name[5:].split("?", 1)[0]
    return Path(name).absolute()


def _sqlite_connect(using: str) -> sqlite3.Connection:
    """A plain connection to the site's SQLite database, as Django makes it (no init commands)."""
    connection = connections[using]
    params = connection.get_connection_params()
    return sqlite3.connect(**params)


def _backup_sqlite(using: str, target: Path, partial: Path) -> None:
    database = _sqlite_file(using)
    if database is None:
        raise BackupError(_("An in-memory database cannot be backed up."))
    if target in {
        database,
        Path(f"{database}-wal"),
        Path(f"{database}-shm"),
        Path(f"{database}-journal"),
    }:
        raise BackupError(
            _("%(file)s is the database itself; choose another file.") % {"file": target}
        )
    if not database.exists():
        raise BackupError(_("%(file)s does not exist.") % {"file": database})
    # A connection of its own, outside any transaction of Django's.
    source = _sqlite_connect(using)
    try:
        with closing(sqlite3.connect(partial)) as copy:
            # One step (pages=-1): one read transaction, so the copy is one snapshot.
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _quick_check(copy, partial)
    except sqlite3.Error as error:
        raise BackupError(
            _("The backup failed: %(error)s. %(file)s is unchanged.")
            % {"error": error, "file": target}
        ) from error
    finally:
        source.close()


def _quick_check(db: sqlite3.Connection, path: Path) -> None:
    register_sqlite_functions(db)  # CHECK constraints may use Django's functions (REGEXP)
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(
            _("%(file)s is damaged (SQLite's quick_check: %(result)s).")
            % {"file": path, "result": result}
        )


# --- Restore -------------------------------------------------------------------


def restore(
    path: Path | str, using: str = DEFAULT_DB_ALIAS, *, force: bool = False, stdout=None
) -> Result:
    """Replace the database with the backup in ``path``, then run migrate.

    Refuses (BackupError, nothing changed) a file of the wrong kind, a backup made
    by a newer unikom, and a database with content unless ``force``.
    """
    source = Path(path).absolute()
    kind = engine_kind(using)
    _check_file(source, kind)
    started = time.monotonic()
    if kind == "sqlite":
        _restore_sqlite(using, source, force)
    else:
        _restore_postgresql(using, source, force)
    seconds = time.monotonic() - started
    result = Result(kind, describe(using), source, source.stat().st_size, seconds)
    if stdout is not None:
        stdout.write(
            _("Restored %(file)s into %(database)s in %(seconds).1f s.")
            % {"file": source, "database": result.database, "seconds": seconds}
        )
        stdout.write(
            _(
                "Bringing it up to date with this version of unikom (migrate: a backup made "
                "by an older version gets the newer migrations):"
            )
        )
    call_command(
        "migrate",
        database=using,
        interactive=False,
        # migrate writes line by line itself: give it the stream, not the command's wrapper.
        stdout=stdout._out if isinstance(stdout, OutputWrapper) else stdout,
        verbosity=1 if stdout else 0,
    )
    # Pages are kept under the newest history ids (core.cache), and a restored
    # database may count its ids again from lower numbers: forget them all.
    cache.clear()
    return result


def _restore_sqlite(using: str, source: Path, force: bool) -> None:
    database = _sqlite_file(using)
    if database is None:
        raise BackupError(_("An in-memory database cannot be restored into."))
    if source == database:
        raise BackupError(_("%(file)s is the database itself.") % {"file": source})
    try:
        backup_db = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(
            _("Cannot open %(file)s: %(error)s") % {"file": source, "error": error}
        ) from error
    with closing(backup_db):
        try:
            _quick_check(backup_db, source)
            tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master")}
            if "django_migrations" not in tables:
                raise BackupError(
                    _(
                        "%(file)s is a SQLite database but not a unikom backup (it has no "
                        "django_migrations table). Nothing was changed."
                    )
                    % {"file": source}
                )
            applied = backup_db.execute("SELECT app, name FROM django_migrations").fetchall()
            page_size = backup_db.execute("PRAGMA page_size").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(
                _("%(file)s cannot be read as a SQLite database: %(error)s. Nothing was changed.")
                % {"file": source, "error": error}
            ) from error
        check_not_newer(applied)
        _check_empty(using, source, force)
        connections[using].close()
        target = _sqlite_connect(using)
        try:
            if target.execute("PRAGMA page_size").fetchone()[0] != page_size:
                # A WAL database cannot change its page size: leave WAL for the copy
                # (Django's next connection switches back).
                target.execute("PRAGMA journal_mode=DELETE")
            # One step, one write transaction: all of the backup or, on error, nothing.
            backup_db.backup(target, pages=-1)
        except sqlite3.Error as error:
            raise BackupError(
                _("The restore failed: %(error)s. The database is unchanged.") % {"error": error}
            ) from error
        finally:
            target.close()


# --- PostgreSQL ----------------------------------------------------------------

_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """Environment for pg_dump/pg_restore: libpq's variables from a DATABASES entry."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in _PG_OPTIONS.items():
        value = (settings_dict.get("OPTIONS") or {}).get(key)
        if value:
            env[variable] = str(value)
    return env


def major_version(text: str) -> int | None:
    """12 from "pg_dump (PostgreSQL) 12.3", 15 from "15.20 (Debian …)"."""
    match = re.search(r"\(PostgreSQL\)\s*(\d+)", text) or re.match(r"\s*(\d+)", text)
    return int(match.group(1)) if match else None


def pg_tool(name: str) -> tuple[str, int | None]:
    """Path and major version of pg_dump or pg_restore, or a BackupError saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s is not installed. Install PostgreSQL's client programs in the "
                "major version of the server or newer (Debian: apt-get install "
                "postgresql-client)."
            )
            % {"tool": name}
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return path, major_version(output.stdout)


def server_major(using: str) -> int:
    connection = connections[using]
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(
            _("Cannot connect to %(database)s: %(error)s")
            % {"database": describe(using), "error": error}
        ) from error
    return connection.pg_version // 10000


def check_versions(tool: str, tool_major: int | None, server: int) -> None:
    if tool_major is not None and tool_major < server:
        raise BackupError(
            _(
                "%(tool)s is version %(tool_major)s, the server is PostgreSQL %(server)s: "
                "%(tool)s cannot work with a newer server. Install the client programs of "
                "version %(server)s or newer (Debian: postgresql-client-%(server)s) and make "
                "sure they come first on PATH."
            )
            % {"tool": tool, "tool_major": tool_major, "server": server}
        )


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s failed:\n%(error)s") % {"what": what, "error": result.stderr.strip()}
        )
    return result


def _backup_postgresql(using: str, partial: Path) -> None:
    pg_dump, version = pg_tool("pg_dump")
    check_versions("pg_dump", version, server_major(using))
    env = pg_environment(connections[using].settings_dict)
    _run(
        [pg_dump, "--format=custom", "--no-password", f"--file={partial}"],
        env,
        _("pg_dump (nothing was written)"),
    )


@dataclass
class DumpInfo:
    tables: set[str]
    dumped_by: int | None


def read_dump(pg_restore: str, path: Path) -> DumpInfo:
    """The tables and pg_dump version of a custom-format dump (pg_restore --list)."""
    result = subprocess.run(
        [pg_restore, "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(file)s cannot be read by pg_restore: %(error)s Nothing was changed.")
            % {"file": path, "error": result.stderr.strip()}
        )
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", result.stdout, re.MULTILINE))
    dumped_by = re.search(r"Dumped by pg_dump version: (\S+)", result.stdout)
    return DumpInfo(tables, major_version(dumped_by.group(1)) if dumped_by else None)


def dump_migrations(pg_restore: str, path: Path) -> list[tuple[str, str]]:
    """The rows of django_migrations in a dump, read without restoring anything."""
    result = subprocess.run(
        [pg_restore, "--data-only", "--table=django_migrations", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    rows, columns = [], None
    for line in result.stdout.splitlines():
        copy = re.match(r"COPY \S*django_migrations \((.*)\) FROM stdin;", line)
        if copy:
            columns = [name.strip() for name in copy.group(1).split(",")]
        elif columns is not None and line == "\\.":
            break
        elif columns is not None:
            fields = dict(zip(columns, line.split("\t"), strict=False))
            rows.append((fields["app"], fields["name"]))
    return rows


def _restore_postgresql(using: str, source: Path, force: bool) -> None:
    pg_restore, version = pg_tool("pg_restore")
    info = read_dump(pg_restore, source)
    if "django_migrations" not in info.tables:
        raise BackupError(
            _(
                "%(file)s is a PostgreSQL dump but not of a unikom database (it has no "
                "django_migrations table). Nothing was changed."
            )
            % {"file": source}
        )
    if version is not None and info.dumped_by is not None and version < info.dumped_by:
        raise BackupError(
            _(
                "%(file)s was written by pg_dump %(dumped)s; pg_restore %(version)s cannot "
                "read it. Install PostgreSQL's client programs %(dumped)s or newer. Nothing "
                "was changed."
            )
            % {"file": source, "dumped": info.dumped_by, "version": version}
        )
    check_versions("pg_restore", version, server_major(using))
    check_not_newer(dump_migrations(pg_restore, source))
    _check_empty(using, source, force)
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    extra = sorted(existing - info.tables)
    if extra:
        # Tables the backup does not have (from newer migrations): pg_restore --clean
        # only drops what it restores, and migrate recreates these afterwards.
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    env = pg_environment(connection.settings_dict)
    dbname = connection.settings_dict.get("NAME") or ""
    if not dbname and (connection.settings_dict.get("OPTIONS") or {}).get("service"):
        dbname = f"service={connection.settings_dict['OPTIONS']['service']}"
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={dbname}",
            str(source),
        ],
        env,
        _("pg_restore (the database is unchanged)"),
    )
