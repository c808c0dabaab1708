"""THE permission matrix: every role × every write action × own/other scope.

Every app describes its editable records in ``<app>/tests/matrix.py`` as
``CASES = [MatrixCase(...)]`` (tests.support.testing.MatrixCase). Each case is tried
through the site for five roles, four write actions and a record of the
role's own partnership and organisation or of another one:

================== ========================== =================================
role               own                        other
================== ========================== =================================
anonymous          sign-in redirect (302)     sign-in redirect (302)
reader             add 403, others 404        add 403, others 404
organisation       allowed if the case says   add: the case's refused_add_status
editor             organisation editors may   (200 with a form error, or 403);
                   (else as "other")          edit, trash, restore: 404
coordinator        allowed                    as for organisation editors
national admin     allowed                    allowed
================== ========================== =================================

Each refusal has exactly one expected status. The partnership profile, which has
only an edit page, has its own rows below.

"Own" is the partnership universitetskommune-gjovik (Gjøvik kommune 3407 and
NTNU) and the organisation Gjøvik; "other" is kunnskapskommunen-helseomsorg-vest
and Bergen (4601). Organisation editors add records with ``partnership=None``
(they act for an organisation, not a partnership). Refused actions write
nothing; allowed ones are checked by their effect.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client

from access.verification import mark_verified
from accounts.models import Assignment, Role
from core import permissions
from needs.models import NeedResponse
from organisations.models import Organisation, Person
from partnerships.models import Partnership
from tests.support.forms import record_form

pytestmark = pytest.mark.django_db

MATRIX_APPS = ["organisations", "activities", "needs", "events"]
ROLES = ["anonymous", "reader", "organisation_editor", "coordinator", "national_admin"]
ACTIONS = ["add", "edit", "trash", "restore"]
SCOPES = ["own", "other"]
OWN_PARTNERSHIP, OTHER_PARTNERSHIP = (
    "universitetskommune-gjovik",
    "kunnskapskommunen-helseomsorg-vest",
)
OWN_MUNICIPALITY, OTHER_MUNICIPALITY = "3407", "4601"


def collect_cases() -> list:
    """One parameter per MatrixCase; an app whose matrix module is missing or broken
    is a failing parameter, never a skip."""
    params = []
    for app in MATRIX_APPS:
        module_name = f"{app}.tests.matrix"
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # noqa: BLE001 - reported by the test, not at collection
            params.append(pytest.param((app, error), id=f"{app}-broken"))
            continue
        for case in module.CASES:
            params.append(pytest.param((app, case), id=case.name))
    return params


CASES = collect_cases()


@dataclass
class Cast:
    own_partnership: Partnership
    other_partnership: Partnership
    own_organisation: Organisation
    other_organisation: Organisation
    users: dict

    def scope(self, which: str) -> tuple[Partnership, Organisation]:
        if which == "own":
            return self.own_partnership, self.own_organisation
        return self.other_partnership, self.other_organisation


def make_cast() -> Cast:
    """The fixed cast: one user per role, with roles for the own partnership/organisation."""
    own_p = Partnership.objects.get(slug=OWN_PARTNERSHIP)
    own_org = Organisation.objects.get(municipality_number=OWN_MUNICIPALITY)
    # No passwords: the tests sign in with force_login, and argon2 is slow on purpose.
    create = get_user_model().objects.create_user
    users = {"anonymous": None, "reader": create("reader")}
    users["organisation_editor"] = create("org-editor")
    Assignment.objects.create(
        user=users["organisation_editor"], role=Role.ORGANISATION_EDITOR, organisation=own_org
    )
    users["coordinator"] = create("coordinator")
    Assignment.objects.create(user=users["coordinator"], role=Role.COORDINATOR, partnership=own_p)
    users["national_admin"] = create("national-admin")
    Assignment.objects.create(user=users["national_admin"], role=Role.NATIONAL_ADMIN)
    return Cast(
        own_partnership=own_p,
        other_partnership=Partnership.objects.get(slug=OTHER_PARTNERSHIP),
        own_organisation=own_org,
        other_organisation=Organisation.objects.get(municipality_number=OTHER_MUNICIPALITY),
        users=users,
    )


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def expected_allowed(role: str, scope: str, case) -> bool:
    if role == "national_admin":
        return True
    if role == "coordinator":
        return scope == "own"
    if role == "organisation_editor":
        return scope == "own" and case.org_editors_may_edit
    return False


def snapshot(record) -> dict:
    record = type(record).all_objects.get(pk=record.pk)
    return model_to_dict(record) | {
        "version": record.version,
        "deleted_at": record.deleted_at,
    }


def restore_url(record) -> str:
    meta = record._meta
    return f"/trash/{meta.app_label}/{meta.model_name}/{record.pk}/restore/"


def refused_status(role: str, action: str, case) -> int:
    """The one status a refusal gets (see the table above)."""
    if role == "anonymous":
        return 302
    if action == "add":
        return 403 if role == "reader" else case.refused_add_status
    return 404  # a record out of scope is not there for this user


def assert_refused(response, role: str, action: str, case) -> None:
    expected = refused_status(role, action, case)
    assert response.status_code == expected, (response.status_code, expected)
    if expected == 302:
        assert "/accounts/login/" in response["Location"]
    elif expected == 200:
        assert response.context["form"].errors


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", CASES)
def test_every_role_may_do_exactly_what_the_matrix_says(client, cast, entry, role, action, scope):
    _app, case = entry
    if isinstance(case, Exception):
        raise case
    user = cast.users[role]
    if user is not None:
        client.force_login(user)
    partnership, organisation = cast.scope(scope)
    allowed = expected_allowed(role, scope, case)
    model = case.model

    if action == "add":
        # An organisation editor adds for an organisation, not for a partnership.
        on_behalf_of = None if role == "organisation_editor" else partnership
        before = set(model.all_objects.values_list("pk", flat=True))
        response = client.post(case.add_url, case.add_data(on_behalf_of, organisation))
        created = model.all_objects.exclude(pk__in=before)
        if allowed:
            assert response.status_code == 302, (
                response.status_code,
                response.context and response.context["form"].errors,
            )
            assert created.count() == 1
            if user is not None:
                assert created.get().history.first().history_user == user
        else:
            assert_refused(response, role, action, case)
            assert not created.exists()
        return

    record = case.make(partnership, organisation)
    if action == "restore":
        record.move_to_trash(None)
    before = snapshot(record)
    if action == "edit":
        response = client.post(case.urls(record)["edit"], case.edit_data(record))
    elif action == "trash":
        response = client.post(case.urls(record)["trash"])
    else:
        response = client.post(restore_url(record))
    after = snapshot(record)

    if not allowed:
        assert_refused(response, role, action, case)
        assert after == before, "a refused action changed the record"
        return
    assert response.status_code == 302, response.status_code
    if action == "edit":
        assert after["version"] == before["version"] + 1
        assert after != before | {"version": after["version"]}, "the edit changed nothing"
    elif action == "trash":
        assert after["deleted_at"] is not None
        assert not model.objects.filter(pk=record.pk).exists()
    else:
        assert after["deleted_at"] is None
        assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["reader", "organisation_editor", "coordinator"])
@pytest.mark.parametrize("entry", CASES)
def test_edit_pages_of_records_out_of_scope_answer_404(client, cast, entry, role, method):
    _app, case = entry
    if isinstance(case, Exception):
        raise case
    record = case.make(*cast.scope("other"))
    client.force_login(cast.users[role])
    for name in ("edit", "trash"):
        assert getattr(client, method)(case.urls(record)[name]).status_code == 404


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        ("anonymous", "own", False),
        ("reader", "own", False),
        ("organisation_editor", "own", False),
        ("coordinator", "own", True),
        ("coordinator", "other", False),
        ("national_admin", "own", True),
        ("national_admin", "other", True),
    ],
)
def test_a_coordinator_changes_only_the_own_partnership(client, cast, role, scope, allowed):
    partnership, _organisation = cast.scope(scope)
    user = cast.users[role]
    assert permissions.can_change(user, partnership) is allowed
    if user is not None:
        client.force_login(user)
    response = client.get(f"/partnerships/{partnership.slug}/edit/")
    if allowed:
        assert response.status_code == 200
    elif user is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 404


def test_the_matrix_found_the_people_case():
    names = [entry.values[0][1].name for entry in CASES if hasattr(entry.values[0][1], "name")]
    assert "organisations.person" in names


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
def test_the_partnership_profile_edit_follows_the_matrix(client, cast, role, scope):
    """The profile's own page posts as the national administrator's form would."""
    partnership, _organisation = cast.scope(scope)
    url = f"/partnerships/{partnership.slug}/edit/"
    admin = Client()
    admin.force_login(cast.users["national_admin"])
    form, _options = record_form(admin.get(url).content.decode())
    form.set("summary", "Endret i matrisen.")
    user = cast.users[role]
    if user is not None:
        client.force_login(user)
    before = snapshot(partnership)
    response = client.post(url, form.data())
    after = snapshot(partnership)
    if role == "national_admin" or (role == "coordinator" and scope == "own"):
        assert response.status_code == 302, response.context and response.context["form"].errors
        assert after["version"] == before["version"] + 1
        assert after["summary"] == "Endret i matrisen."
        return
    assert response.status_code == (302 if user is None else 404)
    if user is None:
        assert "/accounts/login/" in response["Location"]
    assert after == before


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
def test_offers_of_help_follow_the_matrix(client, cast, role, scope, mailoutbox):
    """Every signed-in role may offer help (with a verified address) on any need it
    sees, in scope or not; how many offers a need has had is seen by exactly those
    who may edit it. Anonymous visitors are sent to sign in."""
    (case,) = [c for _app, c in (p.values[0] for p in CASES) if getattr(c, "name", "") == "need"]
    need = case.make(*cast.scope(scope))
    need.contact = Person.objects.create(name="Matrix Kontakt", email="kontakt@example.no")
    need.save()
    user = cast.users[role]
    if user is not None:
        user.email = f"{user.username}@example.no"
        user.save()
        mark_verified(user)
        client.force_login(user)
    response = client.post(f"{need.get_absolute_url()}offer/", {"message": "Jeg kan hjelpe."})
    offers = NeedResponse.objects.filter(need=need)
    if user is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not offers.exists() and not mailoutbox
        NeedResponse.objects.create(need=need, user=cast.users["reader"], message="Tidligere.")
    else:
        assert response.status_code == 302, response.status_code
        assert offers.get().user == user
        assert [m.to for m in mailoutbox] == [["kontakt@example.no"]]
    count = client.get(need.get_absolute_url()).context["offer_count"]
    assert count == (1 if expected_allowed(role, scope, case) else None)
