"""The API obeys the site's permission matrix (core/tests/test_permission_matrix.py):
the same roles may add, edit and trash the same records, with write tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from activities.models import Activity
from activities.tests.matrix import make as make_activity
from api.tests.conftest import as_token
from core.tests.test_permission_matrix import ROLES, SCOPES, expected_allowed, make_cast
from events.models import Event
from events.tests.matrix import make as make_event
from needs.models import Need
from needs.tests.matrix import make as make_need
from organisations.models import Person
from organisations.tests.matrix import make as make_person

pytestmark = pytest.mark.django_db


def activity_payload(partnership, organisation) -> dict:
    return {
        "title": "Nytt matriseprosjekt",
        "activity_type": "research_project",
        "partnerships": [partnership.slug] if partnership else [],
        "professional_owner": organisation.slug,
        "organisation_roles": [{"organisation": organisation.slug, "role": "owner"}],
    }


def need_payload(partnership, organisation) -> dict:
    return {
        "title": "Matrix need (API)",
        "description": "A need added through the API.",
        "organisation": organisation.slug,
        "partnership": partnership.slug if partnership else None,
        "suited_for": ["thesis"],
    }


def event_payload(partnership, organisation) -> dict:
    start = (timezone.now() + timedelta(days=14)).replace(microsecond=0)
    return {
        "title": "Matrix event (API)",
        "kind": "seminar",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "location": "Rådhuset",
        "organiser": organisation.slug,
        "partnership": partnership.slug if partnership else None,
    }


def person_payload(partnership, organisation) -> dict:
    return {
        "name": "Ola Ny",
        "affiliations": [{"organisation": organisation.slug, "title": "Forsker"}],
    }


# (model, endpoint, make, payload for POST, the text field an edit changes)
CASES = {
    "activity": (Activity, "/api/activities/", make_activity, activity_payload, "title"),
    "need": (Need, "/api/needs/", make_need, need_payload, "title"),
    "event": (Event, "/api/events/", make_event, event_payload, "title"),
    "person": (Person, "/api/people/", make_person, person_payload, "name"),
}


class Case:
    """Stands in for tests.support.testing.MatrixCase in ``expected_allowed``."""

    org_editors_may_edit = True


def client_for(cast, role):
    user = cast.users[role]
    return APIClient() if user is None else as_token(user, "write")


#: What adding a record for another partnership or organisation gets, as on the
#: pages (MatrixCase.refused_add_status): 400 where the form offers only the
#: role's own choices, 403 for a person, whose affiliations may name any.
REFUSED_ADD = {"activity": 400, "need": 400, "event": 400, "person": 403}


def assert_refused(response, role: str, name: str, action: str) -> None:
    """Exactly one status per refusal."""
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == response.status_code
    if role == "anonymous":
        expected = 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    elif action == "add" and role != "reader":
        expected = REFUSED_ADD[name]
    else:
        expected = 403  # readable through the API, so refused rather than hidden
    assert response.status_code == expected, (response.status_code, expected)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASES))
def test_adding_follows_the_matrix(name, role, scope):
    cast = make_cast()
    model, endpoint, _make, payload, _field = CASES[name]
    partnership, organisation = cast.scope(scope)
    on_behalf_of = None if role == "organisation_editor" else partnership
    before = set(model.all_objects.values_list("pk", flat=True))
    response = client_for(cast, role).post(
        endpoint, payload(on_behalf_of, organisation), format="json"
    )
    created = model.all_objects.exclude(pk__in=before)
    if expected_allowed(role, scope, Case):
        assert response.status_code == 201, response.json()
        record = created.get()
        assert response.json()["public_id"] == str(record.public_id)
        assert record.history.first().history_user == cast.users[role]
    else:
        assert_refused(response, role, name, "add")
        assert not created.exists()


@pytest.mark.parametrize("action", ["edit", "trash"])
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASES))
def test_editing_and_trashing_follow_the_matrix(name, role, scope, action):
    cast = make_cast()
    _model, endpoint, make, _payload, field = CASES[name]
    record = make(*cast.scope(scope))
    url = f"{endpoint}{record.public_id}/"
    client = client_for(cast, role)
    if action == "edit":
        response = client.patch(
            url, {field: "Endret i API", "version": record.version}, format="json"
        )
    else:
        response = client.delete(url)
    after = type(record).all_objects.get(pk=record.pk)
    if not expected_allowed(role, scope, Case):
        assert_refused(response, role, name, action)
        assert (after.version, after.deleted_at) == (record.version, None)
        assert getattr(after, field) == getattr(record, field)
        return
    if action == "edit":
        assert response.status_code == 200, response.json()
        assert getattr(after, field) == "Endret i API"
        assert after.version == record.version + 1
        assert response.json()["version"] == after.version
        assert after.history.first().history_user == cast.users[role]
    else:
        assert response.status_code == 204
        assert after.deleted_at is not None
        assert after.deleted_by == cast.users[role]
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        ("anonymous", "own", False),
        ("reader", "own", False),
        ("organisation_editor", "own", False),
        ("coordinator", "own", True),
        ("coordinator", "other", False),
        ("national_admin", "other", True),
    ],
)
def test_only_coordinators_and_admins_update_a_partnership_profile(role, scope, allowed):
    cast = make_cast()
    partnership, _organisation = cast.scope(scope)
    url = f"/api/partnerships/{partnership.slug}/"
    response = client_for(cast, role).patch(
        url, {"summary": "Ny omtale.", "version": partnership.version}, format="json"
    )
    partnership.refresh_from_db()
    assert (response.status_code == 200) is allowed, response.json()
    assert (partnership.summary == "Ny omtale.") is allowed


def test_partnerships_cannot_be_created_or_deleted_through_the_api():
    cast = make_cast()
    client = client_for(cast, "national_admin")
    assert client.post("/api/partnerships/", {}, format="json").status_code == 405
    response = client.delete(f"/api/partnerships/{cast.own_partnership.slug}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_private_records_are_hidden_from_anonymous_clients_only(api, reader, partnership, drammen):
    activity = make_activity(partnership, drammen)
    activity.is_public = False
    activity.save()
    url = f"/api/activities/{activity.public_id}/"
    assert api.get(url).status_code == 404
    assert api.get("/api/activities/").json()["results"] == []
    reading = as_token(reader, "read")
    assert reading.get(url).status_code == 200
    assert [a["public_id"] for a in reading.get("/api/activities/").json()["results"]] == [
        str(activity.public_id)
    ]


def test_contact_details_show_only_where_the_person_page_shows_them(api, reader, drammen):
    person = make_person(None, drammen)
    person.phone = "+47 400 00 000"
    person.save()
    url = f"/api/people/{person.public_id}/"
    anonymous = api.get(url).json()
    assert (anonymous["email"], anonymous["phone"]) == (None, None)
    assert "kari@example.org" not in api.get("/api/people/").content.decode()
    signed_in = as_token(reader, "read").get(url).json()
    assert signed_in["email"] == "kari@example.org"
    Person.objects.filter(pk=person.pk).update(contact_public=True)
    assert api.get(url).json()["email"] == "kari@example.org"


def test_a_need_hides_a_contact_anonymous_visitors_may_not_see(api, reader, partnership, drammen):
    need = make_need(partnership, drammen)
    need.contact = make_person(None, drammen)
    need.contact.is_public = False
    need.contact.save()
    need.save()
    url = f"/api/needs/{need.public_id}/"
    assert api.get(url).json()["contact"] is None
    assert as_token(reader, "read").get(url).json()["contact"] == str(need.contact.public_id)
