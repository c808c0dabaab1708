"""ID-porten's national identity number ("pid") is never kept: after an
ID-porten-like sign-in and its approval, no table of the database holds it in
any column (sessions decoded too), no page shows it and no log line names it."""

from __future__ import annotations

import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from accounts.models import Role
from conftest import _user
from sso.models import LoginIdentity

from .conftest import PID
from .test_sign_in import sign_in

pytestmark = pytest.mark.django_db


def tables_holding(value: str) -> list[str]:
    """Every table with a row in which ``value`` occurs, in any column."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                if any(value in str(cell) for cell in row):
                    found.append(table)
                    break
    return found


def sessions_holding(value: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return sum(value in str(SessionStore().decode(data)) for (data,) in cursor.fetchall())


def test_the_scan_finds_a_value_that_is_stored(client, sso):
    """The scan itself works: the organisation number of the same login is found."""
    sign_in(client, "idporten", "ola")
    assert "sso_loginidentity" in tables_holding("911770709")


def test_the_national_identity_number_is_stored_nowhere(client, sso, caplog, drammen):
    caplog.set_level(logging.DEBUG)
    page, _callback = sign_in(client, "idporten", "ola", next_url="/accounts/me/")
    assert PID not in page.content.decode()
    identity = LoginIdentity.objects.get(provider="idporten")

    admin = _user("national", role=Role.NATIONAL_ADMIN)
    client.force_login(admin)
    assert PID not in client.get("/accounts/sso-approvals/").content.decode()
    client.post(
        f"/accounts/sso-approvals/{identity.pk}/",
        {f"login{identity.pk}-organisation": drammen.pk},
    )
    identity.refresh_from_db()
    assert identity.approved and identity.person

    assert tables_holding(PID) == []
    assert sessions_holding(PID) == 0
    assert PID not in caplog.text
