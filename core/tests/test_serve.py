"""`unikom serve` serves with gunicorn; `--dev` with Django's server; SQLite runs in WAL mode.

The first test starts the real command in a subprocess, as `make run` does, on a
fresh migrated SQLite file, and stops it with SIGTERM (about 10 s, most of it
migrating the new file).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.test import override_settings

from core.management.commands import serve
from core.tests.test_backup import database_alias, english, own_connection  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, dict(response.headers), response.read()


# --- The real server -------------------------------------------------------------

MANAGE = [sys.executable, str(ROOT / "manage.py")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, str]:
    """Environment of a site on a new, migrated SQLite file, on a free port."""
    folder = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "UNIKOM_DATA_DIR": str(folder),
        "UNIKOM_WORKERS": "2",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HOST", None)
    env.pop("UNIKOM_DEBUG", None)
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
    return env


@contextmanager
def serving(env: dict[str, str], log: Path, stop: signal.Signals) -> Iterator[tuple[str, dict]]:
    """`unikom serve` in a subprocess until ``stop``; yields its address and a report
    filled in on the way out: return code, seconds it took to stop, its output."""
    port = free_port()
    report: dict = {}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*MANAGE, "serve"], env={**env, "PORT": str(port)}, cwd=ROOT, stdout=out, stderr=out
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    get(base + "/healthz")
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()
                    time.sleep(0.05)
            else:
                pytest.fail("the server did not answer within 15 s:\n" + log.read_text())
            yield base, report
        finally:
            started = time.monotonic()
            server.send_signal(stop)
            try:
                report["returncode"] = server.wait(timeout=40)
            finally:
                server.kill()
            report["seconds"] = time.monotonic() - started
    report["output"] = log.read_text()


def test_serve_runs_gunicorn_serves_pages_static_files_and_health_and_stops_on_sigterm(
    site, tmp_path
):
    with serving(site, tmp_path / "serve.log", signal.SIGTERM) as (base, report):
        status, headers, body = get(base + "/")
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert b'href="/static/css/unikom.css"' in body

        # What one worker kept is in the data folder, for every worker to read.
        kept = list(Path(site["UNIKOM_DATA_DIR"], "cache").glob("*.djcache"))
        assert kept, "the front page kept nothing in the shared cache folder"

        status, headers, css = get(base + "/static/css/unikom.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert css == (ROOT / "static" / "css" / "unikom.css").read_bytes()

        status, headers, health = get(base + "/healthz")
        assert status == 200 and json.loads(health)["status"] == "ok"

        # Debug pages are off unless a developer turns them on: a missing page is
        # the site's own 404, without Django's list of URL patterns.
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(base + "/no-such-page/")
        assert missing.value.code == 404
        page = missing.value.read().decode()
        assert "<main" in page and "URLconf" not in page and "DEBUG = True" not in page
        # One connection serves request after request (keep-alive), as a browser
        # expects: gunicorn's sync worker would close it after each response.
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            for path in ("/healthz", "/static/css/unikom.css", "/healthz"):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                assert response.status == 200 and not response.will_close, path
            assert connection.sock is not None, "the server closed the connection"
        finally:
            connection.close()
    output = report["output"]
    assert report["returncode"] == 0, output
    assert report["seconds"] < 5, output
    # The server speaks the site's language (bokmål by default): check the facts.
    assert "http://127.0.0.1:" in output and "gunicorn" in output and " 2 " in output
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log, on standard output
    assert "Shutting down: Master" in output
    database = site["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_stop_signal_right_after_start_stops_every_worker_at_once(site, tmp_path):
    """A worker still booting used to miss the signal, and the stop then took the whole
    graceful timeout (30 s). With six workers this caught it about one run in four."""
    env = {**site, "UNIKOM_WORKERS": "6"}
    with serving(env, tmp_path / "serve.log", signal.SIGINT) as (_base, report):
        pass  # the first worker answers; the last ones may still be booting
    assert report["returncode"] == 0, report["output"]
    assert report["seconds"] < 5, report["output"]


def test_downloads_are_prepared_again_beside_the_workers_after_a_change(site, tmp_path):
    """The preparer (core.prepare) runs in a process of its own, produces the
    noted downloads again once the data has been still, and ends with the server."""
    env = {**site, "UNIKOM_PREPARE_SETTLE": "1", "UNIKOM_PREPARE_GAP": "0"}
    log = tmp_path / "serve.log"
    with serving(env, log, signal.SIGTERM) as (base, report):
        status, _headers, first = get(base + "/export/themes.csv")  # kept, and noted
        assert status == 200
        subprocess.run(
            [*MANAGE, "shell", "-c", SHELL_NEW_THEME],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        kept = Path(site["UNIKOM_DATA_DIR"], "exports")
        for _ in range(300):
            if "[prepare] produced 200" in log.read_text():
                break
            time.sleep(0.1)
        else:
            pytest.fail("nothing was prepared within 30 s:\n" + log.read_text())
        (ready,) = [p for p in kept.iterdir() if not p.name.startswith(".")]
        assert b"Forberedt i bakgrunnen" in ready.read_bytes()
        status, _headers, second = get(base + "/export/themes.csv")
        assert second == ready.read_bytes() != first
    output = report["output"]
    assert report["returncode"] == 0, output
    pid = int(re.search(r"\[prepare\][^\n]*?(\d+)\)", output)[1])
    for _ in range(100):  # the preparer ends with the server
        if not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the preparer {pid} outlived the server:\n{output}")


SHELL_NEW_THEME = (
    "from partnerships.models import Theme; "
    "Theme.objects.create(name='Forberedt i bakgrunnen', slug='forberedt')"
)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"  # gone meanwhile


# --- The command's choices, without starting anything --------------------------------


class FakeServer:
    def __init__(self, options):
        self.options = options
        self.cfg = type("Cfg", (), {"workers": options["workers"], "timeout": options["timeout"]})
        self.ran = False

    def run(self):
        self.ran = True


@pytest.fixture
def started(monkeypatch):
    """Run `unikom serve` with gunicorn replaced: the options it would start with."""
    servers = []

    def make_server(options):
        servers.append(FakeServer(options))
        return servers[-1]

    monkeypatch.setattr(serve, "make_server", make_server)
    monkeypatch.setattr(serve, "start_preparer", FakePreparer)
    for name in ("UNIKOM_WORKERS", "WEB_CONCURRENCY", "UNIKOM_TIMEOUT", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)

    def start(*args):
        out = io.StringIO()
        call_command("serve", *args, stdout=out)
        assert servers[-1].ran
        return servers[-1].options, out.getvalue()

    return start


class FakePreparer:
    started: list[FakePreparer] = []

    def __init__(self):
        self.stopped = False
        FakePreparer.started.append(self)

    def terminate(self):
        self.stopped = True

    def wait(self, timeout):
        assert self.stopped


def test_the_preparer_starts_with_the_server_unless_turned_off(started, settings):
    FakePreparer.started.clear()
    started()
    (preparer,) = FakePreparer.started
    assert preparer.stopped  # with the server
    settings.UNIKOM_PREPARE = False
    started()
    assert FakePreparer.started == [preparer]


def test_gunicorn_gets_workers_sized_to_the_machine_and_a_long_timeout(started):
    options, out = started()
    assert options["bind"] == ["127.0.0.1:8000"]
    assert options["workers"] == min(2 * serve.cpu_count() + 1, serve.MAX_WORKERS)
    assert options["timeout"] == serve.DEFAULT_TIMEOUT == 120
    assert options["graceful_timeout"] == 30
    assert options["accesslog"] == "-" and options["preload_app"] is True
    assert options["worker_class"] == "gthread" and options["threads"] == serve.THREADS == 2
    assert options["keepalive"] == serve.KEEPALIVE == 75
    assert "Serving unikom on http://127.0.0.1:8000/" in out


def test_workers_and_timeout_come_from_options_then_the_environment(started, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    assert started()[0]["workers"] == 7
    monkeypatch.setenv("UNIKOM_WORKERS", "3")
    monkeypatch.setenv("UNIKOM_TIMEOUT", "600")
    monkeypatch.setenv("PORT", "9000")
    options, _out = started()
    assert (options["workers"], options["timeout"], options["bind"]) == (3, 600, ["127.0.0.1:9000"])
    options, _out = started("--workers", "1", "--timeout", "5", "--host", "::1", "--port", "81")
    assert (options["workers"], options["timeout"], options["bind"]) == (1, 5, ["[::1]:81"])
    assert options["graceful_timeout"] == 5


def test_a_bad_number_is_a_clear_error(started, monkeypatch):
    monkeypatch.setenv("UNIKOM_WORKERS", "many")
    with pytest.raises(CommandError, match="UNIKOM_WORKERS must be a whole number"):
        started()


def test_default_workers_are_capped():
    assert serve.default_workers(1) == 3
    assert serve.default_workers(2) == 5
    assert serve.default_workers(64) == serve.MAX_WORKERS


def test_gunicorn_cmd_args_can_change_anything(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--max-requests 1000 --timeout 45")
    server = serve.make_server(serve.gunicorn_options(host="h", port=1, workers=2, timeout=9))
    assert (server.cfg.max_requests, server.cfg.timeout, server.cfg.workers) == (1000, 45, 2)
    assert server.cfg.bind == ["h:1"] and server.cfg.control_socket_disable


def test_dev_runs_djangos_autoreloading_server(monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: calls.append((a, kw)))
    monkeypatch.setattr(serve, "make_server", lambda options: pytest.fail("gunicorn started"))
    call_command("serve", "--dev", "--port", "8123")
    assert calls == [(("runserver", "127.0.0.1:8123"), {"use_reloader": True})]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "unikom.example.org"])  # noqa: S104 (refused, never bound)
def test_it_refuses_to_listen_beyond_loopback_with_the_public_development_key(
    started, monkeypatch, host
):
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: pytest.fail("server started"))
    for extra in ([], ["--dev"]):
        with pytest.raises(CommandError, match="public development key"):
            started("--host", host, *extra)
    with override_settings(SECRET_KEY="a-real-secret-" + "s" * 40):
        options, _out = started("--host", host)
    assert options["bind"] == [serve.bind_address(host, 8000)]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_on_loopback_the_development_key_serves(started, host):
    assert started("--host", host)[0]["workers"] >= 1


def test_in_production_it_refuses_to_start_without_collected_static_files(started, tmp_path):
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with override_settings(
        PRODUCTION=True, STATIC_ROOT=str(tmp_path), STORAGES={**storages, "staticfiles": manifest}
    ):
        with pytest.raises(CommandError, match="unikom collectstatic --noinput"):
            started()
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
        started()


# --- SQLite: WAL, busy timeout, BEGIN IMMEDIATE ----------------------------------


@pytest.mark.django_db
def test_a_sqlite_file_is_in_wal_mode_with_a_busy_timeout_and_immediate_transactions(tmp_path):
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite settings")
    with database_alias("serve_wal", NAME=str(tmp_path / "wal.sqlite3")) as alias:
        with connections[alias].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
        assert connections[alias].transaction_mode == "IMMEDIATE"


@pytest.mark.django_db
def test_concurrent_read_then_write_transactions_wait_instead_of_failing(tmp_path):
    """With deferred transactions the second writer fails at once ("database is locked")."""
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite settings")
    with database_alias("serve_concurrent", NAME=str(tmp_path / "concurrent.sqlite3")) as alias:
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        errors = []
        both_read = threading.Barrier(2, timeout=5)

        def increment():
            own_connection(alias)
            try:
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    n = cursor.fetchone()[0]
                    with suppress(threading.BrokenBarrierError):
                        both_read.wait(timeout=0.5)  # only one gets here at a time now
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
            except Exception as error:
                errors.append(error)
            finally:
                connections[alias].close()

        threads = [threading.Thread(target=increment) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            assert cursor.fetchone()[0] == 2  # no lost update either


# --- The cache the server processes share -----------------------------------------


def in_another_process(env: dict[str, str], code: str) -> str:
    """Run ``code`` in a new Python process with the site's settings; its output."""
    setup = "import django; django.setup()\nfrom django.core.cache import cache\n"
    done = subprocess.run(
        [sys.executable, "-c", setup + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_by_default_processes_of_one_data_folder_share_one_cache(tmp_path):
    env = {**os.environ, "UNIKOM_DATA_DIR": str(tmp_path)}
    env.pop("CACHE_URL", None)
    in_another_process(env, "cache.set('kept', 'computed by the first worker', 60)")
    assert in_another_process(env, "print(cache.get('kept'))") == "computed by the first worker"
    assert list((tmp_path / "cache").glob("*.djcache"))

    # A memory cache is each process's own.
    env["CACHE_URL"] = "locmem://"
    in_another_process(env, "cache.set('kept', 'computed by the first worker', 60)")
    assert in_another_process(env, "print(cache.get('kept'))") == "None"


def test_cache_url_names_the_cache(tmp_path):
    from config.settings import cache_from_url

    folder = cache_from_url(f"file://{tmp_path}")
    assert folder["BACKEND"] == "core.cache_backends.FileCache"
    assert folder["LOCATION"] == str(tmp_path)
    assert cache_from_url("dbcache://unikom_cache")["LOCATION"] == "unikom_cache"
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    for wrong in ("file://relative/folder", "memcached://127.0.0.1", "dbcache://"):
        with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
            cache_from_url(wrong)


def test_tests_themselves_keep_values_in_their_own_memory():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_a_cache_folder_that_cannot_be_written_keeps_nothing_and_breaks_nothing(tmp_path, caplog):
    """A full or read-only disk: pages are computed as if never kept (the fault
    tests run the whole server on a full disk)."""
    from core.cache_backends import FileCache

    folder = tmp_path / "cache"
    cache = FileCache(str(folder), {})
    folder.rmdir()
    folder.write_text("a file where the cache folder should be")
    cache.set("kept", "a page")  # no error
    assert cache.add("other", "a page") is False
    assert cache.get("kept") is None
    assert "cannot be written" in caplog.text


def test_the_cache_folder_is_kept_to_its_size_without_listing_it_on_every_write(
    tmp_path, monkeypatch
):
    from core import cache_backends
    from core.cache_backends import FileCache

    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    listed = []
    real = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listed.append(1) or real(self))
    for i in range(30):
        cache.set(f"page-{i}", "kept")
    assert len(listed) == 1  # once, at the first write, then not for CULL_SECONDS
    assert len(list(tmp_path.glob("*.djcache"))) == 30

    monkeypatch.setattr(cache_backends, "CULL_SECONDS", 0)
    cache.set("one-more", "kept")
    assert len(list(tmp_path.glob("*.djcache"))) <= 31 - 15  # half of the files went


def test_a_kept_value_is_written_over_in_place(tmp_path, monkeypatch):
    """A new file and a rename over the old one cost 0.16 ms on every API request
    (the rate limit's count), and ext4 writes a file renamed over another to disk
    first. An entry already there is written over where it is; a new one is
    written aside and renamed, never over another file."""
    import os

    from core.cache_backends import FileCache

    cache = FileCache(str(tmp_path), {})
    renamed_over = []
    real = os.rename
    monkeypatch.setattr(
        os, "rename", lambda src, dst: renamed_over.append(os.path.exists(dst)) or real(src, dst)
    )
    cache.set("count", (1.0, 1))
    assert renamed_over == [False]
    cache.set("count", (1.0, 2))
    assert renamed_over == [False]  # written over, not renamed
    assert cache.get("count") == (1.0, 2)
    cache.set("count", "a longer value " * 100)
    cache.set("count", "short")  # the rest of the longer one is cut off
    assert cache.get("count") == "short"
    assert len(list(tmp_path.glob("*"))) == 1  # no temporary file left


def test_an_empty_or_damaged_kept_file_is_a_miss(tmp_path):
    """What a crash between removing and renaming can leave (or a disk error)."""
    import pickle

    from core.cache_backends import FileCache

    cache = FileCache(str(tmp_path), {})
    cache.set("a", "page")
    cache.set("b", "page")
    files = sorted(tmp_path.glob("*.djcache"))
    files[0].write_bytes(b"")
    files[1].write_bytes(pickle.dumps(None) + b"not zlib")  # no expiry, then garbage
    assert cache.get("a", "missing") == "missing"
    assert cache.get("b", "missing") == "missing"
