"""Nothing is lost: readable history, a trash, and restoring with the history intact.

Exercised through the site on a person (organisations.Person); every record
kind uses the same generic views (core.views).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Assignment, Role
from organisations.models import Affiliation, Organisation, Person
from organisations.tests.matrix import edit_data
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = Person.objects.create(name="Kari Historikk")
    Affiliation.objects.create(
        person=person, organisation=Organisation.objects.get(municipality_number="3407")
    )
    return person


def coordinator_of(slug: str, username: str):
    user = get_user_model().objects.create_user(username)
    Assignment.objects.create(
        user=user, role=Role.COORDINATOR, partnership=Partnership.objects.get(slug=slug)
    )
    return user


@pytest.fixture
def coordinator():
    return coordinator_of("universitetskommune-gjovik", "gjovik-coordinator")


@pytest.fixture
def other_coordinator():
    return coordinator_of("kunnskapskommunen-helseomsorg-vest", "vest-coordinator")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def rename(client, person, name: str) -> None:
    data = edit_data(person)
    data["name"] = name
    assert client.post(f"/people/{person.public_id}/edit/", data).status_code == 302


def test_an_edit_shows_who_when_which_field_and_the_old_and_new_value(english, coordinator, person):
    coordinator.first_name, coordinator.last_name = "Gunn", "Koordinator"
    coordinator.save()
    english.force_login(coordinator)
    rename(english, person, "Kari Nordmann")
    signed_in = english.get(f"/people/{person.public_id}/history/")
    assert signed_in.context["entries"][0].user == "Gunn Koordinator"
    english.logout()  # the history is public, like the person
    english.cookies["django_language"] = "en"  # logging out clears the cookies

    response = english.get(f"/people/{person.public_id}/history/")
    assert response.status_code == 200
    latest = response.context["entries"][0]
    # A visitor is told that an editor made the change, not who: never the username.
    assert latest.user == "an editor" and latest.kind == "~"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("name", "Kari Historikk", "Kari Nordmann")
    ]
    html = response.content.decode()
    saved = person.history.first().history_date
    with translation.override("en"):  # the page's language, in its own date format
        assert date_format(timezone.localtime(saved), "DATETIME_FORMAT") in html
    assert "gjovik-coordinator" not in html and "Koordinator" not in html
    assert '<th scope="row">name</th><td>Kari Historikk</td><td>Kari Nordmann</td>' in html


def test_the_trash_hides_a_person_from_lists_and_pages(client, coordinator, person):
    client.force_login(coordinator)
    assert client.get(f"/people/{person.public_id}/trash/").status_code == 200
    response = client.post(f"/people/{person.public_id}/trash/")
    assert response.status_code == 302 and response["Location"] == "/trash/"

    assert "Kari Historikk" not in client.get("/people/").content.decode()
    for suffix in ("", "edit/", "history/", "trash/"):
        assert client.get(f"/people/{person.public_id}/{suffix}").status_code == 404, suffix
    client.logout()
    assert "Kari Historikk" not in client.get("/people/").content.decode()
    assert client.get(person.get_absolute_url()).status_code == 404


def test_the_trash_shows_a_record_only_to_those_allowed_to_restore_it(
    client, coordinator, other_coordinator, person
):
    person.move_to_trash(coordinator)
    admin = get_user_model().objects.create_user("national-admin")
    Assignment.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    reader = get_user_model().objects.create_user("reader")
    restore = f"/trash/organisations/person/{person.pk}/restore/"

    for user, shown in (
        (coordinator, True),
        (admin, True),
        (other_coordinator, False),
        (reader, False),
    ):
        client.force_login(user)
        html = client.get("/trash/").content.decode()
        assert ("Kari Historikk" in html) is shown, user
        assert (restore in html) is shown, user
    client.logout()
    response = client.get("/trash/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_others_cannot_restore(client, other_coordinator, person):
    person.move_to_trash(None)
    client.force_login(other_coordinator)
    assert client.post(f"/trash/organisations/person/{person.pk}/restore/").status_code == 404
    assert Person.all_objects.get(pk=person.pk).in_trash


def test_restoring_brings_the_person_back_with_the_history_intact(english, coordinator, person):
    english.force_login(coordinator)
    rename(english, person, "Kari Nordmann")
    assert english.post(f"/people/{person.public_id}/trash/").status_code == 302

    response = english.post(f"/trash/organisations/person/{person.pk}/restore/")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert english.get(person.get_absolute_url()).status_code == 200
    assert "Kari Nordmann" in english.get("/people/").content.decode()
    person.refresh_from_db()
    assert not person.in_trash and person.affiliations.count() == 1

    entries = english.get(f"/people/{person.public_id}/history/").context["entries"]
    assert [e.reason for e in entries] == ["restored from trash", "moved to trash", "", ""]
    # Signed in, the editor by name; this one has none, and the username never shows.
    assert [e.user for e in entries[:3]] == ["a user without a name"] * 3
    assert [(c.old, c.new) for c in entries[2].changes] == [("Kari Historikk", "Kari Nordmann")]


def test_a_person_hidden_from_the_public_is_not_named_on_a_public_history(
    client, coordinator, partnership
):
    """A need's contact person who chose not to be shown appeared by name on the
    need's public history page."""
    from needs.models import Need
    from organisations.models import Person

    hidden = Person.objects.create(name="Skjult Kontaktperson", is_public=False)
    need = Need.objects.create(
        title="Behov med kontakt",
        description="Et behov.",
        organisation=partnership.memberships.first().organisation,
        contact=hidden,
    )
    need.contact = None
    need.save()
    client.cookies["django_language"] = "en"
    page = client.get(f"{need.get_absolute_url()}history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Skjult Kontaktperson" not in html and "(not shown publicly)" in html
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    assert (
        "Skjult Kontaktperson" in client.get(f"{need.get_absolute_url()}history/").content.decode()
    )
