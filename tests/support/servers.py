"""Real unikom sites for the load, fault and deployment tests.

A *site* is a database of its own (a SQLite file in a temporary folder, or a
PostgreSQL database created for the test on 127.0.0.1:5432) prepared as an
operator would: `unikom setup`, `unikom synth --scale small --seed 1`, and two
national administrators with a password and a write token each. It is prepared
once per test process and copied for every test (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so a test may break its copy.

A *server* is `unikom serve` (gunicorn) in a subprocess on a free loopback
port, in a process group of its own so that a test can kill it with all its
workers, and so that nothing outlives the test even when it fails. Its output
goes through a pipe to a log file: the server's own writes are never to a
regular file (the full-disk test limits the size of the files it may write).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from .http import Client

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]

#: The machine's PostgreSQL (trust authentication), where tests create their databases.
SHARED_PG = os.environ.get("UNIKOM_TEST_PG", "postgres://postgres@127.0.0.1:5432")
PG_BIN = Path("/usr/lib/postgresql/15/bin")

PASSWORD = "et-langt-passord-for-tester-2026"  # noqa: S105 (the test accounts')
#: Two national administrators and their write tokens (stored hashed, as issued ones).
USERS = ("admin", "editor")
TOKENS = {name: f"unikom_{name}-test-token-{'x' * 24}" for name in USERS}

PREPARE = f"""
from django.contrib.auth import get_user_model
from accounts.models import Assignment
from api.models import ApiToken, Scope, hash_secret
from api.tokens import PREFIX_SHOWN
tokens = {TOKENS!r}
for name, secret in tokens.items():
    user = get_user_model().objects.create_user(name, password={PASSWORD!r})
    Assignment.objects.create(user=user, role="national_admin")
    ApiToken.objects.create(owner=user, name="tests", scope=Scope.WRITE,
                            prefix=secret[:PREFIX_SHOWN], key_hash=hash_secret(secret))
"""

#: Environment variables of the test process that must not reach a site.
NOT_PASSED = {"DATABASE_URL", "UNIKOM_DATA_DIR", "HOST", "PORT", "UNIKOM_WORKERS"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_database_is_postgresql() -> bool:
    """The CI runs the suite twice; the second pass points DATABASE_URL at PostgreSQL."""
    return os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))


def postgresql_problem(url: str = SHARED_PG) -> str | None:
    """Why the PostgreSQL at ``url`` cannot be used, or None."""
    try:
        with psycopg.connect(f"{url}/postgres", connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {url} does not answer: {error}"


def require_postgresql() -> None:
    """Skip the test (fail it in CI) when the machine's PostgreSQL does not answer."""
    import pytest

    problem = postgresql_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


def pg_admin(sql: str, url: str = SHARED_PG) -> None:
    with psycopg.connect(f"{url}/postgres", autocommit=True) as db:
        db.execute(sql)


