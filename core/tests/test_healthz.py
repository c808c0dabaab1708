"""/healthz: 200 when the database answers and is migrated, 503 otherwise, as JSON."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from core import views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """Each test starts as a new server process that has not checked migrations yet."""
    monkeypatch.setattr(views, "_migrations_applied", False)


def test_a_healthy_site_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no language cookie: cheap to poll


def test_migrations_are_read_once_per_process(client, django_assert_max_num_queries):
    client.get("/healthz")
    with django_assert_max_num_queries(1):  # SELECT 1 only
        assert client.get("/healthz").status_code == 200


def test_an_unreachable_database_answers_503(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "migrations": "unknown",
    }
    assert "connection refused" not in response.content.decode()  # details go to the log


def test_pending_migrations_answer_503_until_they_are_applied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    monkeypatch.setattr(MigrationExecutor, "migration_plan", real_plan)
    assert client.get("/healthz").status_code == 200


def test_only_reading_is_allowed(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
