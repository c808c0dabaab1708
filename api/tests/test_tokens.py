"""API tokens: stored hashed, scoped, revocable and expiring; the token page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from activities.tests.matrix import make as make_activity
from api.models import ApiToken
from api.tests.conftest import as_token
from api.tokens import issue_token
from core.tests.test_accessibility import parse
from tests.support.testing import count_queries, query_counts

pytestmark = pytest.mark.django_db


def bearer(secret: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client


def patch_title(client, activity):
    return client.patch(
        f"/api/activities/{activity.public_id}/",
        {"title": "Endret", "version": activity.version},
        format="json",
    )


def test_only_a_hash_of_the_token_is_stored(coordinator):
    token, secret = issue_token(coordinator, "export", "read")
    assert secret.startswith("unikom_") and len(secret) > 40
    assert token.prefix == secret[: len(token.prefix)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored
    assert secret[len(token.prefix) :] not in stored


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_token_signs_in_as_its_owner(reader, partnership, drammen, keyword):
    activity = make_activity(partnership, drammen)
    activity.is_public = False
    activity.save()
    _token, secret = issue_token(reader, "reading", "read")
    response = bearer(secret, keyword).get(f"/api/activities/{activity.public_id}/")
    assert response.status_code == 200


def test_a_read_token_cannot_write_even_for_a_coordinator(coordinator, partnership, drammen):
    activity = make_activity(partnership, drammen)
    response = patch_title(as_token(coordinator, "read"), activity)
    assert response.status_code == 403
    assert "skrivetilgang" in response.json()["detail"]  # bokmål unless asked otherwise
    activity.refresh_from_db()
    assert activity.title != "Endret"
    assert patch_title(as_token(coordinator, "write"), activity).status_code == 200


@pytest.mark.parametrize(
    "secret", ["unikom_not-a-real-token", "", "a b", "ø"], ids=["unknown", "empty", "two", "latin1"]
)
def test_a_bad_token_is_refused_with_401_not_read_as_anonymous(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}".encode().decode("latin-1"))
    response = client.get("/api/activities/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_refused_at_once(client, reader):
    token, secret = issue_token(reader, "to revoke", "read")
    api = bearer(secret)
    assert api.get("/api/themes/").status_code == 200
    client.force_login(reader)
    response = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    refused = api.get("/api/themes/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_expired_token_is_refused(reader):
    _token, secret = issue_token(
        reader, "old", "read", expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert bearer(secret).get("/api/themes/").status_code == 401


def test_last_used_is_recorded(reader):
    token, secret = issue_token(reader, "used", "read")
    bearer(secret).get("/api/themes/")
    token.refresh_from_db()
    assert token.last_used is not None


def test_nobody_revokes_someone_elses_token(client, reader, coordinator):
    token, _secret = issue_token(coordinator, "not yours", "write")
    client.force_login(reader)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_post_and_csrf(reader):
    from django.test import Client

    token, _secret = issue_token(reader, "csrf", "read")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    assert browser.get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
    assert browser.post(f"/api/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_shows_a_new_secret_once(client, reader):
    client.force_login(reader)
    response = client.post(
        "/api/tokens/", {"name": "nattlig eksport", "scope": "write", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    secret = re.search(r'value="(unikom_[^"]+)"', html).group(1)
    token = ApiToken.objects.get(owner=reader)
    assert token.scopes == ["read", "write"]
    assert token.expires_at > timezone.now() + timedelta(days=29)
    assert bearer(secret).get("/api/themes/").status_code == 200
    listing = client.get("/api/tokens/").content.decode()
    assert "nattlig eksport" in listing and token.prefix in listing
    assert secret not in listing
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_token_page_refuses_a_nameless_token(client, reader):
    client.force_login(reader)
    response = client.post("/api/tokens/", {"name": "", "scope": "read"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_token_page_needs_signing_in(client):
    response = client.get("/api/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_token_page_is_accessible(client, reader):
    issue_token(reader, "one", "read")
    client.force_login(reader)
    page = parse(client, "/api/tokens/")
    names = [t for t, _a in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1
    labelled = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            assert attrs.get("id") in labelled or attrs.get("aria-label"), attrs


def test_the_token_page_queries_do_not_grow_with_tokens(client, reader):
    client.force_login(reader)

    def grow():
        for i in range(15):
            issue_token(reader, f"token {i}", "read")

    small, large = query_counts(client, "/api/tokens/", grow=grow)
    assert small == large


def test_token_authentication_costs_a_fixed_number_of_queries(reader):
    _token, secret = issue_token(reader, "cheap", "read")
    api = bearer(secret)
    api.get("/api/themes/")
    first = count_queries(lambda: api.get("/api/themes/"))
    assert first == count_queries(lambda: api.get("/api/themes/"))
