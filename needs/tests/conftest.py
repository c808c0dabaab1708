"""Need test helpers; the cast of users lives in the root conftest.py."""

from __future__ import annotations

import pytest

from needs.models import Need
from organisations.models import Affiliation, Person


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
