"""Invitations end to end: the link arrives by e-mail through a real SMTP server on
loopback, works once, for the invited address only, and gives the role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access import services
from access.models import Invitation
from access.verification import is_verified
from accounts.models import Assignment, Role

from .conftest import link_in, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "et-langt-passord-for-kari-2026"


def invite_by_page(client, coordinator, partnership, email="kari@example.no"):
    client.force_login(coordinator)
    response = client.post(
        "/access/invitations/new/",
        {"email": email, "role": "coordinator", "partnership": partnership.slug},
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return response


def test_a_visitor_creates_an_account_from_the_link_and_gets_the_role(
    client, inbox, cast, partnership
):
    invite_by_page(client, cast["coordinator"], partnership)
    (message,) = inbox.messages
    assert message["To"] == "kari@example.no"
    assert inbox.subject(message) == _("An invitation to unikom")
    assert partnership.name in inbox.body(message)
    path = link_in(message, "/access/invitation/")

    page = client.get(path)
    assert page.status_code == 200
    assert 'value="kari@example.no"' in page.content.decode()  # shown, not typed
    done = client.post(
        path, {"username": "kari", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == "/accounts/me/"
    assert done.context["user"].get_username() == "kari"
    text = done.content.decode()
    assert partnership.name in text and str(Role.COORDINATOR.label) in text

    kari = get_user_model().objects.get(username="kari")
    assert kari.email == "kari@example.no" and kari.check_password(PASSWORD)
    assert is_verified(kari)
    assignment = Assignment.objects.get(user=kari)
    assert (assignment.role, assignment.partnership) == (Role.COORDINATOR, partnership)
    (record,) = assignment.history.all()
    assert record.history_user == cast["coordinator"]
    assert record.history_change_reason == services.INVITATION_REASON

    # The link works once.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert (
        _("This invitation has already been used. Each invitation link works once.")
        in again.content.decode()
    )


def test_the_token_is_not_stored(client, inbox, cast, partnership):
    invite_by_page(client, cast["coordinator"], partnership)
    token = link_in(inbox.messages[0], "/access/invitation/").split("/")[3]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_digest and len(invitation.token_digest) == 64


def test_a_signed_in_user_with_the_invited_address_accepts(client, inbox, cast, partnership):
    ola = make_user("ola", verified=False)
    services.invite(
        cast["coordinator"],
        "OLA@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    path = link_in(inbox.messages[0], "/access/invitation/")
    client.force_login(ola)
    page = client.get(path)
    assert _("Accept the role") in page.content.decode()
    accepted = client.post(path)
    assert accepted.status_code == 302 and accepted["Location"] == "/accounts/me/"
    assert Assignment.objects.filter(user=ola, partnership=partnership).exists()
    ola.refresh_from_db()
    assert is_verified(ola)  # the invitation reached the address
    assert client.post(path).status_code == 410


def test_a_link_opened_by_another_account_is_refused(client, inbox, cast, partnership):
    services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    path = link_in(inbox.messages[0], "/access/invitation/")
    client.force_login(cast["reader"])
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        assert escape(
            _(
                "This invitation was sent to another e-mail address than your account's. "
                "Sign out, and sign in with the account for that address or create one."
            )
        ) in (response.content.decode())
    assert not cast["reader"].assignments.exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_an_expired_link_is_refused(client, inbox, cast, partnership, settings):
    settings.UNIKOM_INVITATION_DAYS = 3
    invitation = services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    expiry = ngettext(
        "Open this link to accept. It works once, and for %(days)s day:",
        "Open this link to accept. It works once, and for %(days)s days:",
        3,
    ) % {"days": 3}
    assert expiry in inbox.body(inbox.messages[0])
    assert timedelta(days=2, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=3)
    path = link_in(inbox.messages[0], "/access/invitation/")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.post(path, {"username": "kari", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert (
        _("This invitation has expired. Ask the person who invited you for a new one.")
        in response.content.decode()
    )
    assert not get_user_model().objects.filter(username="kari").exists()


def test_the_inviter_sees_pending_invitations_and_withdraws_one(client, inbox, cast, partnership):
    invite_by_page(client, cast["coordinator"], partnership)
    path = link_in(inbox.messages[0], "/access/invitation/")
    client.force_login(cast["coordinator"])
    listing = client.get("/access/invitations/").content.decode()
    assert "kari@example.no" in listing
    invitation = Invitation.objects.get()
    revoked = client.post(f"/access/invitations/{invitation.pk}/revoke/", follow=True)
    assert f'data-invitation="{invitation.pk}"' not in revoked.content.decode()
    assert _("No invitations are waiting to be accepted.") in revoked.content.decode()
    assert Invitation.objects.get().status == Invitation.Status.REVOKED
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert (
        _("This invitation has been withdrawn by the people who sent it.")
        in response.content.decode()
    )


def test_an_invitation_dies_with_the_inviters_role(client, inbox, cast, partnership):
    services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    path = link_in(inbox.messages[0], "/access/invitation/")
    cast["coordinator"].assignments.all().delete()
    response = client.get(path)
    assert response.status_code == 403
    assert (
        _("The person who sent this invitation may no longer give this role.")
        in response.content.decode()
    )


def test_a_weak_password_or_a_taken_username_is_refused_at_its_field(
    client, inbox, cast, partnership
):
    invite_by_page(client, cast["coordinator"], partnership)
    path = link_in(inbox.messages[0], "/access/invitation/")
    weak = client.post(path, {"username": "kari", "password1": "123", "password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["password2"]
    taken = client.post(path, {"username": "READER", "password1": PASSWORD, "password2": PASSWORD})
    assert taken.context["form"].errors["username"]
    differ = client.post(path, {"username": "kari", "password1": PASSWORD, "password2": "x"})
    assert differ.context["form"].errors["password2"]
    assert not get_user_model().objects.filter(username="kari").exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_an_address_with_an_account_must_sign_in_to_accept(client, inbox, cast, partnership):
    invite_by_page(client, cast["coordinator"], partnership, email="reader@example.no")
    path = link_in(inbox.messages[0], "/access/invitation/")
    page = client.get(path).content.decode()
    assert f'href="/accounts/login/?next={path}"' in page
    response = client.post(
        path, {"username": "reader2", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert (
        _("There is already an account for this e-mail address: sign in to accept.")
        in response.content.decode()
    )
    assert not get_user_model().objects.filter(username="reader2").exists()


def test_a_mail_that_cannot_be_sent_leaves_no_invitation(client, cast, partnership, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    client.force_login(cast["coordinator"])
    response = client.post(
        "/access/invitations/new/",
        {"email": "kari@example.no", "role": "coordinator", "partnership": partnership.slug},
    )
    assert response.status_code == 200
    assert (
        _("The e-mail could not be sent, so no invitation was made. Try again later.")
        in response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_the_form_says_what_is_missing(client, inbox, cast, partnership):
    client.force_login(cast["national_admin"])
    response = client.post(
        "/access/invitations/new/", {"email": "not-an-address", "role": "coordinator"}
    )
    errors = response.context["form"].errors
    assert errors["email"] and errors["partnership"]
    assert inbox.messages == [] and not Invitation.objects.exists()


def test_an_invitation_to_a_partnership_in_the_trash_is_refused(client, inbox, cast, partnership):
    services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    path = link_in(inbox.messages[0], "/access/invitation/")
    partnership.move_to_trash(cast["national_admin"])
    response = client.get(path)
    assert response.status_code == 403
    assert _("This invitation is for a partnership that is no longer in the registry.") in (
        response.content.decode()
    )


def test_a_visitor_with_an_account_signs_in_first_and_comes_back_to_accept(
    client, inbox, cast, partnership
):
    make_user("ola", password=PASSWORD)
    services.invite(
        cast["coordinator"],
        "ola@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    path = link_in(inbox.messages[0], "/access/invitation/")
    signed = client.post(
        "/accounts/login/", {"username": "ola", "password": PASSWORD, "next": path}
    )
    assert signed.status_code == 302 and signed["Location"] == path
    assert client.post(path).status_code == 302
    assert Assignment.objects.filter(user__username="ola", partnership=partnership).exists()


def test_every_step_is_logged(client, inbox, cast, partnership, caplog):
    caplog.set_level("INFO", logger="access")
    invitation = services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    services.revoke_invitation(invitation, cast["national_admin"])
    lines = [r.getMessage() for r in caplog.records if r.name == "access"]
    assert lines[0].startswith(f"access.invitation.sent id={invitation.pk} by=coordinator")
    assert lines[1] == f"access.invitation.revoked id={invitation.pk} by=national-admin"
