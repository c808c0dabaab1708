"""Adding and editing people with their affiliations, in one form and one transaction."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Partnership

from .matrix import FORMSET, add_data, edit_data, make

pytestmark = pytest.mark.django_db

ADD = "/people/add/"


@pytest.fixture
def gjovik():
    return Organisation.objects.get(municipality_number="3407")


@pytest.fixture
def ntnu():
    return Organisation.objects.get(short_name="NTNU")


@pytest.fixture
def bergen():
    return Organisation.objects.get(municipality_number="4601")


@pytest.fixture
def coordinator():
    user = get_user_model().objects.create_user("coordinator")
    Assignment.objects.create(
        user=user,
        role=Role.COORDINATOR,
        partnership=Partnership.objects.get(slug="universitetskommune-gjovik"),
    )
    return user


@pytest.fixture
def admin():
    user = get_user_model().objects.create_user("national-admin")
    Assignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    return client


def with_row(data: dict, i: int, organisation, **values) -> dict:
    """``data`` with one more affiliation row."""
    data = dict(data)
    row = {"organisation": organisation.pk, "title": "", "unit": "", "valid_from": ""}
    row.update(valid_to="", **values)
    for name, value in row.items():
        data[f"{FORMSET}-{i}-{name}"] = value
    data[f"{FORMSET}-TOTAL_FORMS"] = str(i + 1)
    return data


def errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    rows = [f.errors for f in form.affiliations.forms]
    return {"form": form.errors, "rows": rows, "set": form.affiliations.non_form_errors()}


def test_the_add_form_has_an_empty_affiliation_row(signed_in):
    response = signed_in.get(ADD)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="{FORMSET}-TOTAL_FORMS"' in html and f'name="{FORMSET}-0-organisation"' in html
    assert 'for="id_affiliations-0-valid_to"' in html


def test_a_coordinator_adds_a_person_with_a_dual_post(signed_in, coordinator, gjovik, ntnu):
    data = with_row(add_data(None, gjovik), 1, ntnu, title="Professor II")
    response = signed_in.post(ADD, data)
    assert response.status_code == 302
    person = Person.objects.get(name="Ola Ny")
    assert response["Location"] == person.get_absolute_url()
    assert set(person.affiliations.values_list("organisation", flat=True)) == {gjovik.pk, ntnu.pk}
    assert person.history.get().history_user == coordinator
    assert person.orcid == "0000-0002-1825-0097"


def test_person_and_affiliations_are_saved_in_one_transaction(signed_in, gjovik, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Affiliation, "save", fail)
    with pytest.raises(RuntimeError):
        signed_in.post(ADD, add_data(None, gjovik))
    assert not Person.all_objects.filter(name="Ola Ny").exists()


def test_dates_out_of_order_are_explained_beside_the_field(signed_in, gjovik):
    data = add_data(None, gjovik)
    data.update({f"{FORMSET}-0-valid_from": "2024-05-01", f"{FORMSET}-0-valid_to": "2020-01-01"})
    found = errors(signed_in.post(ADD, data))
    assert found["rows"][0]["valid_to"] == ["An affiliation cannot end before it starts."]
    assert found["form"]["__all__"] == ["Please correct the affiliations marked below."]
    assert not Person.all_objects.filter(name="Ola Ny").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orcid", "0000-0002-1825-0098", "wrong check digit"),
        ("orcid", "1234", "four groups of four digits"),
        ("email", "not-an-email", "valid email"),
        ("phone", "call me maybe", "digits only"),
        ("name", "", "required"),
        ("name", "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_person_fields_are_refused_beside_the_field(signed_in, gjovik, field, value, message):
    data = add_data(None, gjovik)
    data[field] = value
    found = errors(signed_in.post(ADD, data))
    assert message in " ".join(found["form"][field])
    assert not Person.all_objects.filter(affiliations__title="Forsker").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation", "not-a-number"),
        ("organisation", "999999999"),
        ("valid_from", "the day before yesterday"),
        ("valid_from", "0001-01-01"),
        ("valid_to", "2024-13-45"),
        ("title", "y" * 201),
    ],
)
def test_wrong_types_in_affiliations_are_refused_not_a_server_error(
    signed_in, gjovik, field, value
):
    data = add_data(None, gjovik)
    data[f"{FORMSET}-0-{field}"] = value
    found = errors(signed_in.post(ADD, data))
    assert found["rows"][0][field]


def test_a_broken_management_form_is_refused_not_a_server_error(signed_in, gjovik):
    data = add_data(None, gjovik)
    data[f"{FORMSET}-TOTAL_FORMS"] = "lots"
    response = signed_in.post(ADD, data)
    assert response.status_code == 200
    assert not Person.all_objects.filter(name="Ola Ny").exists()


def test_a_person_needs_at_least_one_affiliation_unless_an_administrator_adds_them(
    client, coordinator, admin, gjovik
):
    data = add_data(None, gjovik)
    data.update({f"{FORMSET}-0-organisation": "", f"{FORMSET}-0-title": ""})
    data[f"{FORMSET}-0-valid_from"] = ""
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    found = errors(client.post(ADD, data))
    assert "at least one affiliation" in " ".join(found["set"])
    client.force_login(admin)
    assert client.post(ADD, data).status_code == 302
    assert Person.objects.get(name="Ola Ny").affiliations.count() == 0


def test_an_orcid_another_person_has_is_refused(signed_in, gjovik):
    other = make(None, gjovik)
    Person.objects.filter(pk=other.pk).update(orcid="0000-0002-1825-0097")
    found = errors(signed_in.post(ADD, add_data(None, gjovik)))
    assert found["form"]["orcid"] == ["Another person already has this ORCID iD."]


def test_an_orcid_of_a_person_in_the_trash_points_to_the_trash(signed_in, gjovik):
    other = make(None, gjovik)
    Person.objects.filter(pk=other.pk).update(orcid="0000-0002-1825-0097")
    other.refresh_from_db()
    other.move_to_trash(None)
    found = errors(signed_in.post(ADD, add_data(None, gjovik)))
    assert "in the trash" in found["form"]["orcid"][0]


def test_an_orcid_link_is_stored_as_the_bare_id(signed_in, gjovik):
    data = add_data(None, gjovik)
    data["orcid"] = "https://orcid.org/0000-0002-1694-233x"
    assert signed_in.post(ADD, data).status_code == 302
    assert Person.objects.get(name="Ola Ny").orcid == "0000-0002-1694-233X"


def test_markup_is_stored_as_text_and_shown_escaped(signed_in, gjovik):
    data = add_data(None, gjovik)
    data["name"] = '<script>alert("x")</script>'
    data[f"{FORMSET}-0-title"] = "<img src=x onerror=alert(1)>"
    assert signed_in.post(ADD, data).status_code == 302
    person = Person.objects.get(name='<script>alert("x")</script>')
    html = signed_in.get(person.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_an_edit_changes_a_post_ends_another_and_adds_a_third(signed_in, gjovik, ntnu, bergen):
    person = make(None, gjovik)
    Affiliation.objects.create(person=person, organisation=ntnu, title="Stipendiat")
    data = edit_data(person)
    data[f"{FORMSET}-0-title"] = "Seniorrådgiver"
    data[f"{FORMSET}-1-valid_from"] = "2019-08-01"
    data[f"{FORMSET}-1-valid_to"] = "2023-06-30"
    data = with_row(data, 2, bergen, title="Prosjektleder", valid_from="2023-07-01")
    response = signed_in.post(f"/people/{person.public_id}/edit/", data)
    assert response.status_code == 302
    rows = {a.organisation_id: a for a in person.affiliations.all()}
    assert rows[gjovik.pk].title == "Seniorrådgiver"
    assert str(rows[ntnu.pk].valid_to) == "2023-06-30"
    assert rows[bergen.pk].title == "Prosjektleder"
    page = signed_in.get(person.get_absolute_url())
    assert [a.title for a in page.context["former"]] == ["Stipendiat"]


def test_an_edit_removes_a_post(signed_in, gjovik, ntnu):
    person = make(None, gjovik)
    Affiliation.objects.create(person=person, organisation=ntnu, title="Stipendiat")
    data = edit_data(person)
    data[f"{FORMSET}-1-DELETE"] = "on"
    assert signed_in.post(f"/people/{person.public_id}/edit/", data).status_code == 302
    assert list(person.affiliations.values_list("organisation", flat=True)) == [gjovik.pk]


def test_a_coordinator_cannot_move_a_person_out_of_the_partnership(signed_in, gjovik, bergen):
    person = make(None, gjovik)
    data = edit_data(person)
    data[f"{FORMSET}-0-organisation"] = bergen.pk
    response = signed_in.post(f"/people/{person.public_id}/edit/", data)
    assert response.status_code == 403
    assert list(person.affiliations.values_list("organisation", flat=True)) == [gjovik.pk]
    person.refresh_from_db()
    assert person.version == 1 and person.name == "Kari Matrise"


def test_a_coordinator_cannot_add_a_person_of_another_partnership(signed_in, bergen):
    response = signed_in.post(ADD, add_data(None, bergen))
    assert response.status_code == 403
    assert not Person.all_objects.filter(name="Ola Ny").exists()


def test_the_edit_links_show_only_to_those_who_may_edit(client, coordinator, gjovik, bergen):
    own, other = make(None, gjovik), make(None, bergen)
    edit = f"/people/{own.public_id}/edit/"
    assert edit not in client.get(own.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert edit in client.get(own.get_absolute_url()).content.decode()
    other_edit = f"/people/{other.public_id}/edit/"
    assert other_edit not in client.get(other.get_absolute_url()).content.decode()
    assert "/people/add/" in client.get("/people/").content.decode()
