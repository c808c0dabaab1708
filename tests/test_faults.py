"""Faults, and nothing lost: unikom under kill -9, a database restart, a full or
read-only disk, and editors racing each other, against real servers.

Each test gets its own copy of a small site (SQLite file or PostgreSQL database,
see tests/support/servers.py) and its own `unikom serve` (gunicorn) subprocesses,
killed with their whole process group at the end whatever happens.

- A bulk import killed with SIGKILL half-way — the `unikom import` command, or the
  server while it imports a file sent through the web page — leaves every table
  as it was; the same import then runs to the end, once.
- PostgreSQL restarted while requests flow (a private cluster, never the
  machine's shared one): the same server answers again as soon as PostgreSQL is
  back, with per-request connections and with persistent ones.
- A disk that cannot be written (SQLite: the server may not write a byte,
  RLIMIT_FSIZE; PostgreSQL: the database turned read-only) keeps the site
  readable, answers writes with a clear 503 page or API error, writes nothing
  half, and recovers without a restart.
- Concurrent edits of one record through the API and the forms, on a server with
  several workers: one wins, the others get a conflict; retried read-modify-write
  loops lose no update.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import sqlite3
import subprocess
import threading
import time
import uuid

import psycopg
import pytest

from tests.support import forms, servers
from tests.support.http import Client

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        servers.pytest_database_is_postgresql(),
        reason="runs once, in the SQLite pass: it makes its own SQLite and PostgreSQL sites",
    ),
]

KINDS = ["sqlite", "postgresql"]
ADMIN, EDITOR = servers.TOKENS["admin"], servers.TOKENS["editor"]


def activities_csv(rows: int, prefix: str) -> bytes:
    lines = ["title,activity_type,status,start_date,partnerships,professional_owner,organisations"]
    lines += [
        f"{prefix} {i},research_project,ongoing,01.0{1 + i % 9}.2024,usn-drammen,3301,partner:usn"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def titled(site: servers.Site, prefix: str) -> int:
    sql = "SELECT COUNT(*) FROM activities_activity WHERE title LIKE ?"
    return site.scalar(sql, (f"{prefix} %",))


def signed_in(server: servers.Server, username: str = "admin") -> Client:
    client = Client(server.base)
    client.cookies["django_language"] = "en"  # the site's messages in English
    client.sign_in(username, servers.PASSWORD)
    return client


def some_activity(site: servers.Site) -> str:
    """The public id of a live activity of the site."""
    public_id = site.scalar(
        "SELECT public_id FROM activities_activity WHERE deleted_at IS NULL ORDER BY id LIMIT 1"
    )
    return str(uuid.UUID(str(public_id)))


# --- (a) kill -9 during a bulk import -----------------------------------------------

CLI_ROWS = 2000  # the command reports progress every 1000 rows


@pytest.mark.parametrize("kind", KINDS)
def test_a_command_line_import_killed_half_way_leaves_every_table_as_it_was(
    kind, make_site, tmp_path
):
    site = make_site(kind)
    prefix = f"Avbrutt {uuid.uuid4().hex[:8]}"
    path = tmp_path / "aktiviteter.csv"
    path.write_bytes(activities_csv(CLI_ROWS, prefix))
    before = site.counts()
    command = [*servers.MANAGE, "import", str(path), "--kind", "activities", "--user", "admin"]
    process = subprocess.Popen(
        command,
        env=site.env,
        cwd=servers.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    seen = b""
    try:
        # The progress bar ("[###…] 1000/2000") is drawn inside the import's
        # transaction, after the rows so far are written: kill at the first one.
        while not re.search(rb"\] ([1-9]\d*)/%d" % CLI_ROWS, seen):
            chunk = process.stderr.read1(4096)
            assert chunk, f"the import ended before half-way: {seen.decode(errors='replace')}"
            seen += chunk
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert f"/{CLI_ROWS}".encode() in seen and f"{CLI_ROWS}/{CLI_ROWS}".encode() not in seen

    assert site.counts() == before  # every table, row for row: nothing half-imported

    servers.manage(site.env, *command[2:], "--no-progress")
    after = site.counts()
    assert titled(site, prefix) == CLI_ROWS
    assert after["activities_activity"] == before["activities_activity"] + CLI_ROWS
    assert after["imports_importbatch"] == before["imports_importbatch"] + 1


WEB_ROWS = 5000  # the most the web importer writes in a request: a few seconds' work


def import_transaction_open(site: servers.Site) -> bool:
    """Whether a write transaction is open in the site's database right now."""
    if site.kind == "sqlite":
        path = site.url.removeprefix("sqlite:///")
        with contextlib.closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as db:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # locked: someone is writing
                return True
            db.execute("ROLLBACK")
            return False
    name = site.url.rsplit("/", 1)[1]
    with psycopg.connect(f"{servers.SHARED_PG}/postgres", autocommit=True) as db:
        return bool(
            db.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL",
                (name,),
            ).fetchone()
        )


