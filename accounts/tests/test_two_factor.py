"""A second factor at sign-in: administrators must give a one-time code from an
authenticator app (UNIKOM_ADMIN_TOTP); anyone else may choose to."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Assignment, Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-2026"


@pytest.fixture(autouse=True)
def required_for_admins(settings):
    settings.UNIKOM_ADMIN_TOTP = True


def make_user(username, **extra):
    email = f"{username}@example.no"
    return get_user_model().objects.create_user(username, email, PASSWORD, **extra)


def sign_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return response


def key_on_page(html: str) -> bytes:
    """The key the enrolment page shows under its QR code, as an app would read it."""
    match = re.search(r"<code>([A-Z2-7=]+)</code>", html)
    assert match, html
    return b32decode(match.group(1))


def code(key: bytes) -> str:
    """What the app shows now."""
    return f"{totp(key):06d}"


def test_an_administrator_enrols_an_app_before_reaching_anything(client):
    make_user("admin", is_staff=True, is_superuser=True)
    sign_in(client, "admin")

    for path in ["/admin/", "/", "/accounts/me/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/?next=")
    api = client.get("/api/activities/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"

    page = client.get("/accounts/two-factor/?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<path" in html
    key = key_on_page(html)

    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    # A minute later the throttle has passed; the app's current code works.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    first = code(key)
    right = client.post("/accounts/two-factor/", {"code": first, "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/activities/").status_code == 200
    assert TOTPDevice.objects.get().confirmed

    # The next sign-in asks for a code again, without showing the key.
    client.post("/accounts/logout/")
    sign_in(client, "admin")
    assert client.get("/admin/").status_code == 302
    html = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" not in html and "<code>" not in html

    # A code already used is refused, even while it is still the current one (the
    # same code: a new 30-second step may have begun since).
    used = client.post("/accounts/two-factor/", {"code": first})
    assert used.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_a_national_administrator_by_role_must_give_a_code_too(client):
    user = make_user("kari")
    Assignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    sign_in(client, "kari")
    assert client.get("/partnerships/").status_code == 302


def test_guessing_is_slowed_down_even_for_the_right_code(client, settings):
    # The first wait is this many seconds (1 by default), doubling with each wrong
    # code; a minute here, so that a slow machine cannot outlast it between posts.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    make_user("admin", is_staff=True)
    sign_in(client, "admin")
    key = key_on_page(client.get("/accounts/two-factor/").content.decode())
    client.post("/accounts/two-factor/", {"code": "123456"})
    blocked = client.post("/accounts/two-factor/", {"code": code(key)})
    assert blocked.status_code == 400
    assert "For mange feil koder" in blocked.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_reader_is_not_asked_but_may_choose_a_second_factor(client):
    make_user("ola")
    sign_in(client, "ola")
    assert client.get("/accounts/me/").status_code == 200
    key = key_on_page(client.get("/accounts/two-factor/").content.decode())
    assert client.post("/accounts/two-factor/", {"code": code(key)}).status_code == 302

    client.post("/accounts/logout/")
    sign_in(client, "ola")
    assert client.get("/accounts/me/").status_code == 302  # chosen, so asked
    TOTPDevice.objects.update(last_t=-1)  # a new time step, as a new code would be
    assert client.post("/accounts/two-factor/", {"code": code(key)}).status_code == 302

    # A reader may turn it off again; then the password is enough.
    assert client.post("/accounts/two-factor/off/").status_code == 302
    assert not TOTPDevice.objects.exists()
    client.post("/accounts/logout/")
    sign_in(client, "ola")
    assert client.get("/accounts/me/").status_code == 200


def test_an_administrator_may_not_turn_it_off(client):
    make_user("admin", is_staff=True)
    sign_in(client, "admin")
    key = key_on_page(client.get("/accounts/two-factor/").content.decode())
    client.post("/accounts/two-factor/", {"code": code(key)})
    refused = client.post("/accounts/two-factor/off/")
    assert refused.status_code == 403 and "må beholde" in refused.content.decode()
    assert TOTPDevice.objects.filter(confirmed=True).exists()


def test_after_the_code_it_goes_only_to_this_site(client):
    make_user("admin", is_staff=True)
    sign_in(client, "admin")
    key = key_on_page(client.get("/accounts/two-factor/").content.decode())
    evil = {"code": code(key), "next": "https://evil.example/"}
    response = client.post("/accounts/two-factor/", evil)
    assert response["Location"] == "/accounts/me/"


def test_with_the_setting_off_administrators_sign_in_with_a_password(client, settings):
    settings.UNIKOM_ADMIN_TOTP = False
    make_user("admin", is_staff=True, is_superuser=True)
    sign_in(client, "admin")
    assert client.get("/admin/").status_code == 200


def test_anonymous_visitors_and_the_code_page_itself_are_never_redirected(client):
    assert client.get("/").status_code == 200
    make_user("admin", is_staff=True)
    sign_in(client, "admin")
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.get("/static/css/unikom.css").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 200
