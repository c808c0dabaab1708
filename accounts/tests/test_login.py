"""Signing in and out; passwords are stored as argon2 hashes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("kari", password=PASSWORD)


def test_a_stored_password_is_an_argon2_hash(user):
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_a_user_signs_in_and_is_sent_where_they_were_going(client, user):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "kari", "password": PASSWORD, "next": "/people/"}
    )
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/accounts/me/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, user):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": "kari", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_sign_in_does_not_redirect_to_another_site(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": "kari", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_signing_out_ends_the_session(client, user):
    client.force_login(user)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/me/").status_code == 302


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_on_sign_in(client, user):
    from django.contrib.auth.hashers import make_password

    get_user_model().objects.filter(pk=user.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    client.post("/accounts/login/", {"username": "kari", "password": PASSWORD})
    user.refresh_from_db()
    assert user.password.startswith("argon2")
