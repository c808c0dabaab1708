"""The cast of the privacy tests: Kari, who has an account and a person record
with roles, posts and history, and Ola, another signed-in user."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from activities.models import Activity, ActivityPerson
from needs.models import Need
from organisations.models import Affiliation, Person

#: Kari's real data; erasure must leave none of it anywhere in the database.
NAME = "Kari Quuxnordmann"
FIRST, LAST = "Kari", "Quuxnordmann"
EMAIL = "kari.quux@example.no"
PERSON_EMAIL = "kari.quux@drammen.kommune.no"
PHONE = "+47 912 34 567"
ORCID = "0000-0003-1415-9265"
USERNAME = "kquux"
PASSWORD = "a-long-pass-phrase-for-kari"


@pytest.fixture
def kari(drammen):
    user = get_user_model().objects.create_user(
        USERNAME, EMAIL, PASSWORD, first_name=FIRST, last_name=LAST
    )
    return user


@pytest.fixture
def kari_person(kari, drammen, partnership):
    person = Person.objects.create(
        name=NAME, email=PERSON_EMAIL, phone=PHONE, orcid=ORCID, user=kari
    )
    Affiliation.objects.create(person=person, organisation=drammen, title="Rådgiver")
    activity = Activity.objects.create(
        title="Samskaping i hjemmetjenesten", activity_type="research_project", status="ongoing"
    )
    ActivityPerson.objects.create(activity=activity, person=person, role="project_leader")
    Need.objects.create(
        title="Hvordan beholde sykepleiere?",
        description="Kunnskap om hva som får sykepleiere til å bli.",
        organisation=drammen,
        partnership=partnership,
        suited_for=["thesis"],
        contact=person,
    )
    return person


@pytest.fixture
def ola():
    return get_user_model().objects.create_user(
        "ola", "ola.hemmelig@example.no", "another-long-pass-phrase", first_name="Ola"
    )
