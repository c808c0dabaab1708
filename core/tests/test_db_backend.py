"""PostgreSQL's health check of a kept connection (core/db_backends/postgresql): no
round trip while the server has said nothing; Django's SELECT 1, and a new
connection, once the server has closed it."""

from __future__ import annotations

import time
from unittest import mock

import psycopg
import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]


@pytest.fixture
def wrapper():
    """A connection of its own to the test database, outside the test's transaction
    (a transactional test would empty the tables the other tests share), kept as
    a server process keeps its connection."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    wrapper.close_at = None  # whatever CONN_MAX_AGE the run has
    yield wrapper
    wrapper.close()


def request_starts(connection):
    """What Django does for a kept connection when a request begins (the health
    check is due again) and before its first query."""
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_done is False
    connection.close_if_health_check_failed()


def test_settings_use_the_project_backend(wrapper):
    connection = wrapper
    assert type(connection).__module__ == "core.db_backends.postgresql.base"
    assert connection.health_check_enabled


def test_a_healthy_idle_connection_is_kept_without_asking_the_server(wrapper):
    connection = wrapper
    connection.ensure_connection()
    kept = connection.connection
    with mock.patch.object(type(connection), "is_usable", side_effect=AssertionError("asked")):
        request_starts(connection)
    assert connection.connection is kept
    assert connection.health_check_done


def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(wrapper):
    connection = wrapper
    connection.ensure_connection()
    kept = connection.connection
    pid = kept.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    deadline = time.monotonic() + 10
    while connection.quietly_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye is on its way to the socket
    assert not connection.quietly_usable()
    request_starts(connection)
    assert connection.connection is not kept
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_inside_a_transaction_django_asks_the_server(wrapper):
    connection = wrapper
    connection.ensure_connection()
    with mock.patch.object(type(connection), "is_usable", return_value=True) as asked:
        connection.connection.execute("BEGIN")
        try:
            connection.health_check_done = False
            connection.close_if_health_check_failed()
        finally:
            connection.connection.execute("ROLLBACK")
    asked.assert_called_once()
