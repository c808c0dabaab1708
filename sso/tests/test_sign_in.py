"""Signing in with a real OpenID Connect provider, without a browser: the login
page's button, the provider's own sign-in and consent pages, the way back."""

from __future__ import annotations

import logging

import pytest

from sso.models import LoginIdentity

from .conftest import PID
from .oidc import sign_in_at_provider

pytestmark = pytest.mark.django_db


def sign_in(client, provider_id: str, login: str, next_url: str = "/"):
    """Press the provider's button, sign in there, and come back. Returns the callback's
    answer and the callback URL (code and state)."""
    start = client.get(f"/accounts/sso/{provider_id}/login/", {"next": next_url})
    assert start.status_code == 302, start.content
    callback = sign_in_at_provider(start["Location"], login, stop_at="http://testserver/")
    return client.get(callback.removeprefix("http://testserver"), follow=True), callback


def signed_in_user(client):
    from django.contrib.auth import get_user

    return get_user(client)


def test_the_login_page_has_a_button_per_provider_and_the_password_form(client, sso):
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/login/?next=/people/").content.decode()
    assert page.index("Sign in with Feide") < page.index("Sign in with ID-porten")
    assert 'href="/accounts/sso/feide/login/?next=/people/"' in page
    assert 'name="password"' in page


def test_without_providers_the_login_page_has_only_the_password_form(client, settings):
    settings.SSO_PROVIDERS = {}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/sso/" not in page and 'name="password"' in page


def test_a_first_sign_in_makes_a_reader_awaiting_approval(client, sso, caplog):
    client.cookies["django_language"] = "en"
    caplog.set_level(logging.INFO, logger="sso")
    page, _callback = sign_in(client, "feide", "kari", next_url="/people/")
    assert page.redirect_chain[-1][0] == "/people/"
    user = signed_in_user(client)
    assert user.is_authenticated
    assert "Your login awaits approval by an administrator" in page.content.decode()

    identity = LoginIdentity.objects.get(user=user)
    assert (identity.provider, identity.subject) == ("feide", "kari")
    assert identity.name == "Kari Nordmann"
    assert identity.email == "kari.nordmann@drammen.kommune.no"
    assert identity.approved is None and identity.person is None
    assert not user.assignments.exists() and not user.has_usable_password()

    me = client.get("/accounts/me/").content.decode()
    assert "Your login with Feide awaits approval by an administrator" in me
    assert "you are a reader" in me

    (line,) = [r.getMessage() for r in caplog.records if r.name == "sso"]
    assert "provider=feide" in line and "awaiting approval" in line
    assert "kari" not in line.replace(user.username, "") and "Nordmann" not in line


def test_signing_in_again_uses_the_same_account(client, sso):
    sign_in(client, "feide", "kari")
    first = signed_in_user(client)
    client.post("/accounts/logout/")
    sign_in(client, "feide", "kari")
    assert signed_in_user(client) == first
    assert LoginIdentity.objects.filter(provider="feide").count() == 1


def test_the_same_subject_at_another_provider_is_another_login(client, sso):
    sign_in(client, "feide", "kari")
    client.post("/accounts/logout/")
    sign_in(client, "idporten", "kari")
    assert LoginIdentity.objects.filter(subject="kari").count() == 2


def test_an_id_porten_login_keeps_the_organisation_number_and_not_the_pid(client, sso, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, "idporten", "ola")
    identity = LoginIdentity.objects.get(provider="idporten")
    assert identity.org_number == "911770709"
    assert identity.name == "Ola Nordmann"
    assert PID not in caplog.text


def test_a_provider_that_names_people_by_national_identity_number_is_refused(client, sso, caplog):
    client.cookies["django_language"] = "en"
    caplog.set_level(logging.INFO, logger="sso")
    page, _callback = sign_in(client, "idporten", PID)
    assert not signed_in_user(client).is_authenticated
    assert "identifies people by their national identity number" in page.content.decode()
    assert not LoginIdentity.objects.exists()
    assert "provider=idporten reason=national_id" in caplog.text
    assert PID not in caplog.text


def test_an_unknown_provider_is_not_found(client, sso):
    assert client.get("/accounts/sso/nowhere/login/").status_code == 404
    assert client.get("/accounts/sso/nowhere/callback/").status_code == 404


def test_the_callback_only_answers_get(client, sso):
    assert client.post("/accounts/sso/feide/callback/").status_code == 405


def test_sign_in_does_not_redirect_to_another_site(client, sso):
    page, _callback = sign_in(client, "feide", "kari", next_url="https://evil.example/")
    assert page.redirect_chain[-1][0] == "/"


def test_local_accounts_still_sign_in_with_a_password(client, sso):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("lokal", password="a-long-pass-phrase")
    answer = client.post(
        "/accounts/login/", {"username": "lokal", "password": "a-long-pass-phrase"}
    )
    assert answer.status_code == 302
    assert signed_in_user(client).username == "lokal"


def test_a_closed_account_cannot_sign_in_with_its_login(client, sso, caplog):
    client.cookies["django_language"] = "en"
    sign_in(client, "feide", "kari")
    user = signed_in_user(client)
    client.post("/accounts/logout/")
    user.is_active = False
    user.save()
    caplog.set_level(logging.INFO, logger="sso")
    page, _callback = sign_in(client, "feide", "kari")
    assert "The account of this login is closed." in page.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert "provider=feide reason=inactive" in caplog.text


def test_name_and_email_come_from_userinfo_when_the_id_token_lacks_them(client, sso):
    """As Feide does: the ID token carries the subject, the userinfo endpoint the rest."""
    minimal = ("iss", "sub", "aud", "exp", "iat", "nonce", "at_hash", "auth_time")
    with sso.tampering(lambda claims: {k: v for k, v in claims.items() if k in minimal}):
        sign_in(client, "feide", "kari")
    identity = LoginIdentity.objects.get()
    assert identity.name == "Kari Nordmann"
    assert identity.email == "kari.nordmann@drammen.kommune.no"
