"""People pages: who is listed, current and former posts, ORCID, roles, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from organisations.models import Affiliation, Organisation, Person
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def gjovik():
    return Organisation.objects.get(municipality_number="3407")


@pytest.fixture
def ntnu():
    return Organisation.objects.get(short_name="NTNU")


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader")


@pytest.fixture
def dual(gjovik, ntnu):
    """A nurse with a municipal post and a university post at the same time."""
    person = Person.objects.create(name="Randi Dobbel", orcid="0000-0002-1825-0097")
    Affiliation.objects.create(
        person=person, organisation=gjovik, title="Sykepleier", unit="Hjemmetjenesten"
    )
    Affiliation.objects.create(
        person=person,
        organisation=ntnu,
        title="Førsteamanuensis II",
        valid_from=datetime.date(2022, 1, 1),
    )
    Affiliation.objects.create(
        person=person,
        organisation=Organisation.objects.get(municipality_number="4601"),
        title="Tidligere rådgiver",
        valid_from=datetime.date(2015, 1, 1),
        valid_to=datetime.date(2019, 12, 31),
    )
    return person


def test_the_list_shows_public_people_to_visitors_and_everyone_to_signed_in_users(
    client, reader, gjovik
):
    Person.objects.create(name="Synlig Person")
    Person.objects.create(name="Skjult Person", is_public=False)
    html = client.get("/people/").content.decode()
    assert "Synlig Person" in html and "Skjult Person" not in html
    client.force_login(reader)
    html = client.get("/people/").content.decode()
    assert "Synlig Person" in html and "Skjult Person" in html


def test_a_person_hidden_from_visitors_answers_404_to_them(client, reader):
    hidden = Person.objects.create(name="Skjult Person", is_public=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/people/{hidden.public_id}/history/").status_code == 404
    client.force_login(reader)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_the_list_filters_by_name_and_organisation(client, dual, ntnu):
    Person.objects.create(name="Annen Person")
    people = client.get("/people/?q=dobbel").context["people"]
    assert [p.name for p in people] == ["Randi Dobbel"]
    people = client.get(f"/people/?organisation={ntnu.pk}").context["people"]
    assert [p.name for p in people] == ["Randi Dobbel"]
    assert client.get("/people/?organisation=nonsense&page=x").status_code == 200


def test_a_dual_post_is_shown_together_with_former_posts_apart(client, dual):
    client.cookies["django_language"] = "en"
    response = client.get(dual.get_absolute_url())
    assert response.status_code == 200
    assert response.context["dual"] is True
    current = [a.title for a in response.context["current"]]
    assert sorted(current) == ["Førsteamanuensis II", "Sykepleier"]
    assert [a.title for a in response.context["former"]] == ["Tidligere rådgiver"]
    html = response.content.decode()
    assert html.index("Sykepleier") < html.index("Former posts") < html.index("Tidligere rådgiver")


def test_one_post_only_is_not_called_dual(client, gjovik):
    person = Person.objects.create(name="Bare Kommune")
    Affiliation.objects.create(person=person, organisation=gjovik)
    assert client.get(person.get_absolute_url()).context["dual"] is False


def test_the_orcid_links_to_orcid_org(client, dual):
    html = client.get(dual.get_absolute_url()).content.decode()
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html


def test_a_trashed_or_unknown_person_answers_404(client, dual):
    assert client.get("/people/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/people/not-a-uuid/").status_code == 404
    dual.move_to_trash(None)
    assert client.get(dual.get_absolute_url()).status_code == 404


def activity_role(person):
    """An activity with ``person`` in a role, when the activities app records them."""
    from django.apps import apps

    if not apps.is_installed("activities") or not hasattr(Person, "activity_roles"):
        pytest.skip("activities do not record people in roles yet")
    from activities.choices import PersonRole
    from activities.tests.matrix import CASES
    from partnerships.models import Partnership

    activity = CASES[0].make(
        Partnership.objects.get(slug="universitetskommune-gjovik"),
        Organisation.objects.get(municipality_number="3407"),
    )
    person.activity_roles.create(activity=activity, role=PersonRole.values[0])
    return activity


def test_roles_in_activities_are_listed(client, dual):
    activity = activity_role(dual)
    html = client.get(dual.get_absolute_url()).content.decode()
    assert activity.get_absolute_url() in html


def test_roles_in_trashed_activities_are_not_listed(client, dual):
    activity = activity_role(dual)
    activity.move_to_trash(None)
    assert activity.get_absolute_url() not in client.get(dual.get_absolute_url()).content.decode()


def test_a_person_page_with_roles_keeps_a_constant_number_of_queries(client, dual):
    activity_role(dual)

    def grow():
        for _ in range(5):
            activity_role(dual)

    small, large = query_counts(client, dual.get_absolute_url(), grow=grow)
    assert small == large


def test_names_with_markup_are_escaped(client):
    person = Person.objects.create(name="<script>alert(1)</script>")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" not in client.get("/people/").content.decode()


def test_the_list_takes_the_same_number_of_queries_for_more_people(client, gjovik, ntnu):
    def grow():
        for i in range(30):
            person = Person.objects.create(name=f"Person {i}")
            Affiliation.objects.create(person=person, organisation=gjovik, title="Rådgiver")
            Affiliation.objects.create(person=person, organisation=ntnu, title="Forsker")

    Person.objects.create(name="Første")
    small, large = query_counts(client, "/people/", grow=grow)
    assert small == large


def test_a_person_page_takes_the_same_number_of_queries_for_more_posts(client, dual, gjovik):
    def grow():
        for i in range(20):
            Affiliation.objects.create(person=dual, organisation=gjovik, title=f"Post {i}")

    small, large = query_counts(client, dual.get_absolute_url(), grow=grow)
    assert small == large


def test_a_long_list_is_paged(client, gjovik):
    Person.objects.bulk_create(Person(name=f"Person {i:03}") for i in range(60))
    first = client.get("/people/")
    assert len(first.context["people"]) == 50
    assert "page=2" in first.content.decode()
    assert len(client.get("/people/?page=2").context["people"]) >= 10
