"""Access requests: a signed-in user with a verified address asks for a role;
those who may give it are told by e-mail, decide on their page, and the
requester is told by e-mail and sees the answer on "My roles"."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.utils.translation import gettext as _

from access import services
from access.models import AccessRequest
from accounts.models import Assignment, Role

from .conftest import link_in, make_user

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def ask(client, user, partnership, reason="Jeg leder forskningsnettverket i Drammen."):
    client.force_login(user)
    return client.post(
        "/access/requests/new/",
        {"role": "coordinator", "partnership": partnership.slug, "reason": reason},
    )


def test_a_request_reaches_those_who_decide_and_an_approval_gives_the_role(
    client, inbox, cast, partnership
):
    make_user(
        "unverified-coordinator", verified=False, role=Role.COORDINATOR, partnership=partnership
    )
    response = ask(client, cast["reader"], partnership)
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"

    # The partnership's coordinator and the national administrator, at verified
    # addresses only; not the other partnership's coordinator, nor the editor.
    assert sorted(m["To"] for m in inbox.messages) == [
        "coordinator@example.no",
        "national-admin@example.no",
    ]
    message = inbox.to("coordinator@example.no")[0]
    assert inbox.subject(message) == _("A request for a role in unikom")
    assert "Jeg leder forskningsnettverket i Drammen." in inbox.body(message)
    path = link_in(message, "/access/requests/")

    me = client.get("/accounts/me/").content.decode()
    assert 'data-request-status="pending"' in me

    client.force_login(cast["coordinator"])
    page = client.get(path).content.decode()
    assert "reader" in page and "Jeg leder forskningsnettverket" in page
    access_request = AccessRequest.objects.get()
    inbox.messages.clear()
    approved = client.post(
        f"/access/requests/{access_request.pk}/approve/", {f"r{access_request.pk}-message": ""}
    )
    assert approved.status_code == 302

    assignment = Assignment.objects.get(user=cast["reader"])
    assert (assignment.role, assignment.partnership) == (Role.COORDINATOR, partnership)
    (record,) = assignment.history.all()
    assert record.history_user == cast["coordinator"]
    assert record.history_change_reason == services.REQUEST_REASON

    (told,) = inbox.messages
    assert told["To"] == "reader@example.no"
    assert inbox.subject(told) == _("Your request for a role in unikom is approved")
    assert link_in(told, "/accounts/me/") == "/accounts/me/"

    client.force_login(cast["reader"])
    me = client.get("/accounts/me/").content.decode()
    assert 'data-request-status="approved"' in me and partnership.name in me
    assert _("No requests are waiting for your decision.") in (
        client.force_login(cast["coordinator"]) or client.get(path).content.decode()
    )


def test_a_declined_request_tells_why_and_gives_nothing(client, inbox, cast, drammen):
    requester = cast["reader"]
    access_request = services.request_access(
        requester,
        "organisation_editor",
        organisation=drammen,
        reason="Jeg jobber i Drammen.",
        base_url=BASE,
    )
    assert [m["To"] for m in inbox.messages] == [
        "org-editor@example.no",
        "national-admin@example.no",
    ]
    inbox.messages.clear()
    client.force_login(cast["organisation_editor"])
    client.post(
        f"/access/requests/{access_request.pk}/decline/",
        {f"r{access_request.pk}-message": "Spør din leder først."},
    )
    assert not requester.assignments.exists()
    (told,) = inbox.messages
    assert inbox.subject(told) == _("Your request for a role in unikom is declined")
    assert "Spør din leder først." in inbox.body(told)
    client.force_login(requester)
    me = client.get("/accounts/me/").content.decode()
    assert 'data-request-status="declined"' in me and "Spør din leder først." in me


def test_the_same_request_twice_is_refused_while_pending(client, inbox, cast, partnership):
    ask(client, cast["reader"], partnership)
    again = ask(client, cast["reader"], partnership)
    assert again.status_code == 200
    assert _("You have already asked for this role.") in again.content.decode()
    assert AccessRequest.objects.count() == 1
    with pytest.raises(IntegrityError):  # and the database holds to it
        AccessRequest.objects.create(
            user=cast["reader"], role="coordinator", partnership=partnership, reason="x"
        )


def test_asking_again_after_a_decision_is_allowed(client, inbox, cast, partnership):
    first = services.request_access(
        cast["reader"], "coordinator", partnership=partnership, reason="a", base_url=BASE
    )
    services.decline(first, cast["coordinator"], base_url=BASE)
    second = services.request_access(
        cast["reader"], "coordinator", partnership=partnership, reason="b", base_url=BASE
    )
    assert second.status == AccessRequest.Status.PENDING


def test_an_unverified_user_is_asked_to_verify_first(client, inbox, partnership):
    unverified = make_user("ola", verified=False)
    page = ask(client, unverified, partnership)
    assert (
        _("Before you ask for a role, verify your e-mail address: the answer is sent there.")
        in page.content.decode()
    )
    assert not AccessRequest.objects.exists() and inbox.messages == []
    with pytest.raises(services.AccessError):
        services.request_access(
            unverified, "coordinator", partnership=partnership, reason="x", base_url=BASE
        )


def test_a_role_already_held_cannot_be_asked_for(client, inbox, cast, partnership):
    page = ask(client, cast["coordinator"], partnership)
    assert _("You have this role already.") in page.content.decode()
    assert not AccessRequest.objects.exists()


def test_nobody_decides_their_own_request(client, inbox, cast, partnership, other_partnership):
    # The other partnership's coordinator asks to coordinate this one too...
    access_request = services.request_access(
        cast["other_coordinator"], "coordinator", partnership=partnership, reason="x", base_url=BASE
    )
    # ...and a national administrator may not approve their own request either.
    admin_request = services.request_access(
        cast["national_admin"],
        "coordinator",
        partnership=other_partnership,
        reason="x",
        base_url=BASE,
    )
    for user, row in (
        (cast["other_coordinator"], access_request),
        (cast["national_admin"], admin_request),
    ):
        client.force_login(user)
        assert client.post(f"/access/requests/{row.pk}/approve/").status_code == 404
        with pytest.raises(services.AccessError):
            services.approve(row, user, base_url=BASE)
        assert f'data-request="{row.pk}"' not in client.get("/access/requests/").content.decode()
    assert AccessRequest.objects.filter(status="pending").count() == 2


def test_a_decided_request_cannot_be_decided_again(client, inbox, cast, partnership):
    access_request = services.request_access(
        cast["reader"], "coordinator", partnership=partnership, reason="x", base_url=BASE
    )
    services.approve(access_request, cast["coordinator"], base_url=BASE)
    client.force_login(cast["national_admin"])
    response = client.post(f"/access/requests/{access_request.pk}/decline/", follow=True)
    assert _("This request has already been decided.") in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.APPROVED
    assert cast["reader"].assignments.count() == 1


def test_the_form_says_what_is_missing(client, inbox, cast):
    client.force_login(cast["reader"])
    response = client.post("/access/requests/new/", {"role": "organisation_editor", "reason": ""})
    errors = response.context["form"].errors
    assert errors["organisation"] and errors["reason"]
    assert not AccessRequest.objects.exists()
