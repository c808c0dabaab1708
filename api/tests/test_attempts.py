"""What an attacker with an account tries: each refused, nothing changed, and a log
line (logger unikom.security) naming the account that tried."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from accounts.models import Assignment
from api.tests.conftest import as_token
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusals(caplog):
    caplog.set_level(logging.WARNING, logger="unikom.security")

    def lines() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "unikom.security"]

    return lines


def test_editing_another_partnership_is_refused_and_logged(coordinator, partnership, refusals):
    other = Partnership.objects.exclude(pk=partnership.pk).order_by("pk").first()
    before = (other.summary, other.version)
    response = as_token(coordinator).patch(
        f"/api/partnerships/{other.slug}/",
        {"summary": "Overtatt.", "version": other.version},
        format="json",
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert (other.summary, other.version) == before
    (line,) = refusals()
    assert f"PATCH /api/partnerships/{other.slug}/ with 403" in line
    assert f"user {coordinator.pk} ({coordinator.username})" in line


def test_a_read_token_cannot_write(coordinator, partnership, refusals):
    response = as_token(coordinator, "read").patch(
        f"/api/partnerships/{partnership.slug}/",
        {"summary": "Med lesenøkkel.", "version": partnership.version},
        format="json",
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.summary != "Med lesenøkkel."
    assert any("with 403" in line and coordinator.username in line for line in refusals())


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/assignment/",
        "/admin/accounts/assignment/add/",
        "/admin/auth/user/",
    ],
)
def test_the_admin_is_closed_to_signed_in_users_who_are_not_staff(
    coordinator, partnership, refusals, path
):
    client = Client()
    client.force_login(coordinator)
    page = client.get(path)
    assert page.status_code == 302 and page["Location"].startswith("/admin/login/")
    assert any(f"GET {path} with 302" in line for line in refusals())


def test_a_coordinator_cannot_give_themselves_a_role(coordinator, partnership, refusals):
    """Escalation through the admin's add form, with a valid CSRF-exempt test client."""
    client = Client()
    client.force_login(coordinator)
    before = set(Assignment.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/accounts/assignment/add/",
        {"user": coordinator.pk, "role": "national_admin"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert set(Assignment.objects.values_list("pk", flat=True)) == before
    assert any("POST /admin/accounts/assignment/add/" in line for line in refusals())
    # Nor through the API, which has no address for roles at all.
    api = as_token(coordinator)
    sent = api.post("/api/assignments/", {"role": "national_admin"}, format="json")
    assert sent.status_code == 404
    assert set(Assignment.objects.values_list("pk", flat=True)) == before


def test_private_contact_data_is_not_in_any_anonymous_answer(api, drammen):
    from organisations.tests.matrix import make as make_person

    person = make_person(None, drammen)
    person.phone = "+47 411 11 111"
    person.save()
    for url in ["/api/people/", f"/api/people/{person.public_id}/", "/api/people/?q=Kari"]:
        body = api.get(url).content.decode()
        assert "kari@example.org" not in body and "411 11 111" not in body, url


def test_anonymous_writes_are_refused_and_logged(api, partnership, refusals):
    response = api.patch(
        f"/api/partnerships/{partnership.slug}/", {"summary": "x", "version": 1}, format="json"
    )
    assert response.status_code in (401, 403)
    assert any("an anonymous client" in line for line in refusals())
