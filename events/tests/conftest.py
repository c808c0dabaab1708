"""A fixed cast for the event tests: a coordinator, an organisation editor, a reader."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Assignment, Role
from events.models import Event
from organisations.models import Organisation
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
def make_event(partnership, drammen):
    def make(**values) -> Event:
        start = timezone.now() + timedelta(days=values.pop("in_days", 10))
        themes = values.pop("themes", [])
        defaults = {
            "title": "Dialogmøte om helse",
            "kind": "dialogue_meeting",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "location": "Rådhuset, Drammen",
            "organiser": drammen,
            "partnership": partnership,
            "description": "Vi møtes for å snakke om forskningsbehov.",
        }
        event = Event.objects.create(**{**defaults, **values})
        event.themes.set(themes)
        return event

    return make
