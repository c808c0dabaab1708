"""Activity test helpers; the cast of users lives in the root conftest.py."""

from __future__ import annotations

import pytest

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from organisations.models import Person


@pytest.fixture
def person():
    return Person.objects.create(
        name="Kari Nordmann", email="kari@example.org", phone="+47 400 00 000"
    )


@pytest.fixture
def make_activity(partnership, drammen):
    """Create an activity; ``partnerships``, ``themes``, ``roles`` and ``people`` are lists."""

    def make(**values) -> Activity:
        partnerships = values.pop("partnerships", [partnership])
        themes = values.pop("themes", [])
        roles = values.pop("roles", [])
        people = values.pop("people", [])
        defaults = {
            "title": "Samskaping i hjemmetjenesten",
            "activity_type": "research_project",
            "status": "ongoing",
            "professional_owner": drammen,
        }
        activity = Activity.objects.create(**{**defaults, **values})
        activity.partnerships.set(partnerships)
        activity.themes.set(themes)
        for org, role in roles:
            ActivityOrganisation.objects.create(activity=activity, organisation=org, role=role)
        for p, role in people:
            ActivityPerson.objects.create(activity=activity, person=p, role=role)
        return activity

    return make