@pytest.mark.parametrize("kind", KINDS)
def test_a_server_killed_during_a_web_import_leaves_it_undone_and_it_can_be_done_again(
    kind, make_site, tmp_path
):
    site = make_site(kind)
    prefix = f"Nettimport {uuid.uuid4().hex[:8]}"
    server = servers.Server(site.env, tmp_path / "serve.log", workers=2)
    try:
        server.start()
        browser = signed_in(server)
        page = browser.get("/import/")
        upload = browser.post_multipart(
            "/import/",
            {
                "csrfmiddlewaretoken": forms.csrf_token(page.text),
                "kind": "activities",
                "source_format": "auto",
            },
            {"file": ("aktiviteter.csv", activities_csv(WEB_ROWS, prefix))},
        )
        assert upload.status == 302, upload.text[:3000]
        batch = upload.location
        preview = browser.get(batch)
        assert preview.status == 200 and f'data-count="created">{WEB_ROWS}<' in preview.text
        token = forms.csrf_token(preview.text)
        before = site.counts()

        answers: list = []

        def commit():
            try:
                answers.append(browser.post_form(batch + "commit/", {"csrfmiddlewaretoken": token}))
            except OSError as error:  # the server died under the request
                answers.append(error)

        worker = threading.Thread(target=commit)
        worker.start()
        deadline = time.monotonic() + 60
        while not import_transaction_open(site):
            assert time.monotonic() < deadline and worker.is_alive(), "the import did not start"
            time.sleep(0.05)
        time.sleep(0.5)  # rows are being written, a chunk of 1,000 at a time
        assert worker.is_alive(), "the import ended within half a second: no fault injected"
        server.kill()  # kill -9 of gunicorn's master and every worker at once
        worker.join(timeout=30)
    finally:
        server.stop()
    assert isinstance(answers[0], OSError), answers[0]  # the browser saw the connection drop

    after_kill = site.counts()
    assert after_kill == before, "the import was half written"
    assert titled(site, prefix) == 0

    # A new server on the same database; the browser's session still holds, and the
    # preview can be imported now, exactly once.
    with servers.serving(site.env, tmp_path / "serve2.log", workers=2) as again:
        browser.base = again.base
        browser.port = again.port
        preview = browser.get(batch)
        assert preview.status == 200
        done = browser.post_form(batch + "commit/", {"csrfmiddlewaretoken": token})
        assert done.status == 302, done.text[:3000]
        repeat = browser.post_form(batch + "commit/", {"csrfmiddlewaretoken": token})
        assert repeat.status == 403  # an import is committed once
    assert titled(site, prefix) == WEB_ROWS
    assert site.counts()["activities_activity"] == before["activities_activity"] + WEB_ROWS


# --- (b) PostgreSQL restarted while requests flow ------------------------------------


@pytest.fixture(scope="module")
def private_cluster(tmp_path_factory, site_refdata):
    """A PostgreSQL cluster of this module's own, with unikom set up in it."""
    problem = servers.PrivateCluster.problem()
    if problem:
        pytest.skip(f"cannot start a private PostgreSQL cluster: {problem}")
    cluster = servers.PrivateCluster()
    try:
        cluster.init().start()
        url = f"{cluster.url}/postgres"
        env = servers.base_env(
            DATABASE_URL=url,
            UNIKOM_DATA_DIR=str(tmp_path_factory.mktemp("cluster-site")),
            UNIKOM_REFDATA_DIR=str(site_refdata or ""),
        )
        servers.prepare(env, synth=False)
        yield cluster, servers.Site("postgresql", url, cluster.folder, env)
    finally:
        cluster.destroy()


