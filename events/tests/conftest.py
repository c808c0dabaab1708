"""Event test helpers; the cast of users lives in the root conftest.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event


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
