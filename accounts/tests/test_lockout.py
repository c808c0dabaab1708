"""Guessing passwords is stopped (django-axes): per account and per address, on
the site's sign-in and the admin's, with the right password refused too until
the cool-off ends; and a client cannot pick its own address with a header."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def users():
    make = get_user_model().objects.create_user
    return make("kari", password=PASSWORD), make("ola", password=PASSWORD)


def sign_in(client, username, password, path="/accounts/login/", **headers):
    return client.post(path, {"username": username, "password": password}, **headers)


def fail(client, username, times, **headers):
    for _ in range(times):
        assert sign_in(client, username, "wrong", **headers).status_code == 200


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_right_password_is_refused_after_five_wrong_ones(client, users, settings, path):
    client.cookies["django_language"] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "kari", "wrong", path).status_code == 200
    locked = sign_in(client, "kari", "wrong", path)
    assert locked.status_code == 429
    refused = sign_in(client, "kari", PASSWORD, path)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert "Try again in 15 minutes" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_norwegian_first(client, users, settings):
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1)
    page = sign_in(client, "kari", "wrong").content.decode()
    assert "For mange mislykkede innlogginger" in page


def test_an_account_is_locked_from_every_address(client, users, settings):
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR="10.0.0.1")
    sign_in(client, "kari", "wrong", REMOTE_ADDR="10.0.0.1")
    assert sign_in(client, "kari", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 429


def test_an_address_is_locked_for_every_account(client, users, settings):
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR="10.0.0.1")
    sign_in(client, "kari", "wrong", REMOTE_ADDR="10.0.0.1")
    assert sign_in(client, "ola", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert sign_in(client, "ola", PASSWORD, REMOTE_ADDR="10.0.0.3").status_code == 302


def test_a_forwarded_for_header_does_not_make_a_new_address(client, users, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert sign_in(client, "ola", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, users, settings):
    settings.UNIKOM_TRUSTED_PROXIES = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{i}", "wrong", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert sign_in(client, "ola", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 429
    # The proxy's own address is the same for both; the client's is not.
    assert sign_in(client, "ola", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 302


def test_signing_in_works_again_after_the_cool_off(client, users, settings):
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "kari", "wrong").status_code == 429
    assert sign_in(client, "kari", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert sign_in(client, "kari", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures(client, users, settings):
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "kari", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "kari", PASSWORD).status_code == 302


def test_sign_ins_failures_and_lockouts_are_logged(client, users, settings, caplog):
    caplog.set_level(logging.INFO)
    assert sign_in(client, "ola", PASSWORD).status_code == 302
    fail(client, "kari", settings.AXES_FAILURE_LIMIT - 1)
    sign_in(client, "kari", "wrong")
    text = caplog.text
    assert 'Successful login by {username: "ola"' in text
    assert 'login failure by {username: "kari"' in text
    assert 'Locking out {username: "kari"' in text
    assert PASSWORD not in text and "wrong" not in text


def test_the_api_limit_cannot_be_dodged_with_a_forwarded_for_header(client, settings):
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "3/minute", "user": "5/minute"}
    cache.clear()
    answers = [
        client.get("/api/themes/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]