class Traffic:
    """Threads reading and writing through one server until stopped; every answer
    is kept with the times its request was sent and answered."""

    def __init__(self, base: str, prefix: str, threads: int = 4):
        self.base, self.prefix = base, prefix
        # (sent, answered, what, status or error)
        self.answers: list[tuple[float, float, str, int | str]] = []
        self.created: set[str] = set()  # titles the server confirmed (201)
        self.sent: set[str] = set()
        self.stopped = threading.Event()
        self.flowing = threading.Event()
        self.flowing.set()
        self.busy = 0  # requests in flight
        self.lock = threading.Condition()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.flowing.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def pause(self) -> None:
        """Stop sending, and wait for the requests in flight."""
        with self.lock:
            self.flowing.clear()
            self.lock.wait_for(lambda: self.busy == 0, timeout=60)

    def resume(self) -> None:
        self.flowing.set()

    def run(self, number: int) -> None:
        client = Client(self.base, timeout=30)
        count = 0
        while True:
            self.flowing.wait()
            with self.lock:
                if self.stopped.is_set():
                    return
                if not self.flowing.is_set():
                    continue
                self.busy += 1
            count += 1
            what = ("page", "api", "write")[count % 3]
            title = f"{self.prefix} {number}-{count}"
            sent = time.monotonic()
            try:
                if what == "page":
                    status = client.get("/partnerships/usn-drammen/").status
                elif what == "api":
                    status = client.api("GET", "/api/activities/?page_size=5").status
                else:
                    with self.lock:
                        self.sent.add(title)
                    body = {"title": title, "activity_type": "research_project",
                            "partnerships": ["usn-drammen"]}  # fmt: skip
                    status = client.api("POST", "/api/activities/", body, token=ADMIN).status
                    if status == 201:
                        with self.lock:
                            self.created.add(title)
            except OSError as error:
                status = type(error).__name__
            with self.lock:
                self.answers.append((sent, time.monotonic(), what, status))
                self.busy -= 1
                self.lock.notify_all()
            time.sleep(0.05)

    def between(self, start: float, end: float = float("inf")) -> list[tuple[str, int | str]]:
        """(what, status) of the requests sent in [start, end) and answered before ``end``."""
        with self.lock:
            return [(w, s) for sent, done, w, s in self.answers if start <= sent and done < end]


OK = {"page": 200, "api": 200, "write": 201}


def failures(answers: list[tuple[str, int | str]]) -> list[tuple[str, int | str]]:
    return [(what, status) for what, status in answers if status != OK[what]]


@pytest.mark.parametrize("conn_max_age", ["0", "60"], ids=["per-request", "persistent"])
def test_the_server_answers_again_after_a_postgresql_restart_without_being_restarted(
    conn_max_age, private_cluster, tmp_path
):
    """Two restarts: one while requests flow (the workers see it fail), one while
    the site is quiet (a persistent connection is then found dead by the next
    request, which must not fail for it)."""
    cluster, site = private_cluster
    env = {**site.env, "DATABASE_CONN_MAX_AGE": conn_max_age}
    prefix = f"Omstart {uuid.uuid4().hex[:8]}"
    with servers.serving(env, tmp_path / "serve.log", workers=3) as server:
        with Traffic(server.base, prefix) as traffic:
            start = time.monotonic()
            time.sleep(3)  # every worker has served (and, if persistent, holds a connection)
            down = time.monotonic()
            cluster.restart()  # fast shutdown: every connection is cut, then it starts again
            back = time.monotonic()
            time.sleep(3)
            traffic.pause()
            quiet = time.monotonic()
            cluster.restart()
            traffic.resume()
            resumed = time.monotonic()
            time.sleep(3)
        health = Client(server.base).get("/healthz")
        assert server.process.poll() is None
        output = server.output()
    before = traffic.between(start, down)
    during = traffic.between(down, back)
    after_flowing = traffic.between(back, quiet)
    after_quiet = traffic.between(resumed)
    print(
        f"\nconn_max_age={conn_max_age}: {len(before)} requests before the restart, "
        f"{len(failures(during))} of {len(during)} failed during it, then "
        f"{len(after_flowing)} and {len(after_quiet)} after the two restarts"
    )
    assert before and failures(before) == [], before
    # During the restart requests fail with an answer (the error page), none unanswered.
    assert all(isinstance(status, int) for _what, status in during), during
    assert len(after_flowing) >= 10 and len(after_quiet) >= 10, "too few requests to tell"
    assert failures(after_flowing) == [], output[-3000:]
    assert failures(after_quiet) == [], output[-3000:]
    assert health.status == 200
    # Whatever the server confirmed is there; nothing is there that was never sent.
    held = {row[0] for row in site.query(
        "SELECT title FROM activities_activity WHERE title LIKE ?", (f"{prefix} %",)
    )}  # fmt: skip
    assert traffic.created <= held <= traffic.sent


