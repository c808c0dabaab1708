"""One rule, one message: the same out-of-range date is refused by the record's form,
by the API (which writes through the form) and by the importer, with the same words.
Before, the importer had its own year range: an event dated 1975 imported while the
form and the API refused it."""

from __future__ import annotations

import datetime

import pytest

from api.tests.conftest import as_token
from core.dates import Years
from events.models import Event
from imports.tests.conftest import csv_bytes
from needs.models import Need

pytestmark = pytest.mark.django_db

CASES = {
    # kind: (model's years, API address, API body, date field, import row)
    "events": (
        Event.DATE_YEARS,
        "/api/events/",
        {
            "title": "Gammelt seminar",
            "kind": "seminar",
            "starts_at": "1975-05-01T10:00:00+01:00",
            "ends_at": "1975-05-01T12:00:00+01:00",
            "organiser": "drammen",
        },
        "starts_at",
        {
            "title": "Gammelt seminar",
            "kind": "seminar",
            "starts_at": "1975-05-01 10:00",
            "ends_at": "1975-05-01 12:00",
            "organiser": "drammen",
        },
    ),
    "needs": (
        Need.DATE_YEARS,
        "/api/needs/",
        {
            "title": "Et behov",
            "description": "Beskrevet.",
            "organisation": "drammen",
            "suited_for": ["thesis"],
            "deadline": "1900-06-01",
        },
        "deadline",
        {
            "title": "Et behov",
            "description": "Beskrevet.",
            "organisation": "drammen",
            "suited_for": "thesis",
            "deadline": "1900-06-01",
        },
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_the_form_the_api_and_the_importer_refuse_alike(kind, admin, run_check, drammen):
    years, url, body, field, row = CASES[kind]
    assert isinstance(years, Years)
    expected = years.problem(datetime.date(years.first - 1, 1, 1))
    assert expected

    api = as_token(admin).post(url, body, format="json")
    assert api.status_code == 400
    assert api.json()["errors"][field] == [expected]

    report = run_check(csv_bytes([row]), admin, kind=kind, filename=f"{kind}.csv")
    messages = [p.message for p in report.problems if p.column == field]
    assert messages and all(expected in m for m in messages), report.problems
