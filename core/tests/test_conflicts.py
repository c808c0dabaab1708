"""Two people editing the same record cannot overwrite each other.

Both load a person's edit form; the first saves; the second is refused with
HTTP 409 and the conflict message, the form still holds what they typed, and
nothing of theirs is saved.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.forms import CheckboxInput
from django.test import Client

from accounts.models import Assignment, Role
from core.views import CONFLICT_MESSAGE
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def form_values(response) -> dict:
    """What a browser posts back from an edit page: the form and its formsets, as shown."""
    data = {}
    forms = [response.context["form"]]
    for formset in response.context.get("formsets", []):
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = str(value)
    return data


@pytest.fixture
def person():
    person = Person.objects.create(name="Kari Konflikt")
    Affiliation.objects.create(
        person=person,
        organisation=Organisation.objects.get(municipality_number="3407"),
        title="Rådgiver",
    )
    return person


@pytest.fixture
def editors():
    """Two coordinators of the same partnership."""
    partnership = Partnership.objects.get(slug="universitetskommune-gjovik")
    users = []
    for name in ("first-editor", "second-editor"):
        user = get_user_model().objects.create_user(name)
        Assignment.objects.create(user=user, role=Role.COORDINATOR, partnership=partnership)
        users.append(user)
    return users


@pytest.fixture
def browsers(editors):
    """Two browsers, each signed in as one of the editors, asking for English pages."""
    clients = []
    for user in editors:
        c = Client()
        c.force_login(user)
        c.cookies["django_language"] = "en"
        clients.append(c)
    return clients


def test_the_second_save_of_the_same_version_is_refused_and_keeps_the_typing(browsers, person):
    first, second = browsers
    url = f"/people/{person.public_id}/edit/"
    first_data = form_values(first.get(url))
    second_data = form_values(second.get(url))

    first_data["name"] = "Kari Først"
    first_data["affiliations-0-title"] = "Seniorrådgiver"
    assert first.post(url, first_data).status_code == 302

    ntnu = Organisation.objects.get(short_name="NTNU")
    second_data["name"] = "Kari Andre"
    second_data["phone"] = "+47 400 00 000"
    second_data["affiliations-0-title"] = "Spesialrådgiver"
    second_data["affiliations-1-organisation"] = str(ntnu.pk)
    second_data["affiliations-1-title"] = "Professor II"
    response = second.post(url, second_data)

    assert response.status_code == 409
    html = response.content.decode()
    assert str(CONFLICT_MESSAGE) in response.context["form"].non_field_errors()
    assert "Someone else saved this record while you were editing it." in html
    for typed in ('value="Kari Andre"', 'value="+47 400 00 000"', 'value="Spesialrådgiver"'):
        assert typed in html, typed
    assert 'value="Professor II"' in html

    person.refresh_from_db()
    assert (person.name, person.phone, person.version) == ("Kari Først", "", 2)
    assert list(person.affiliations.values_list("title", flat=True)) == ["Seniorrådgiver"]
    assert person.history.count() == 2  # created, and the first editor's save


def test_after_reloading_the_second_editor_saves_over_the_new_version(browsers, person):
    first, second = browsers
    url = f"/people/{person.public_id}/edit/"
    stale = form_values(second.get(url))
    data = form_values(first.get(url))
    data["name"] = "Kari Først"
    assert first.post(url, data).status_code == 302
    stale["name"] = "Kari Andre"
    assert second.post(url, stale).status_code == 409
    fresh = form_values(second.get(url))
    assert fresh["name"] == "Kari Først" and fresh["version"] == "2"
    fresh["name"] = "Kari Andre"
    assert second.post(url, fresh).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.version) == ("Kari Andre", 3)


def test_a_stale_form_whose_row_was_removed_meanwhile_is_a_conflict_too(browsers, person):
    first, second = browsers
    url = f"/people/{person.public_id}/edit/"
    ntnu = Organisation.objects.get(short_name="NTNU")
    Affiliation.objects.create(person=person, organisation=ntnu, title="Stipendiat")
    first_data, second_data = form_values(first.get(url)), form_values(second.get(url))

    first_data["affiliations-1-DELETE"] = "on"
    assert first.post(url, first_data).status_code == 302
    second_data["name"] = "Kari Andre"
    second_data["affiliations-1-title"] = "Postdoktor"
    response = second.post(url, second_data)

    assert response.status_code == 409
    assert str(CONFLICT_MESSAGE) in response.context["form"].non_field_errors()
    assert 'value="Kari Andre"' in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Kari Konflikt"
    assert list(person.affiliations.values_list("title", flat=True)) == ["Rådgiver"]
