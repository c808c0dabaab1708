"""Writing through the API: the site's form rules, lost-update protection, history."""

from __future__ import annotations

import pytest

from activities.models import Activity
from activities.tests.matrix import make as make_activity
from api.tests.conftest import as_token
from needs.tests.matrix import make as make_need
from organisations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(partnership, drammen):
    return make_activity(partnership, drammen)


def url(record) -> str:
    kind = {"Activity": "activities", "Need": "needs", "Person": "people"}[type(record).__name__]
    return f"/api/{kind}/{record.public_id}/"


def test_a_stale_version_is_refused_with_409_and_nothing_saved(coordinator, activity):
    api = as_token(coordinator)
    first = api.patch(url(activity), {"title": "Først", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api.patch(url(activity), {"title": "Sist", "version": 1}, format="json")
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Først", 2)


def test_an_update_without_version_is_refused(coordinator, activity):
    response = as_token(coordinator).patch(url(activity), {"title": "Uten"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_the_history_names_the_token_owner(coordinator, activity):
    as_token(coordinator).patch(url(activity), {"summary": "Ny", "version": 1}, format="json")
    assert activity.history.first().history_user == coordinator


def test_the_sites_form_rules_apply(coordinator, activity):
    """Cross-field rules live in the form; the API answers them field by field."""
    response = as_token(coordinator).patch(
        url(activity),
        {"start_date": "2025-01-01", "end_date": "2024-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["end_date"]


def test_a_thesis_needs_its_level(coordinator, activity):
    response = as_token(coordinator).patch(
        url(activity), {"activity_type": "student_thesis", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "thesis_level" in response.json()["errors"]


def test_roles_are_replaced_by_the_list_sent(coordinator, activity, usn, drammen):
    api = as_token(coordinator)
    roles = [
        {"organisation": "drammen", "role": "owner"},
        {"organisation": "usn", "role": "partner"},
    ]
    response = api.patch(url(activity), {"organisation_roles": roles, "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["organisation_roles"] == roles
    kept = activity.organisation_roles.get(organisation=drammen)
    response = api.patch(
        url(activity), {"organisation_roles": roles[:1], "version": 2}, format="json"
    )
    assert response.json()["organisation_roles"] == roles[:1]
    assert activity.organisation_roles.get().pk == kept.pk  # re-sent rows are kept, not re-made


def test_patch_keeps_what_is_not_sent_and_put_resets_it(coordinator, activity, theme):
    api = as_token(coordinator)
    activity.themes.add(theme)
    patched = api.patch(url(activity), {"summary": "Kort", "version": 1}, format="json").json()
    assert patched["themes"] == [theme.slug]
    assert patched["organisation_roles"] == [{"organisation": "drammen", "role": "owner"}]
    put = api.put(
        url(activity),
        {
            "title": "Helt ny",
            "activity_type": "network",
            "partnerships": ["usn-drammen"],
            "version": 2,
        },
        format="json",
    )
    assert put.status_code == 200, put.json()
    body = put.json()
    assert (body["themes"], body["organisation_roles"], body["summary"]) == ([], [], "")
    assert body["status"] == "ongoing"  # the default of a new activity


def test_roles_must_name_known_organisations(coordinator, activity):
    response = as_token(coordinator).patch(
        url(activity),
        {"organisation_roles": [{"organisation": "no-such-place", "role": "owner"}], "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "organisation_roles.0.organisation" in response.json()["errors"]


def test_an_activity_tied_to_nobody_is_refused(editor):
    response = as_token(editor).post(
        "/api/activities/", {"title": "Ingen", "activity_type": "network"}, format="json"
    )
    assert response.status_code == 400
    assert not Activity.all_objects.filter(title="Ingen").exists()


def test_a_need_moves_only_along_its_workflow(coordinator, partnership, drammen):
    need = make_need(partnership, drammen)
    api = as_token(coordinator)
    closed = api.patch(url(need), {"status": "closed", "version": 1}, format="json")
    assert closed.status_code == 200
    reopened = api.patch(url(need), {"status": "matched", "version": 2}, format="json")
    assert reopened.status_code == 400
    assert "status" in reopened.json()["errors"]


def test_people_are_checked_like_in_the_site(editor, drammen):
    api = as_token(editor)
    payload = {
        "name": "Ola Orcid",
        "orcid": "0000-0002-1825-0098",
        "affiliations": [{"organisation": "drammen"}],
    }
    wrong = api.post("/api/people/", payload, format="json")
    assert wrong.status_code == 400 and "orcid" in wrong.json()["errors"]
    payload["orcid"] = "https://orcid.org/0000-0002-1825-0097"
    created = api.post("/api/people/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["orcid"] == "0000-0002-1825-0097"
    assert created["Location"] == created.json()["url"]
    person = Person.objects.get(public_id=created.json()["public_id"])
    assert person.affiliations.get().organisation == drammen
    nobody = api.post("/api/people/", {"name": "Uten tilknytning"}, format="json")
    assert nobody.status_code == 400
    assert "affiliations" in nobody.json()["errors"]


def test_a_coordinator_updates_the_partnership_profile(coordinator, partnership, theme):
    response = as_token(coordinator).patch(
        f"/api/partnerships/{partnership.slug}/",
        {"themes": [theme.slug], "roots_year": 2030, "agreement_year": 2020, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "roots_year" in response.json()["errors"]
    response = as_token(coordinator).patch(
        f"/api/partnerships/{partnership.slug}/",
        {"themes": [theme.slug], "version": partnership.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["themes"] == [theme.slug]
    assert partnership.history.first().history_user == coordinator


def test_a_browser_session_writes_only_with_csrf(coordinator, activity):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coordinator)
    response = browser.patch(
        url(activity), {"title": "Via økt", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    activity.refresh_from_db()
    assert activity.title != "Via økt"


def test_a_created_record_is_located_by_a_plain_string_header(coordinator, partnership, drammen):
    # WSGI servers refuse header values that are str subclasses (DRF's Hyperlink).
    response = as_token(coordinator).post(
        "/api/activities/",
        {"title": "Ny", "activity_type": "network", "partnerships": [partnership.slug]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    location = response.headers["Location"]
    assert type(location) is str and location.endswith(
        f"/api/activities/{response.json()['public_id']}/"
    )


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_write_to_a_mistyped_address_is_a_json_404_not_a_csrf_page(coordinator, method):
    response = getattr(as_token(coordinator), method)("/api/activities//", {}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_refused_choice_is_named_as_the_api_names_it_never_by_database_id(
    coordinator, partnership, drammen
):
    """docs/api.md: database ids never appear, in errors neither."""
    from partnerships.models import Partnership

    activity = make_activity(partnership, drammen)
    other = Partnership.objects.exclude(pk=partnership.pk).order_by("pk").last()
    response = as_token(coordinator).patch(
        url(activity), {"partnerships": [partnership.slug, other.slug], "version": 1}, format="json"
    )
    assert response.status_code == 400
    (message,) = response.json()["errors"]["partnerships"]
    assert other.slug in message
    assert str(other.pk) not in message.replace(other.slug, "")
