"""E-mail verification: an unverified user is told so on "My roles", asks for a
link, and the link from the e-mail verifies the address, once."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from access.verification import is_verified

from .conftest import link_in, make_user

pytestmark = pytest.mark.django_db


def test_the_link_from_the_mail_verifies_the_address_once(client, inbox):
    ola = make_user("ola", verified=False)
    client.force_login(ola)
    me = client.get("/accounts/me/").content.decode()
    assert _("Your e-mail address %(email)s is not verified.") % {"email": "ola@example.no"} in me
    assert 'href="/access/email/"' in me

    sent = client.post("/access/email/", follow=True)
    assert _("We have sent a link to %(email)s. Open it to verify the address.") % {
        "email": "ola@example.no"
    } in (sent.content.decode())
    (message,) = inbox.messages
    assert message["To"] == "ola@example.no"
    assert inbox.subject(message) == _("Verify your e-mail address for unikom")
    path = link_in(message, "/access/email/verify/")

    client.logout()  # the link works without signing in, e.g. on another device
    done = client.get(path)
    assert done.status_code == 200
    assert is_verified(ola)
    again = client.get(path)
    assert again.status_code == 410
    assert (
        _(
            "This link does not work: it has been used, has expired, or the address has changed "
            "since it was sent. Ask for a new one on your page."
        )
        in again.content.decode()
    )

    client.force_login(ola)
    assert "ola@example.no" not in client.get("/accounts/me/").content.decode()
    client.post("/access/email/")
    assert len(inbox.messages) == 1  # verified: nothing more to send


def test_a_changed_address_is_unverified_and_old_links_stop_working(client, inbox):
    ola = make_user("ola", verified=False)
    client.force_login(ola)
    client.post("/access/email/")
    path = link_in(inbox.messages[0], "/access/email/verify/")
    ola.email = "ola.nordmann@example.no"
    ola.save()
    assert client.get(path).status_code == 410
    assert not is_verified(ola)

    verified = make_user("kari")
    assert is_verified(verified)
    verified.email = "kari.nordmann@example.no"
    verified.save()
    assert not is_verified(verified)


def test_a_broken_link_is_refused(client):
    response = client.get("/access/email/verify/MTIz/abc-def/")
    assert response.status_code == 410


def test_an_account_without_an_address_is_told_to_ask_an_administrator(client, inbox):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("uten-adresse")
    client.force_login(user)
    page = client.get("/access/email/").content.decode()
    assert _("Your account has no e-mail address. Ask an administrator to add it.") in page
    client.post("/access/email/")
    assert inbox.messages == []
