"""One rule, one message: the same bad record is refused by the record's form, by the
API (which writes through the form, api.writes) and by the importer (real CSV bytes
through the import service), with the same words beside the same field.

Each rule is stated once: the year range in ``core.dates.Years`` (``DATE_YEARS`` on
the models), the rules over several fields in ``activities.rules``, ``events.rules``
and ``needs.rules`` (core.rules), an external id's reading in
``activities.rules.external_id`` and its check in the model field's validators.
Before, the importer had rules of its own: an event dated 1975 imported while the
form and the API refused it, and an event ending before it started or an activity
tied to no one was refused in other words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.validators import URLValidator
from django.db import models
from django.forms.models import model_to_dict

from activities import rules as activity_rules
from activities.forms import ActivityForm
from activities.models import Activity
from activities.tests.helpers import rows
from api.tests.conftest import as_token
from core.dates import local_today
from events import rules as event_rules
from events.forms import EventForm
from events.models import Event
from imports.tests.conftest import csv_bytes
from needs import rules as need_rules
from needs.choices import NeedStatus
from needs.forms import NeedForm
from needs.models import Need
from organisations.models import Organisation
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

PAST = (local_today() - datetime.timedelta(days=30)).isoformat()


def drammen() -> Organisation:
    return Organisation.objects.get(slug="drammen")


def usn_drammen() -> Partnership:
    return Partnership.objects.get(slug="usn-drammen")


def activity(**values) -> dict:
    return {
        "title": "Samskaping i hjemmetjenesten",
        "activity_type": "research_project",
        "thesis_level": "",
        "status": "ongoing",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "partnerships": [usn_drammen()],
        "professional_owner": None,
        "professional_owner_level": "",
        "cristin_project_id": "",
        **values,
    }


def event(**values) -> dict:
    return {
        "title": "Seminar om samskaping",
        "kind": "seminar",
        "starts_at": "2026-05-01T10:00",
        "ends_at": "2026-05-01T12:00",
        "location": "Drammen bibliotek",
        "online_url": "",
        "organiser": drammen(),
        **values,
    }


def need(**values) -> dict:
    return {
        "title": "Et behov",
        "description": "Beskrevet.",
        "organisation": drammen(),
        "suited_for": ["thesis"],
        "status": "open",
        "deadline": None,
        **values,
    }


@dataclass
class Case:
    """A bad record (values by field name, references as records), the field the
    message belongs to and the message the rule gives. ``stored`` makes the record
    an update of a stored need with these values (a workflow rule)."""

    kind: str
    values: Any  # a function: the record, built once the database is there
    field: str
    message: Any  # a function: the rule's message
    stored: dict = field(default_factory=dict)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


CASES = {
    "activity year": Case(
        "activities",
        lambda: activity(start_date="1900-01-01"),
        "start_date",
        lambda: Activity.DATE_YEARS.problem(day("1900-01-01")),
    ),
    "activity dates in order": Case(
        "activities",
        lambda: activity(start_date="2025-05-01", end_date="2025-04-30"),
        "end_date",
        lambda: activity_rules.dates_in_order(day("2025-05-01"), day("2025-04-30")),
    ),
    "thesis without a level": Case(
        "activities",
        lambda: activity(activity_type="student_thesis"),
        "thesis_level",
        lambda: activity_rules.thesis_level("student_thesis", ""),
    ),
    "level without a thesis": Case(
        "activities",
        lambda: activity(thesis_level="master"),
        "thesis_level",
        lambda: activity_rules.thesis_level("research_project", "master"),
    ),
    "owner level without an owner": Case(
        "activities",
        lambda: activity(professional_owner_level="faculty"),
        "professional_owner",
        lambda: activity_rules.owner_for_level(None, "faculty"),
    ),
    "activity tied to no one": Case(
        "activities",
        lambda: activity(partnerships=[]),
        "partnerships",
        lambda: activity_rules.scope(set(), set()),
    ),
    "cristin id not digits": Case(
        "activities",
        lambda: activity(cristin_project_id="abc123"),
        "cristin_project_id",
        lambda: str(Activity._meta.get_field("cristin_project_id").validators[0].message),
    ),
    "event year": Case(
        "events",
        lambda: event(starts_at="1975-05-01T10:00", ends_at="1975-05-01T12:00"),
        "starts_at",
        lambda: Event.DATE_YEARS.problem(day("1975-05-01")),
    ),
    "event dates in order": Case(
        "events",
        lambda: event(ends_at="2026-05-01T09:00"),
        "ends_at",
        lambda: event_rules.dates_in_order(2, 1),
    ),
    "event without place or link": Case(
        "events",
        lambda: event(location=""),
        "location",
        lambda: event_rules.place_or_link("", ""),
    ),
    "event link not a web address": Case(
        "events",
        lambda: event(online_url="ftp://example.org/seminar"),
        "online_url",
        lambda: str(URLValidator.message),
    ),
    "need suited for nothing": Case(
        "needs",
        lambda: need(suited_for=[]),
        "suited_for",
        lambda: str(need_rules.SUITED_FOR_NOTHING),
    ),
    "need year": Case(
        "needs",
        lambda: need(deadline="1900-06-01"),
        "deadline",
        lambda: Need.DATE_YEARS.problem(day("1900-06-01")),
    ),
    "new need with a passed deadline": Case(
        "needs",
        lambda: need(deadline=PAST),
        "deadline",
        lambda: need_rules.problems({"status": "open", "deadline": day(PAST)})[0][1],
    ),
    "need status it may not move to": Case(
        "needs",
        lambda: need(status="open"),
        "status",
        lambda: need_rules.problems({"status": "open"}, {"status": "matched"})[0][1],
        stored={"status": NeedStatus.MATCHED},
    ),
    "closed need reopened with a passed deadline": Case(
        "needs",
        lambda: need(status="open", deadline=PAST),
        "deadline",
        lambda: need_rules.problems(
            {"status": "open", "deadline": day(PAST)}, {"status": "closed", "deadline": day(PAST)}
        )[0][1],
        stored={"status": NeedStatus.CLOSED, "deadline": day(PAST)},
    ),
}

FORMS = {"activities": ActivityForm, "events": EventForm, "needs": NeedForm}
API = {"activities": "/api/activities/", "events": "/api/events/", "needs": "/api/needs/"}


def as_form(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list):
        return [as_form(v) for v in value]
    return "" if value is None else value


def as_api(value):
    if isinstance(value, models.Model):
        return value.slug
    if isinstance(value, list):
        return [as_api(v) for v in value]
    return value


def as_cell(value) -> str:
    if isinstance(value, list):
        return "; ".join(as_cell(v) for v in value)
    return as_api(value) or ""


def stored_need(values: dict) -> Need:
    return Need.objects.create(
        title="Et lagret behov",
        description="Beskrevet.",
        organisation=drammen(),
        suited_for=["thesis"],
        **values,
    )


def form_messages(case: Case, values: dict, user, instance) -> list[str]:
    form_class = FORMS[case.kind]
    data = {}
    if instance is not None:
        data = {k: as_form(v) for k, v in model_to_dict(instance, form_class._meta.fields).items()}
    data.update({k: as_form(v) for k, v in values.items()})
    if case.kind == "activities":
        data.update(rows("organisations", [], "organisation"), **rows("people", [], "person"))
    form = form_class(
        {k: v for k, v in data.items() if v is not None}, instance=instance, user=user
    )
    assert not form.is_valid()
    return [str(m) for m in form.errors.get(case.field, [])]


def api_messages(case: Case, values: dict, user, instance) -> list[str]:
    body = {k: as_api(v) for k, v in values.items()}
    api = as_token(user)
    if instance is None:
        response = api.post(API[case.kind], body, format="json")
    else:
        url = f"{API[case.kind]}{instance.public_id}/"
        response = api.patch(url, {**body, "version": instance.version}, format="json")
    assert response.status_code == 400, response.json()
    return response.json()["errors"].get(case.field, [])


def import_messages(case: Case, values: dict, user, instance, run_check) -> list[str]:
    row = {k: as_cell(v) for k, v in values.items()}
    if instance is not None:
        row = {"id": str(instance.public_id), **row}
    report = run_check(csv_bytes([row]), user, kind=case.kind, filename=f"{case.kind}.csv")
    assert report.problems
    return [p.message for p in report.problems if p.column == case.field]


@pytest.mark.parametrize("name", list(CASES))
def test_the_form_the_api_and_the_importer_refuse_alike(name, admin, run_check):
    case = CASES[name]
    expected = case.message()
    assert expected
    values = case.values()
    instance = stored_need(case.stored) if case.stored else None

    by_form = form_messages(case, values, admin, instance)
    by_api = api_messages(case, values, admin, instance)
    by_import = import_messages(case, values, admin, instance, run_check)

    assert by_form == [expected], by_form
    assert by_api == [expected], by_api
    assert by_import == [expected], by_import


@pytest.mark.parametrize(
    "written",
    ["https://app.cristin.no/projects/show.jsf?id=2571234", "2571 234"],
    ids=["pasted address", "with a space"],
)
def test_an_external_id_is_read_alike(written, admin, run_check):
    """The form, the API and the importer take a project's pasted address, or an id
    with spaces, as the id (the API refused both before)."""
    values = activity(cristin_project_id=written)
    form_class = FORMS["activities"]
    data = {k: as_form(v) for k, v in values.items()}
    data.update(rows("organisations", [], "organisation"), **rows("people", [], "person"))
    form = form_class(data, user=admin)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cristin_project_id"] == "2571234"

    report = run_check(csv_bytes([{k: as_cell(v) for k, v in values.items()}]), admin)
    assert not report.problems, report.problems
    assert report.created == 1

    response = as_token(admin).post(
        API["activities"], {k: as_api(v) for k, v in values.items()}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["cristin_project_id"] == "2571234"


def test_a_rule_is_not_asked_about_a_value_that_could_not_be_read(admin, run_check):
    """A student thesis whose level cannot be read has one message, about the level
    given, not also one asking for a level (form and importer alike)."""
    values = activity(activity_type="student_thesis", thesis_level="doctor")
    case = Case("activities", lambda: values, "thesis_level", lambda: "")
    by_form = form_messages(case, values, admin, None)
    by_import = import_messages(case, values, admin, None, run_check)
    assert len(by_form) == 1 and "doctor" in by_form[0]
    assert len(by_import) == 1 and "doctor" in by_import[0]