# --- (c) a disk that cannot be written ------------------------------------------------


@contextlib.contextmanager
def unwritable(site: servers.Site, server: servers.Server):
    """The server cannot write to its database until the block ends.

    SQLite: no process of the server may write a single byte to any file
    (RLIMIT_FSIZE 0, as on a full disk; Python ignores SIGXFSZ, so writes fail
    with EFBIG instead of killing the process). PostgreSQL: the database is made
    read-only (default_transaction_read_only), as a full disk or a standby would,
    for the connections opened after it: the test's server opens one per request
    (DATABASE_CONN_MAX_AGE=0).
    """
    if site.kind == "sqlite":
        # One connection of the test's own stays open meanwhile, so the WAL and its
        # shared-memory index keep their size: on a full disk a file shrunk and grown
        # again gets its own blocks back, which a size limit does not allow.
        keeper = sqlite3.connect(site.url.removeprefix("sqlite:///"))
        keeper.execute("SELECT COUNT(*) FROM django_migrations").fetchone()
        pids = server.pids()
        limits = {pid: resource.prlimit(pid, resource.RLIMIT_FSIZE) for pid in pids}
        for pid in pids:
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, limits[pid][1]))
        try:
            yield
        finally:
            for pid, limit in limits.items():
                with contextlib.suppress(ProcessLookupError):
                    resource.prlimit(pid, resource.RLIMIT_FSIZE, limit)
            keeper.close()
    else:
        name = site.url.rsplit("/", 1)[1]
        servers.pg_admin(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        try:
            yield
        finally:
            servers.pg_admin(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')


@pytest.mark.parametrize("kind", KINDS)
def test_a_disk_that_cannot_be_written_gives_a_clear_error_and_writes_nothing(
    kind, make_site, tmp_path
):
    site = make_site(kind)
    key = some_activity(site)
    # PostgreSQL is made read-only for new connections: the server opens one per request.
    env = {**site.env, "DATABASE_CONN_MAX_AGE": "0"}
    with servers.serving(env, tmp_path / "serve.log", workers=2) as server:
        browser = signed_in(server)
        form = browser.edit_form(f"/activities/{key}/edit/")
        form.set("title", "Skrevet på full disk")
        api = Client(server.base)
        assert api.api("GET", "/api/activities/?page_size=1", token=ADMIN).status == 200
        before = site.counts()
        with unwritable(site, server):
            # Reading still works.
            assert browser.get(f"/activities/{key}/").status == 200
            assert Client(server.base).get("/partnerships/usn-drammen/").status == 200
            # A form: a page saying the change was not saved, no stack trace.
            page = browser.post_form(f"/activities/{key}/edit/", form.values())
            assert page.status == 503, page.text[:3000]
            assert "not saved" in page.text and "ikke lagret" in page.text
            assert "Traceback" not in page.text and "OperationalError" not in page.text
            # The API: its error shape, with the same news.
            body = {"title": "API på full disk", "activity_type": "research_project",
                    "partnerships": ["usn-drammen"]}  # fmt: skip
            answer = api.api("POST", "/api/activities/", body, token=ADMIN)
            assert answer.status == 503, answer.text[:3000]
            assert answer.json()["code"] == "unavailable"
            assert answer.header("Retry-After")
            assert site.counts() == before  # nothing written, not even half
        # The disk is writable again: the same server saves, without a restart.
        saved = browser.post_form(f"/activities/{key}/edit/", form.values())
        assert saved.status == 302, saved.text[:3000]
        assert api.api("POST", "/api/activities/", body, token=ADMIN).status == 201
        assert server.process.poll() is None
    titles = {row[0] for row in site.query("SELECT title FROM activities_activity")}
    assert "Skrevet på full disk" in titles
    if kind == "sqlite":
        assert site.scalar("PRAGMA integrity_check") == "ok"


# --- (d) concurrent edits of one record ------------------------------------------------


def at_once(jobs: list) -> list:
    """Run the callables together (released by one barrier); their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i):
        barrier.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.parametrize("kind", KINDS)
def test_concurrent_edits_through_the_api_and_the_forms_never_lose_an_update(
    kind, make_site, tmp_path
):
    site = make_site(kind)
    key = some_activity(site)
    url = f"/api/activities/{key}/"
    with servers.serving(site.env, tmp_path / "serve.log", workers=4) as server:
        api = Client(server.base)

        # Eight scripts read the same version and send their change at the same moment.
        version = api.api("GET", url, token=ADMIN).json()["version"]
        answers = at_once(
            [
                lambda i=i: api.api(
                    "PATCH", url, {"title": f"Skript {i}", "version": version}, token=ADMIN
                )
                for i in range(8)
            ]
        )
        statuses = sorted(answer.status for answer in answers)
        assert statuses == [200] + [409] * 7, statuses
        winner = next(answer.json() for answer in answers if answer.status == 200)
        assert all(a.json()["code"] == "conflict" for a in answers if a.status == 409)
        assert winner["version"] == version + 1

        # Six scripts each add five lines to the summary, reading again after a 409:
        # every line arrives, and the version counts every save.
        def appender(i: int) -> int:
            conflicts = 0
            for n in range(5):
                while True:
                    current = api.api("GET", url, token=EDITOR).json()
                    body = {
                        "summary": (current["summary"] + f"\nskript {i} linje {n}").strip(),
                        "version": current["version"],
                    }
                    answer = api.api("PATCH", url, body, token=EDITOR)
                    if answer.status == 200:
                        break
                    assert answer.status == 409, answer.text
                    conflicts += 1
            return conflicts

        start = api.api("GET", url, token=ADMIN).json()
        conflicts = at_once([lambda i=i: appender(i) for i in range(6)])
        end = api.api("GET", url, token=ADMIN).json()
        lines = set(end["summary"].splitlines())
        expected = {f"skript {i} linje {n}" for i in range(6) for n in range(5)}
        assert expected <= lines
        assert end["version"] == start["version"] + 30
        print(f"\n{kind}: 30 read-modify-write saves by six scripts, {sum(conflicts)} conflicts")

        # Two people open the edit page of the same record and save at the same moment.
        first, second = signed_in(server, "admin"), signed_in(server, "editor")
        page = f"/activities/{key}/edit/"
        forms_ = [first.edit_form(page), second.edit_form(page)]
        forms_[0].set("title", "Lagret av den første")
        forms_[1].set("title", "Lagret av den andre")
        pairs = zip([first, second], forms_, strict=True)
        saves = at_once([lambda b=b, f=f: b.post_form(page, f.values()) for b, f in pairs])
        assert sorted(s.status for s in saves) == [302, 409], [s.status for s in saves]
        loser = next(s for s in saves if s.status == 409)
        assert "Someone else saved this record" in loser.text
        won = "Lagret av den første" if saves[0].status == 302 else "Lagret av den andre"
        lost = ({"Lagret av den første", "Lagret av den andre"} - {won}).pop()
        assert lost in loser.text  # what the loser typed is still in the form

    title, version = site.query(
        "SELECT title, version FROM activities_activity WHERE public_id = ?",
        (uuid.UUID(key).hex if kind == "sqlite" else uuid.UUID(key),),
    )[0]
    assert (title, version) == (won, end["version"] + 1)


def test_only_errors_saying_the_database_cannot_be_written_get_the_503_page():
    """The cases the tests above cannot cause on this machine (PostgreSQL's disk full,
    SQLite's read-only file) are told apart from bugs by their codes and messages."""
    from django.db import IntegrityError, OperationalError

    from core.middleware import database_unwritable

    class PgError(Exception):
        def __init__(self, sqlstate):
            self.sqlstate = sqlstate

    def error(kind, message, sqlstate=None):
        made = kind(message)
        made.__cause__ = PgError(sqlstate) if sqlstate else None
        return made

    assert database_unwritable(error(OperationalError, "could not extend file", "53100"))
    assert database_unwritable(error(OperationalError, "cannot execute INSERT", "25006"))
    assert database_unwritable(error(OperationalError, "attempt to write a readonly database"))
    assert database_unwritable(error(OperationalError, "database or disk is full"))
    assert not database_unwritable(error(OperationalError, "no such table: x"))
    assert not database_unwritable(error(IntegrityError, "duplicate key", "23505"))
    assert not database_unwritable(ValueError("disk is full"))
