"""What unikom exports, unikom imports back to the same data (GET /export/<kind>.csv|xlsx)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Activity, ActivityOrganisation
from events.models import Event
from needs.models import Need

pytestmark = pytest.mark.django_db


def export(client, kind: str, fmt: str) -> bytes:
    response = client.get(f"/export/{kind}.{fmt}", {"when": "all"} if kind == "events" else {})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def activity_state(a: Activity) -> dict:
    a = Activity.all_objects.get(public_id=a.public_id)
    fields = {
        f.attname: getattr(a, f.attname)
        for f in Activity._meta.concrete_fields
        if f.attname not in {"id", "version", "created", "updated", "deleted_at", "deleted_by_id"}
    }
    return {
        **fields,
        "partnerships": set(a.partnerships.values_list("slug", flat=True)),
        "themes": set(a.themes.values_list("slug", flat=True)),
        "roles": set(a.organisation_roles.values_list("organisation__slug", "role")),
    }


@pytest.fixture
def portfolio(partnership, other_partnership, theme, drammen, usn, skien):
    full = Activity.objects.create(
        title="=Samskaping, «i» hjemmetjenesten; del 2",
        summary='Første linje\nAndre linje med æøå og "sitat"',
        activity_type="student_thesis",
        thesis_level="master",
        status="completed",
        start_date=datetime.date(2023, 8, 15),
        end_date=datetime.date(2024, 6, 30),
        funding_source="-Regionale forskningsfond",
        funding_amount=Decimal(2_500_000),
        cristin_project_id="2571234",
        nfr_project_number="321045",
        professional_owner=drammen,
        professional_owner_level="service_level",
        strategic_owner=usn,
        strategic_owner_level="rectorate",
        is_public=False,
    )
    full.partnerships.set([partnership, other_partnership])
    full.themes.set([theme])
    ActivityOrganisation.objects.create(activity=full, organisation=usn, role="partner")
    ActivityOrganisation.objects.create(activity=full, organisation=skien, role="funder")
    bare = Activity.objects.create(title="Et nettverk", activity_type="network")
    bare.partnerships.set([partnership])
    return [full, bare]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_activities_survive_export_modify_and_import(client, admin, run_commit, portfolio, fmt):
    client.force_login(admin)
    before = [activity_state(a) for a in portfolio]
    raw = export(client, "activities", fmt)
    filename = f"activities.{fmt}"

    history = [a.history.count() for a in portfolio]
    report, _batch = run_commit(raw, admin, filename=filename)
    assert report.written and (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert [a.history.count() for a in portfolio] == history

    full, bare = portfolio
    full.title, full.funding_amount, full.professional_owner = "Endret", None, None
    full.professional_owner_level = ""
    full.save()
    full.partnerships.clear()
    full.organisation_roles.all().delete()
    bare.delete()
    report, _batch = run_commit(raw, admin, filename=filename)
    assert report.written and (report.created, report.updated) == (1, 1), report.problems
    assert [activity_state(a) for a in portfolio] == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_needs_and_events_survive_export_modify_and_import(
    client, admin, run_commit, drammen, partnership, theme, fmt
):
    client.force_login(admin)
    need = Need.objects.create(
        title="Bedre overganger",
        description="Hva skjer når eldre kommer hjem fra sykehus?",
        organisation=drammen,
        partnership=partnership,
        service_area=theme,
        suited_for=["thesis", "project"],
        deadline=datetime.date(2030, 1, 31),
    )
    start = timezone.make_aware(datetime.datetime(2030, 3, 4, 9, 0))
    event = Event.objects.create(
        title="Dialogmøte",
        kind="dialogue_meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        location="Drammen rådhus",
        organiser=drammen,
        partnership=partnership,
    )
    event.themes.set([theme])
    for kind, record, model in (("needs", need, Need), ("events", event, Event)):
        raw = export(client, kind, fmt)
        record.title = "Endret"
        record.save()
        report, _batch = run_commit(raw, admin, kind=kind, filename=f"{kind}.{fmt}")
        assert report.written and report.updated == 1, report.problems
        again = model.objects.get(pk=record.pk)
        assert again.title != "Endret"
    need.refresh_from_db()
    assert need.suited_for == ["thesis", "project"] and need.service_area == theme
    event.refresh_from_db()
    assert event.starts_at == start and list(event.themes.all()) == [theme]