def base_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED}
    env.update(
        {
            "UNIKOM_DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
            # The tests below send more than the default per-client rates allow; the
            # deployment test sets its own low rates.
            "UNIKOM_API_ANON_RATE": "1000000/minute",
            "UNIKOM_API_USER_RATE": "1000000/minute",
        }
    )
    env.update(values)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run `unikom <args>` (manage.py) for the site of ``env``; its output, or fail with it."""
    done = subprocess.run(
        [*MANAGE, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(
            f"unikom {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def prepare(env: dict[str, str], *, synth: bool = True) -> None:
    """Set a new database up as an operator would, plus the test accounts."""
    manage(env, "setup")
    if synth:
        manage(env, "synth", "--scale", "small", "--seed", "1", "--no-progress")
    manage(env, "shell", "-c", PREPARE)


# --- Sites -------------------------------------------------------------------------


@dataclass
class Site:
    """A database with unikom set up in it, and the environment that points at it."""

    kind: str  # "sqlite" or "postgresql"
    url: str  # DATABASE_URL
    folder: Path
    env: dict[str, str] = field(default_factory=dict)

    def connect(self):
        if self.kind == "sqlite":
            db = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            # Django's REGEXP, which CHECK constraints use (PRAGMA integrity_check runs them).
            db.create_function("REGEXP", 2, _regexp, deterministic=True)
            return contextlib.closing(db)
        return psycopg.connect(self.url, autocommit=True)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of ``sql`` (placeholders written ``?``), read beside the running server."""
        if self.kind == "postgresql":
            sql = sql.replace("?", "%s")
        with self.connect() as db:
            return list(db.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]

    def counts(self, *tables: str) -> dict[str, int]:
        """Rows in each table; every table of the database when none is named."""
        if not tables:
            if self.kind == "sqlite":
                sql = (
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            else:
                sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            tables = tuple(sorted(row[0] for row in self.query(sql)))
        return {table: self.scalar(f'SELECT COUNT(*) FROM "{table}"') for table in tables}  # noqa: S608


def _regexp(pattern: str, value) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None


class Templates:
    """Prepared databases to copy, made once per test process on first use."""

    def __init__(self, folder: Path, refdata: Path | None):
        self.folder = folder
        self.refdata = refdata
        self._sqlite: Path | None = None
        self._pg: str | None = None
        self._lock = threading.Lock()

    def env(self, url: str, folder: Path) -> dict[str, str]:
        return base_env(
            DATABASE_URL=url,
            UNIKOM_DATA_DIR=str(folder),
            UNIKOM_REFDATA_DIR=str(self.refdata or ""),
        )

    def sqlite(self) -> Path:
        with self._lock:
            if self._sqlite is None:
                path = self.folder / "template.sqlite3"
                prepare(self.env(f"sqlite:///{path}", self.folder))
                self._sqlite = path
            return self._sqlite

    def postgresql(self) -> str:
        with self._lock:
            if self._pg is None:
                name = f"unikom_tpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
                pg_admin(f'CREATE DATABASE "{name}"')
                self._pg = name  # dropped by close() even if preparing fails
                prepare(self.env(f"{SHARED_PG}/{name}", self.folder))
            return self._pg

    def site(self, kind: str, folder: Path) -> Site:
        """A new copy of the prepared database."""
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "sqlite":
            path = folder / "site.sqlite3"
            shutil.copyfile(self.sqlite(), path)
            url = f"sqlite:///{path}"
        else:
            template = self.postgresql()
            name = f"unikom_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            url = f"{SHARED_PG}/{name}"
        return Site(kind, url, folder, self.env(url, folder))

    def close(self) -> None:
        if self._pg:
            drop_database(self._pg)


def drop_database(name: str) -> None:
    with contextlib.suppress(psycopg.Error):
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_site(site: Site) -> None:
    if site.kind == "postgresql":
        drop_database(site.url.rsplit("/", 1)[1])


# --- Servers -----------------------------------------------------------------------


class Server:
    """`unikom serve` in a subprocess and a process group of its own."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 3, port: int = 0):
        self.env = env
        self.log = log
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._drain: threading.Thread | None = None

    def start(self, *, wait: bool = True) -> Server:
        self.process = subprocess.Popen(
            [*MANAGE, "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches every worker
        )
        self._drain = threading.Thread(target=self._copy_output, args=(self.process,), daemon=True)
        self._drain.start()
        if wait:
            self.wait_until_serving()
        return self

    def _copy_output(self, process: subprocess.Popen) -> None:
        with self.log.open("ab") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait_until_serving(self, timeout: float = 60, *, healthy: bool = True) -> None:
        """Until /healthz answers (200, or anything when not ``healthy``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped while starting:\n{self.output()}")
            try:
                status = Client(self.base, timeout=5).get("/healthz").status
                # Wait for every worker too, not only the first one that answers.
                if (status == 200 or not healthy) and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not serve within {timeout} s:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def pids(self) -> list[int]:
        return [self.process.pid, *self.worker_pids()]

    def stop(self, timeout: float = 40) -> int | None:
        """SIGTERM (graceful), then SIGKILL to the whole group if it takes too long."""
        if self.process is None:
            return None
        code = None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self.process.wait(timeout=timeout)
        self.kill()
        return code

    def kill(self) -> None:
        """kill -9 of the server and every process of its group, at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        if self._drain is not None:
            self._drain.join(timeout=10)


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path, *, workers: int = 3, port: int = 0) -> Iterator[Server]:
    server = Server(env, log, workers=workers, port=port)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- A private PostgreSQL cluster ----------------------------------------------------


class PrivateCluster:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder), to
    restart at will without disturbing the machine's shared one.

    initdb and postgres refuse to run as root; as root, the cluster runs as the
    ``postgres`` account instead.
    """

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="unikom-pg-"))
        self.data = self.folder / "data"
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no postgres account") from None
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    @staticmethod
    def problem() -> str | None:
        if not (PG_BIN / "initdb").exists():
            return f"PostgreSQL's server programs are not installed ({PG_BIN})"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "initdb refuses root and there is no postgres account to run it as"
        return None

    def _run(self, *args: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [str(PG_BIN / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            user=self.user.pw_uid if self.user else None,
            group=self.user.pw_gid if self.user else None,
            extra_groups=[] if self.user else None,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.stdout}{done.stderr}")

    def _options(self) -> str:
        # fsync off: a test cluster does not need to survive a power cut, and is quicker.
        return (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=40"
        )

    def init(self) -> PrivateCluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-o", self._options(), "-l",
                  str(self.folder / "log"), "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-o", self._options(), "-l",
                  str(self.folder / "log"), "-w", "restart")  # fmt: skip

    def log(self) -> str:
        path = self.folder / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
