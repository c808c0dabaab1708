"""Answers that must not sign anyone in, from a real provider: the ID token is
altered on its way from the token endpoint (re-signed with another key, for
another client, expired), or the provider's answer is sent a second time. Each
gets a clear message, and a log line with the provider and the reason only."""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth import get_user

from sso.models import LoginIdentity

from .oidc import new_key, sign_in_at_provider
from .test_sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


def assert_refused(client, page, caplog, reason: str, message: str) -> None:
    assert page.redirect_chain[-1][0] == "/accounts/login/"
    assert message in page.content.decode()
    assert not get_user(client).is_authenticated
    assert not LoginIdentity.objects.exists()
    lines = [r.getMessage() for r in caplog.records if r.name == "sso"]
    assert lines == [f"sso sign-in refused: provider=feide reason={reason}"]


def test_a_forged_signature_is_refused(client, sso, english, caplog):
    caplog.set_level(logging.INFO, logger="sso")
    with sso.tampering(lambda claims: claims, signing_key=new_key()):
        page, _callback = sign_in(client, "feide", "kari")
    assert_refused(client, page, caplog, "signature", "did not carry its valid signature")


def test_a_token_for_another_client_is_refused(client, sso, english, caplog):
    caplog.set_level(logging.INFO, logger="sso")
    with sso.tampering(lambda claims: {**claims, "aud": "unikom-idporten"}):
        page, _callback = sign_in(client, "feide", "kari")
    assert_refused(client, page, caplog, "audience", "was meant for another service")


def test_an_expired_token_is_refused(client, sso, english, caplog):
    caplog.set_level(logging.INFO, logger="sso")
    now = int(time.time())
    with sso.tampering(lambda claims: {**claims, "iat": now - 7200, "exp": now - 3600}):
        page, _callback = sign_in(client, "feide", "kari")
    assert_refused(client, page, caplog, "expired", "had expired")


def test_an_untampered_token_passes_the_proxy(client, sso):
    """The refusals above come from the tampering, not from the proxy."""
    with sso.tampering(lambda claims: claims):
        sign_in(client, "feide", "kari")
    assert get_user(client).is_authenticated


def test_a_replayed_answer_is_refused(client, sso, english, caplog):
    caplog.set_level(logging.INFO, logger="sso")
    page, callback = sign_in(client, "feide", "kari")
    assert get_user(client).is_authenticated
    client.post("/accounts/logout/")
    again = client.get(callback.removeprefix("http://testserver"), follow=True)
    assert "was already used" in again.content.decode()
    assert not get_user(client).is_authenticated
    assert "sso sign-in refused: provider=feide reason=state" in caplog.text


def test_an_answer_for_another_browser_is_refused(client, sso, english, caplog):
    caplog.set_level(logging.INFO, logger="sso")
    start = client.get("/accounts/sso/feide/login/")
    callback = sign_in_at_provider(start["Location"], "kari", stop_at="http://testserver/")
    client.cookies.clear()
    client.cookies["django_language"] = "en"
    page = client.get(callback.removeprefix("http://testserver"), follow=True)
    assert "started in another browser or tab" in page.content.decode()
    assert not get_user(client).is_authenticated
    assert not LoginIdentity.objects.exists()


def test_a_cancelled_sign_in_says_so(client, sso, english, caplog):
    caplog.set_level(logging.INFO, logger="sso")
    start = client.get("/accounts/sso/feide/login/")
    state = start["Location"].split("state=")[1].split("&")[0]
    page = client.get(
        f"/accounts/sso/feide/callback/?error=access_denied&state={state}", follow=True
    )
    assert "The sign-in at Feide was cancelled." in page.content.decode()
    assert "provider=feide reason=cancelled" in caplog.text


def test_an_unreachable_provider_says_so(client, settings, english, caplog):
    from sso.config import OIDCProvider

    from .oidc import free_port

    settings.SSO_PROVIDERS = {
        "feide": OIDCProvider(
            id="feide",
            name="Feide",
            issuer=f"http://127.0.0.1:{free_port()}",
            client_id="x",
            client_secret="y",
        )
    }
    caplog.set_level(logging.INFO, logger="sso")
    page = client.get("/accounts/sso/feide/login/", follow=True)
    assert "Feide could not be reached" in page.content.decode()
    assert "provider=feide reason=unreachable" in caplog.text


def test_a_discovery_document_of_another_issuer_is_refused(client, sso, settings, english, caplog):
    """unikom configured with the issuer's address written differently (another host
    name for the same server) does not trust what that server says it is."""
    from dataclasses import replace

    caplog.set_level(logging.INFO, logger="sso")
    feide = settings.SSO_PROVIDERS["feide"]
    other = replace(feide, issuer=feide.issuer.replace("127.0.0.1", "localhost"))
    settings.SSO_PROVIDERS = {"feide": other}
    start = client.get("/accounts/sso/feide/login/")
    callback = sign_in_at_provider(start["Location"], "kari", stop_at="http://testserver/")
    page = client.get(callback.removeprefix("http://testserver"), follow=True)
    assert "did not come from Feide" in page.content.decode()
    assert not get_user(client).is_authenticated
    assert "provider=feide reason=issuer" in caplog.text
