"""A fixed cast for the need tests: a coordinator, an organisation editor, a reader."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from needs.models import Need
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Partnership, Theme


@pytest.fixture
def partnership():
    return Partnership.objects.get(slug="usn-drammen")


@pytest.fixture
def other_partnership():
    return Partnership.objects.get(slug="usn-skien")


@pytest.fixture
def drammen():
    return Organisation.objects.get(slug="drammen")


@pytest.fixture
def skien():
    return Organisation.objects.get(slug="skien")


@pytest.fixture
def theme():
    return Theme.objects.get(slug="helse-og-omsorg")


@pytest.fixture
def coordinator(partnership):
    user = get_user_model().objects.create_user("coordinator")
    Assignment.objects.create(user=user, role=Role.COORDINATOR, partnership=partnership)
    return user


@pytest.fixture
def editor(drammen):
    user = get_user_model().objects.create_user("editor")
    Assignment.objects.create(user=user, role=Role.ORGANISATION_EDITOR, organisation=drammen)
    return user


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader")


@pytest.fixture
def contact(drammen):
    """A contact person in Drammen whose email and phone are private."""
    person = Person.objects.create(
        name="Kari Kontakt", email="kari.kontakt@drammen.kommune.no", phone="+47 900 00 001"
    )
    Affiliation.objects.create(person=person, organisation=drammen, title="Rådgiver")
    return person


@pytest.fixture
def make_need(partnership, drammen):
    def make(**values) -> Need:
        defaults = {
            "title": "Hvordan beholde sykepleiere i hjemmetjenesten?",
            "description": "Vi trenger kunnskap om hva som får sykepleiere til å bli.",
            "organisation": drammen,
            "partnership": partnership,
            "suited_for": ["thesis", "project"],
        }
        return Need.objects.create(**{**defaults, **values})

    return make
