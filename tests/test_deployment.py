"""Beyond one machine: two app servers on one PostgreSQL behind a round-robin proxy.

The configuration docs/deployment.md describes, on loopback: two `unikom serve`
processes (gunicorn, two workers each) on their own ports with the same
settings — the same SECRET_KEY, sessions in the database, the shared cache
``CACHE_URL=dbcache://unikom_cache``, persistent database connections — and a
small proxy (tests/support/proxy.py) in front. Checked:

- a server started before the database is migrated answers /healthz with 503
  "migrations pending" and serves once one `unikom setup` (migrate, data) and
  `unikom createcachetable` have run once, from one place;
- a session begun on one server holds on the other; a form loaded from one and
  saved through the other is saved, and its message follows; what is written
  through one server (form, API) is read through the other and the proxy;
- the API's rate limits count across every worker of both servers;
- with one server stopped the proxy keeps serving from the other.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import uuid

import pytest

from tests.support import servers
from tests.support.http import Client
from tests.support.proxy import RoundRobinProxy

pytestmark = pytest.mark.skipif(
    servers.pytest_database_is_postgresql(),
    reason="runs once, in the SQLite pass: it makes its own PostgreSQL database",
)

ANON_RATE = 10  # a minute; low, to see it counted across servers
USER_RATE = 15


@pytest.fixture
def database():
    """A new, empty PostgreSQL database (as a new deployment starts), dropped afterwards."""
    servers.require_postgresql()
    name = f"unikom_deploy_{uuid.uuid4().hex[:10]}"
    servers.pg_admin(f'CREATE DATABASE "{name}"')
    yield f"{servers.SHARED_PG}/{name}"
    servers.drop_database(name)


def deployment_env(url: str, folder, refdata) -> dict[str, str]:
    """The settings every app server shares (docs/deployment.md), on loopback."""
    return servers.base_env(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CACHE_URL="dbcache://unikom_cache",
        DATABASE_CONN_MAX_AGE="60",
        UNIKOM_API_ANON_RATE=f"{ANON_RATE}/minute",
        UNIKOM_API_USER_RATE=f"{USER_RATE}/minute",
        UNIKOM_TRUSTED_PROXIES="1",
        UNIKOM_DATA_DIR=str(folder),
        UNIKOM_REFDATA_DIR=str(refdata or ""),
    )


def health(base: str):
    response = Client(base).get("/healthz")
    return response.status, json.loads(response.body)


def test_two_app_servers_on_one_postgresql_behind_a_proxy(database, tmp_path, site_refdata):
    env = deployment_env(database, tmp_path, site_refdata)
    one = servers.Server(env, tmp_path / "one.log", workers=2)
    two = servers.Server(env, tmp_path / "two.log", workers=2)
    try:
        # Both servers start on the new, empty database; neither migrates it.
        for server in (one, two):
            server.start(wait=False)
        for server in (one, two):
            server.wait_until_serving(healthy=False)
            assert health(server.base) == (
                503,
                {"status": "unavailable", "database": "ok", "migrations": "pending"},
            )
        # The deploy job runs once, from one place: migrate, the cache table (loading
        # the data writes to the cache), the data.
        servers.manage(env, "setup")
        servers.manage(env, "shell", "-c", servers.PREPARE)
        servers.manage(env, "migrate", "--check")  # nothing left for the other server
        for server in (one, two):
            assert health(server.base) == (200, {"status": "ok", "database": "ok",
                                                 "migrations": "ok"})  # fmt: skip

        with RoundRobinProxy([one.port, two.port]) as proxy:
            assert health(proxy.base)[0] == 200
            check_rate_limits_are_shared(one, two, proxy)
            check_sessions_and_writes_cross_servers(one, two, proxy)
            check_one_server_stopped(one, two, proxy)
            assert set(proxy.served) == {one.port, two.port}
    finally:
        one.stop()
        two.stop()


def check_rate_limits_are_shared(one, two, proxy) -> None:
    """Anonymous clients by address, tokens by account: counted once for all servers."""
    clients = [Client(proxy.base), Client(one.base), Client(two.base)]
    statuses = [clients[i % 3].get("/api/themes/").status for i in range(ANON_RATE)]
    assert statuses == [200] * ANON_RATE
    for client in clients:  # one more anywhere is one too many
        refused = client.get("/api/themes/")
        assert refused.status == 429, refused.text
        assert refused.json()["code"] == "throttled" and refused.header("Retry-After")

    token = servers.TOKENS["editor"]
    statuses = [clients[i % 3].api("GET", "/api/themes/", token=token).status
                for i in range(USER_RATE)]  # fmt: skip
    assert statuses == [200] * USER_RATE
    assert {c.api("GET", "/api/themes/", token=token).status for c in clients} == {429}


def check_sessions_and_writes_cross_servers(one, two, proxy) -> None:
    # An API write through the proxy, read back from each server.
    token = servers.TOKENS["admin"]
    body = {"title": "Skrevet gjennom proxyen", "activity_type": "research_project",
            "partnerships": ["usn-drammen"]}  # fmt: skip
    created = Client(proxy.base).api("POST", "/api/activities/", body, token=token)
    assert created.status == 201, created.text
    key = created.json()["public_id"]
    for server in (one, two):
        read = Client(server.base).api("GET", f"/api/activities/{key}/", token=token)
        assert read.status == 200 and read.json()["title"] == "Skrevet gjennom proxyen"

    browser = Client(one.base)
    browser.cookies["django_language"] = "en"
    browser.sign_in("admin", servers.PASSWORD)  # on server one
    at_two = Client(two.base)
    at_two.cookies = browser.cookies  # the same browser, sent to server two
    me = at_two.get("/accounts/me/")
    assert me.status == 200 and "admin" in me.text  # the session lives in the database
    assert Client(two.base).get("/accounts/me/").status == 302  # not without it

    # A form from server one, saved through server two; its message shown through the proxy.
    path = f"/activities/{key}/edit/"
    form = browser.edit_form(path)
    form.set("title", "Lagret gjennom server to")
    saved = at_two.post_form(path, form.values())
    assert saved.status == 302, saved.text[:3000]
    through_proxy = Client(proxy.base)
    through_proxy.cookies = browser.cookies
    shown = through_proxy.get(saved.location)
    assert shown.status == 200
    assert "Lagret gjennom server to" in shown.text and "Saved." in shown.text
    for server in (one, two):
        assert "Lagret gjennom server to" in Client(server.base).get(f"/activities/{key}/").text


def check_one_server_stopped(one, two, proxy) -> None:
    """A server stopped (as for a rolling restart) is skipped; the other serves."""
    code = one.stop()
    assert code == 0, one.output()[-3000:]
    answers = {Client(proxy.base).get("/partnerships/").status for _ in range(6)}
    assert answers == {200}
    one.start()  # and back
    assert health(one.base)[0] == 200


def test_a_redis_cache_without_the_redis_package_is_a_clear_error(tmp_path):
    """Django's RedisCache needs the redis package, which unikom does not install."""
    try:
        import redis  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("the redis package is installed here")
    env = servers.base_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        UNIKOM_DATA_DIR=str(tmp_path),
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    done = subprocess.run(
        [*servers.MANAGE, "check"], env=env, cwd=servers.ROOT, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "needs the redis package" in done.stderr and "dbcache://" in done.stderr
