"""Who may use which page of the access app: every view × anonymous, reader,
coordinator of this partnership (USN–Drammen) or of another (USN–Skien),
organisation editor (Drammen) and national administrator. The rules are in
core.permissions; refused actions write nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from access import services
from access.models import AccessRequest, Invitation
from accounts.models import Assignment

from .conftest import signed_in

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "reader",
    "coordinator",
    "other_coordinator",
    "organisation_editor",
    "national_admin",
]
BASE = "http://testserver"


def is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture(autouse=True)
def mail(inbox):
    return inbox


# --- Invitations ---------------------------------------------------------------

LIST_OR_FORM = {
    "anonymous": "sign-in",
    "reader": 403,
    "coordinator": 200,
    "other_coordinator": 200,
    "organisation_editor": 200,
    "national_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/access/invitations/", "/access/invitations/new/"])
def test_invitation_pages(client, cast, role, url):
    response = signed_in(client, cast[role]).get(url)
    expected = LIST_OR_FORM[role]
    if expected == "sign-in":
        assert is_sign_in_redirect(response)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_pending_invitations_are_listed_for_those_who_may_withdraw_them(
    client, cast, role, partnership
):
    invitation = services.invite(
        cast["national_admin"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url=BASE,
    )
    response = signed_in(client, cast[role]).get("/access/invitations/")
    listed = response.status_code == 200 and (
        f'data-invitation="{invitation.pk}"' in response.content.decode()
    )
    assert listed == (role in {"coordinator", "national_admin"})


# Who may invite to coordinate USN–Drammen, and to edit for Drammen.
MAY_INVITE = {
    "coordinator": {
        "anonymous": False,
        "reader": False,
        "coordinator": True,
        "other_coordinator": False,
        "organisation_editor": False,
        "national_admin": True,
    },
    "organisation_editor": {
        "anonymous": False,
        "reader": False,
        "coordinator": False,
        "other_coordinator": False,
        "organisation_editor": True,
        "national_admin": True,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("invited_role", ["coordinator", "organisation_editor"])
def test_who_may_invite(client, cast, role, invited_role, partnership, drammen, mail):
    data = {"email": "kari@example.no", "role": invited_role}
    data |= (
        {"partnership": partnership.slug}
        if invited_role == "coordinator"
        else {"organisation": drammen.slug}
    )
    response = signed_in(client, cast[role]).post("/access/invitations/new/", data)
    allowed = MAY_INVITE[invited_role][role]
    assert Invitation.objects.exists() == allowed
    assert len(mail.messages) == int(allowed)
    if allowed:
        assert response.status_code == 302
    elif role == "anonymous":
        assert is_sign_in_redirect(response)
    elif role == "reader":
        assert response.status_code == 403
    else:  # the form offers only one's own partnership or organisation
        assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.parametrize("role", ROLES)
def test_who_may_withdraw_an_invitation(client, cast, role, partnership):
    invitation = services.invite(
        cast["national_admin"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url=BASE,
    )
    response = signed_in(client, cast[role]).post(f"/access/invitations/{invitation.pk}/revoke/")
    allowed = role in {"coordinator", "national_admin"}
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == allowed
    if role == "anonymous":
        assert is_sign_in_redirect(response)
    elif not allowed:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_an_invitation_link_serves_only_its_address(client, cast, role, partnership, mail):
    services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url=BASE,
    )
    path = mail.messages[0].get_body(("plain",)).get_content().split(BASE)[1].split()[0]
    signed_in(client, cast[role])
    # A visitor gets the account form; every signed-in account here has another address.
    assert client.get(path).status_code == (200 if role == "anonymous" else 403)
    if role != "anonymous":
        assert client.post(path).status_code == 403
        assert (
            not Assignment.objects.filter(user=cast[role], partnership=partnership)
            .exclude(user=cast["coordinator"])
            .exists()
        )


# --- Access requests -----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_ask_for_a_role(client, cast, role, partnership):
    signed_in(client, cast[role])
    page = client.get("/access/requests/new/")
    response = client.post(
        "/access/requests/new/",
        {"role": "coordinator", "partnership": partnership.slug, "reason": "Jeg trenger det."},
    )
    if role == "anonymous":
        assert is_sign_in_redirect(page) and is_sign_in_redirect(response)
        assert not AccessRequest.objects.exists()
        return
    assert page.status_code == 200
    # Everyone signed in may ask, except for a role they hold already.
    assert AccessRequest.objects.exists() == (role != "coordinator")


@pytest.fixture
def pending(cast, partnership):
    return services.request_access(
        cast["reader"], "coordinator", partnership=partnership, reason="x", base_url=BASE
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_request_to_decide(client, cast, role, pending):
    response = signed_in(client, cast[role]).get("/access/requests/")
    expected = LIST_OR_FORM[role]
    if expected == "sign-in":
        assert is_sign_in_redirect(response)
        return
    assert response.status_code == expected
    shown = response.status_code == 200 and f'data-request="{pending.pk}"' in (
        response.content.decode()
    )
    assert shown == (role in {"coordinator", "national_admin"})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_who_may_decide_a_request(client, cast, role, decision, pending):
    response = signed_in(client, cast[role]).post(f"/access/requests/{pending.pk}/{decision}/")
    allowed = role in {"coordinator", "national_admin"}
    pending.refresh_from_db()
    assert (pending.status != "pending") == allowed
    assert cast["reader"].assignments.exists() == (allowed and decision == "approve")
    if role == "anonymous":
        assert is_sign_in_redirect(response)
    elif not allowed:
        assert response.status_code == 404


def test_an_organisation_request_is_decided_by_its_editors(client, cast, drammen):
    request = services.request_access(
        cast["reader"], "organisation_editor", organisation=drammen, reason="x", base_url=BASE
    )
    for role in ("coordinator", "other_coordinator"):
        assert (
            signed_in(client, cast[role])
            .post(f"/access/requests/{request.pk}/approve/")
            .status_code
            == 404
        )
    signed_in(client, cast["organisation_editor"]).post(f"/access/requests/{request.pk}/approve/")
    assert cast["reader"].assignments.get().organisation == drammen


# --- E-mail verification -------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_email_page_is_for_signed_in_users(client, cast, role):
    response = signed_in(client, cast[role]).get("/access/email/")
    if role == "anonymous":
        assert is_sign_in_redirect(response)
        assert is_sign_in_redirect(client.post("/access/email/"))
    else:
        assert response.status_code == 200


# --- CSRF ------------------------------------------------------------------------


def test_every_post_needs_the_csrf_token(cast, partnership, pending):
    invitation = services.invite(
        cast["national_admin"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url=BASE,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["national_admin"])
    for url, data in [
        (
            "/access/invitations/new/",
            {"email": "ola@example.no", "role": "coordinator", "partnership": partnership.slug},
        ),
        (f"/access/invitations/{invitation.pk}/revoke/", {}),
        (f"/access/requests/{pending.pk}/approve/", {}),
        (f"/access/requests/{pending.pk}/decline/", {}),
        (
            "/access/requests/new/",
            {"role": "coordinator", "partnership": "usn-skien", "reason": "x"},
        ),
        ("/access/email/", {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    invitation.refresh_from_db()
    assert Invitation.objects.count() == 1 and invitation.status == "pending"
    assert AccessRequest.objects.get().status == "pending"


def test_accepting_an_invitation_needs_the_csrf_token(cast, partnership, mail):
    services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url=BASE,
    )
    path = mail.messages[0].get_body(("plain",)).get_content().split(BASE)[1].split()[0]
    password = "et-langt-passord-for-kari-2026"
    client = Client(enforce_csrf_checks=True)
    data = {"username": "kari", "password1": password, "password2": password}
    assert client.post(path, data).status_code == 403
    assert Invitation.objects.get().status == "pending"
