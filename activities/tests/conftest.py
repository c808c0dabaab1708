"""A fixed cast for the activity tests: a coordinator, an organisation editor, a reader."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from activities.models import Activity, ActivityOrganisation, ActivityPerson
from organisations.models import Organisation, Person
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
def usn():
    return Organisation.objects.get(slug="usn")


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
