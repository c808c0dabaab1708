"""A national administrator approves a new login: links it to a person and the
organisation they act for (suggested from the organisation number or the e-mail
domain) and may let it edit for that organisation. Nobody else may."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user

from accounts.models import Assignment, Role
from conftest import _user
from core import permissions
from organisations.models import Person
from sso.models import LoginIdentity

from .test_sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_admin():
    return _user("national", role=Role.NATIONAL_ADMIN)


def approvals_page(client, admin):
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    return client.get("/accounts/sso-approvals/")


def test_national_administrators_find_the_logins_to_approve_on_their_page(
    client, sso, national_admin, editor
):
    sign_in(client, "idporten", "ola")
    client.cookies["django_language"] = "en"
    client.force_login(national_admin)
    assert "1 new login awaits your approval" in client.get("/accounts/me/").content.decode()
    client.force_login(editor)
    assert "awaits your approval" not in client.get("/accounts/me/").content.decode()


def test_the_organisation_number_suggests_the_organisation(client, sso, national_admin, usn):
    sign_in(client, "idporten", "ola")
    page = approvals_page(client, national_admin)
    identity = LoginIdentity.objects.get()
    form = dict(page.context["forms"])[identity]
    assert form.initial["organisation"] == usn.pk
    assert "Ola Nordmann" in page.content.decode()


def test_the_email_domain_suggests_the_organisation(client, sso, national_admin, drammen):
    drammen.website = "https://www.drammen.kommune.no/"
    drammen.save()
    sign_in(client, "feide", "kari")
    page = approvals_page(client, national_admin)
    form = dict(page.context["forms"])[LoginIdentity.objects.get()]
    assert form.initial["organisation"] == drammen.pk


def test_an_approved_login_is_linked_and_may_edit_for_its_organisation(
    client, sso, national_admin, drammen
):
    person = Person.objects.create(name="Kari Nordmann")
    sign_in(client, "feide", "kari")
    identity = LoginIdentity.objects.get()
    user = identity.user
    assert not permissions.roles(user).editor

    approvals_page(client, national_admin)
    prefix = f"login{identity.pk}"
    answer = client.post(
        f"/accounts/sso-approvals/{identity.pk}/",
        {
            f"{prefix}-person": person.pk,
            f"{prefix}-organisation": drammen.pk,
            f"{prefix}-editor": "on",
        },
        follow=True,
    )
    assert "is approved" in answer.content.decode()
    assert "No logins await approval." in answer.content.decode()
    identity.refresh_from_db()
    person.refresh_from_db()
    assert person.user == user
    assert (identity.organisation, identity.approved_by) == (drammen, national_admin)
    assert Assignment.objects.filter(
        user=user, role=Role.ORGANISATION_EDITOR, organisation=drammen
    ).exists()

    # The next sign-in has no note about approval.
    client.post("/accounts/logout/")
    client.cookies["django_language"] = "en"
    page, _callback = sign_in(client, "feide", "kari")
    assert get_user(client) == user
    assert "awaits approval" not in page.content.decode()
    assert "awaits approval" not in client.get("/accounts/me/").content.decode()


def test_without_a_person_a_new_hidden_person_is_made(client, sso, national_admin, usn):
    sign_in(client, "idporten", "ola")
    identity = LoginIdentity.objects.get()
    approvals_page(client, national_admin)
    client.post(
        f"/accounts/sso-approvals/{identity.pk}/", {f"login{identity.pk}-organisation": usn.pk}
    )
    person = Person.all_objects.get(user=identity.user)
    assert person.name == "Ola Nordmann" and not person.is_public
    assert not Assignment.objects.filter(user=identity.user).exists()


def test_an_organisation_is_required(client, sso, national_admin):
    sign_in(client, "feide", "kari")
    identity = LoginIdentity.objects.get()
    approvals_page(client, national_admin)
    answer = client.post(f"/accounts/sso-approvals/{identity.pk}/", {})
    assert answer.status_code == 400
    identity.refresh_from_db()
    assert identity.approved is None


@pytest.mark.parametrize("who", ["reader", "coordinator", "editor"])
def test_only_national_administrators_approve(client, sso, who, request, usn):
    sign_in(client, "idporten", "ola")
    identity = LoginIdentity.objects.get()
    user = _user("plain") if who == "reader" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get("/accounts/sso-approvals/").status_code == 403
    answer = client.post(
        f"/accounts/sso-approvals/{identity.pk}/", {f"login{identity.pk}-organisation": usn.pk}
    )
    assert answer.status_code == 403
    identity.refresh_from_db()
    assert identity.approved is None


def test_visitors_are_sent_to_sign_in(client, sso):
    answer = client.get("/accounts/sso-approvals/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_the_admin_lists_logins_and_approves_one(client, sso, drammen):
    from django.contrib.auth import get_user_model

    person = Person.objects.create(name="Kari Nordmann")
    sign_in(client, "feide", "kari")
    identity = LoginIdentity.objects.get()
    staff = get_user_model().objects.create_superuser("root", "root@example.no", "x-long-pass")
    client.force_login(staff)
    assert "Kari Nordmann" in client.get("/admin/sso/loginidentity/").content.decode()
    answer = client.post(
        f"/admin/sso/loginidentity/{identity.pk}/change/",
        {"person": person.pk, "organisation": drammen.pk},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    identity.refresh_from_db()
    person.refresh_from_db()
    assert identity.approved and identity.approved_by == staff
    assert person.user == identity.user


def test_the_admin_does_not_take_a_person_from_another_account(client, sso, drammen):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("other")
    person = Person.objects.create(name="Kari Nordmann", user=other)
    sign_in(client, "feide", "kari")
    identity = LoginIdentity.objects.get()
    client.cookies["django_language"] = "en"
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.no", "x-pw"))
    answer = client.post(
        f"/admin/sso/loginidentity/{identity.pk}/change/",
        {"person": person.pk, "organisation": drammen.pk},
    )
    assert "already linked to another account" in answer.content.decode()
    person.refresh_from_db()
    identity.refresh_from_db()
    assert person.user == other and identity.approved is None
