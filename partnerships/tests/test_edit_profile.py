"""Coordinators edit their own partnership's profile in the site."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

URL = "/partnerships/usn-skien/edit/"


@pytest.fixture
def coordinator():
    user = get_user_model().objects.create_user("coordinator", password="a-long-pass-phrase")
    Assignment.objects.create(
        user=user, role=Role.COORDINATOR, partnership=Partnership.objects.get(slug="usn-skien")
    )
    return user


def form_data(client) -> dict:
    form = client.get(URL).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = [t.pk for t in value] if name == "themes" else value
    return data


def test_a_coordinator_edits_the_profile_and_history_shows_it(client, coordinator):
    client.force_login(coordinator)
    data = form_data(client)
    data["purpose"] = "Et nytt formål."
    response = client.post(URL, data)
    assert response.status_code == 302
    p = Partnership.objects.get(slug="usn-skien")
    assert p.purpose == "Et nytt formål." and p.version == 2
    client.cookies["django_language"] = "en"
    history = client.get("/partnerships/usn-skien/history/").content.decode()
    assert "coordinator" in history and "Et nytt formål." in history


def test_the_edit_link_shows_only_for_those_who_may_edit(client, coordinator):
    assert URL not in client.get("/partnerships/usn-skien/").content.decode()
    client.force_login(coordinator)
    assert URL in client.get("/partnerships/usn-skien/").content.decode()
    assert (
        "/partnerships/usn-drammen/edit/"
        not in client.get("/partnerships/usn-drammen/").content.decode()
    )


def test_another_partnership_is_out_of_scope(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/partnerships/usn-drammen/edit/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_second_save_of_an_old_version_is_refused_and_keeps_the_typing(client, coordinator):
    client.force_login(coordinator)
    first, second = form_data(client), form_data(client)
    first["purpose"] = "Først."
    assert client.post(URL, first).status_code == 302
    second["purpose"] = "Andre, skrevet samtidig."
    response = client.post(URL, second)
    assert response.status_code == 409
    assert "Andre, skrevet samtidig." in response.content.decode()
    assert Partnership.objects.get(slug="usn-skien").purpose == "Først."


def test_bad_years_are_explained_beside_the_field(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    data = form_data(client)
    data.update(roots_year=2030, agreement_year=2020)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "roots year cannot be after" in response.content.decode()


def test_roots_are_written_as_the_source_gives_them(client, coordinator):
    client.force_login(coordinator)
    data = form_data(client)
    data.update(roots_text="slutten av 1980-tallet", roots_year="", agreement_year=2020)
    assert client.post(URL, data).status_code == 302
    p = Partnership.objects.get(slug="usn-skien")
    assert (p.roots_year, p.roots_year_to, p.roots_display) == (
        1985,
        1989,
        "slutten av 1980-tallet",
    )


def test_an_unreadable_date_is_explained_beside_the_field(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    data = form_data(client)
    data.update(roots_text="once upon a time")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "cannot read &#x27;once upon a time&#x27;" in response.content.decode()
