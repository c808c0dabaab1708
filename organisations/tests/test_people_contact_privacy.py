"""Contact details are personal data: visitors never see private ones, anywhere in a page."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from organisations.models import Affiliation, Organisation, Person

from .matrix import edit_data

pytestmark = pytest.mark.django_db

EMAIL = "privat.kari@hemmelig.example"
PHONE = "+47 912 34 567"
NEW_EMAIL = "ny.privat@hemmelig.example"


@pytest.fixture
def person():
    person = Person.objects.create(name="Kari Privat", email=EMAIL, phone=PHONE)
    Affiliation.objects.create(
        person=person, organisation=Organisation.objects.get(municipality_number="3407")
    )
    return person


@pytest.fixture
def admin():
    user = get_user_model().objects.create_user("national-admin")
    Assignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


def leaks(content: bytes) -> list[str]:
    """Every trace of the private contact details in a page: text, attributes, encodings."""
    text = content.decode()
    variants = {text, html.unescape(text), unquote(html.unescape(text))}
    found = []
    for page in variants:
        digits_only = re.sub(r"[^0-9]", "", page)
        for secret in (EMAIL, NEW_EMAIL, "privat.kari", "hemmelig", "ny.privat"):
            if secret in page.lower():
                found.append(secret)
        if "91234567" in digits_only or "912 34 567" in page:
            found.append("phone")
    return found


def pages(person) -> list[str]:
    return [
        "/people/",
        f"/people/?q={person.name}",
        person.get_absolute_url(),
        f"/people/{person.public_id}/history/",
    ]


def test_visitors_never_see_private_contact_details(client, person):
    for url in pages(person):
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(response.content) == [], url


def test_visitors_see_no_contact_details_in_the_history_of_changes(client, person, admin):
    client.force_login(admin)
    data = edit_data(person)
    data.update(name=person.name, email=NEW_EMAIL, phone="+47 912 34 568")
    assert client.post(f"/people/{person.public_id}/edit/", data).status_code == 302
    assert NEW_EMAIL in client.get(f"/people/{person.public_id}/history/").content.decode()
    client.logout()
    response = client.get(f"/people/{person.public_id}/history/")
    assert response.status_code == 200
    assert leaks(response.content) == []
    assert "91234568" not in re.sub(r"[^0-9]", "", response.content.decode())


def test_visitors_cannot_reach_the_edit_form_that_holds_them(client, person):
    response = client.get(f"/people/{person.public_id}/edit/")
    assert response.status_code == 302 and leaks(response.content) == []


def test_signed_in_users_see_private_contact_details(client, person):
    client.force_login(get_user_model().objects.create_user("reader"))
    page = client.get(person.get_absolute_url()).content.decode()
    assert EMAIL in page and PHONE in page
    assert f'href="mailto:{EMAIL}"' in page
    assert leaks(page.encode()) != []  # the check above would have caught a leak


def test_visitors_see_contact_details_the_person_made_public(client, person):
    Person.objects.filter(pk=person.pk).update(contact_public=True)
    page = client.get(person.get_absolute_url()).content.decode()
    assert EMAIL in page and PHONE in page


def test_the_list_never_shows_contact_details(client, person):
    Person.objects.filter(pk=person.pk).update(contact_public=True)
    assert leaks(client.get("/people/").content) == []
