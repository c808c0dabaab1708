"""Open data test helpers: records of every kind, some of them private."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Activity, ActivityOrganisation
from events.models import Event
from needs.models import Need
from organisations.models import Affiliation, Person


@pytest.fixture(autouse=True)
def produce_every_download(settings):
    """Exports are produced for every request, as for filtered lists and signed-in
    users: the tests of their content and queries measure that path. Keeping whole
    lists (opendata.kept) is tested in test_kept.py."""
    settings.UNIKOM_KEEP_DOWNLOADS = False


@pytest.fixture
def make_activity(partnership, drammen):
    def make(**values) -> Activity:
        partnerships = values.pop("partnerships", [partnership])
        themes = values.pop("themes", [])
        roles = values.pop("roles", [])
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
        return activity

    return make


@pytest.fixture
def make_need(partnership, drammen):
    def make(**values) -> Need:
        defaults = {
            "title": "Hvordan beholde sykepleiere?",
            "description": "Kunnskap om hva som får sykepleiere til å bli.",
            "organisation": drammen,
            "partnership": partnership,
            "suited_for": ["thesis", "project"],
        }
        return Need.objects.create(**{**defaults, **values})

    return make


@pytest.fixture
def make_event(partnership, drammen):
    def make(**values) -> Event:
        themes = values.pop("themes", [])
        start = timezone.now() + timedelta(days=values.pop("in_days", 10))
        defaults = {
            "title": "Dialogmøte om helse",
            "kind": "dialogue_meeting",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "location": "Papirbredden, Drammen",
            "organiser": drammen,
            "partnership": partnership,
        }
        event = Event.objects.create(**{**defaults, **values})
        event.themes.set(themes)
        return event

    return make


@pytest.fixture
def make_person(drammen):
    def make(**values) -> Person:
        defaults = {"name": "Kari Nordmann", "email": "kari@example.org", "phone": "+47 400"}
        person = Person.objects.create(**{**defaults, **values})
        Affiliation.objects.create(person=person, organisation=drammen, title="Rådgiver")
        return person

    return make


@pytest.fixture
def full_activity(make_activity, usn, skien, theme):
    """An activity with every column filled."""
    return make_activity(
        title="Velferdsteknologi i Drammen",
        activity_type="student_thesis",
        thesis_level="master",
        status="completed",
        start_date=date(2023, 1, 15),
        end_date=date(2024, 6, 30),
        summary="Om sensorer.\nTo linjer; med semikolon.",
        funding_source="Forskningsrådet",
        funding_amount=Decimal("2500000"),
        cristin_project_id="2571234",
        nfr_project_number="321045",
        professional_owner_level="service_level",
        strategic_owner=usn,
        strategic_owner_level="rectorate",
        themes=[theme],
        roles=[(usn, "partner"), (skien, "funder")],
    )


def body(response) -> bytes:
    """The whole body of a response, streamed (exports, the archive) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def read_csv(response) -> list[dict[str, str]]:
    text = body(response).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def read_json(response) -> dict:
    return json.loads(body(response).decode("utf-8"))
