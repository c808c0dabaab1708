"""A user corrects their own account and person record: validated, kept in the
history, and refused when someone saved the record meanwhile."""

from __future__ import annotations

import pytest

from organisations.models import Person

from .conftest import NAME, PERSON_EMAIL

pytestmark = pytest.mark.django_db


def post_person(client, person, **values):
    data = {
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "is_public": "on",
        "version": person.version,
        **values,
    }
    return client.post(
        "/accounts/me/data/person/", {k: v for k, v in data.items() if v is not None}
    )


def test_the_user_corrects_their_account(client, kari):
    client.force_login(kari)
    response = client.post(
        "/accounts/me/data/account/",
        {"first_name": "Kari", "last_name": "Nordmann", "email": "kari@ny.example.no"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/me/data/"
    kari.refresh_from_db()
    assert (kari.get_full_name(), kari.email, kari.username) == (
        "Kari Nordmann",
        "kari@ny.example.no",
        "kquux",
    )


def test_a_bad_email_address_is_refused_and_nothing_changes(client, kari):
    client.force_login(kari)
    response = client.post(
        "/accounts/me/data/account/",
        {"first_name": "Kari", "last_name": "X", "email": "ikke en adresse"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_email_error"' in page
    assert "<dd>kari.quux@example.no</dd>" in page  # the stored address, not the typed one
    kari.refresh_from_db()
    assert kari.last_name == "Quuxnordmann"


def test_the_user_corrects_their_person_record_and_the_history_keeps_it(client, kari, kari_person):
    client.force_login(kari)
    response = post_person(client, kari_person, phone="+47 400 00 000", contact_public="on")
    assert response.status_code == 302
    person = Person.objects.get(pk=kari_person.pk)
    assert person.phone == "+47 400 00 000" and person.contact_public and person.version == 2
    newest = person.history.order_by("-history_date").first()
    assert newest.history_user == kari and newest.history_change_reason == "corrected by the person"
    # Unticking "visible to everyone" hides the person from visitors.
    post_person(client, person, is_public=None)
    assert not Person.objects.get(pk=person.pk).is_public


def test_an_empty_name_is_refused(client, kari, kari_person):
    client.force_login(kari)
    response = post_person(client, kari_person, name="")
    assert response.status_code == 400
    assert Person.objects.get(pk=kari_person.pk).name == NAME


def test_a_correction_based_on_an_older_version_is_refused_with_the_typed_values_kept(
    client, kari, kari_person
):
    client.force_login(kari)
    Person.objects.filter(pk=kari_person.pk).update(version=2, email="ny@drammen.kommune.no")
    response = post_person(client, kari_person, email="min@example.no", version=1)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="min@example.no"' in page
    assert Person.objects.get(pk=kari_person.pk).email == "ny@drammen.kommune.no"


def test_a_user_without_a_person_record_is_told_so(client, ola):
    client.force_login(ola)
    response = client.post("/accounts/me/data/person/", {"name": "X", "version": "1"}, follow=True)
    assert response.status_code == 200
    assert PERSON_EMAIL not in response.content.decode()
    assert 'action="/accounts/me/data/person/"' not in response.content.decode()
