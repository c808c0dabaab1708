"""Duplicates against the database: looked up by the file's own keys, chunk by chunk,
against the database as the import found it; Activity.title_key kept on every write."""

from __future__ import annotations

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import activities.models
import imports.kinds
import imports.service
from activities.models import Activity, title_key
from events.models import Event
from imports.service import undo
from imports.tests.conftest import activity_row, csv_bytes
from needs.models import Need

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def problems(report) -> list[tuple]:
    return [(p.row, p.column) for p in report.problems]


def keys_follow_titles() -> bool:
    return all(
        key == title_key(title)
        for title, key in Activity.all_objects.values_list("title", "title_key")
    )


def test_a_title_the_file_takes_away_is_still_taken_in_preview_and_commit(
    admin, run_check, run_commit, partnership, monkeypatch
):
    """Row 2 renames an activity; row 3, checked in a later chunk (after row 2 was
    written when committing), gives a new activity the old title: the preview and the
    commit both report it, and the commit writes nothing."""
    monkeypatch.setattr(imports.service, "CHUNK", 1)
    renamed = Activity.objects.create(title="Gammel tittel", activity_type="phd")
    renamed.partnerships.add(partnership)
    raw = csv_bytes(
        [
            activity_row(id=str(renamed.public_id), title="Ny tittel", activity_type="phd"),
            activity_row(title="GAMMEL TITTEL"),
        ]
    )
    assert problems(run_check(raw, admin)) == [(3, "title")]
    report, _batch = run_commit(raw, admin)
    assert problems(report) == [(3, "title")] and not report.written
    renamed.refresh_from_db()
    assert renamed.title == "Gammel tittel"
    assert not Activity.objects.filter(title="GAMMEL TITTEL").exists()


def test_a_record_the_file_writes_is_no_duplicate_of_a_later_row(
    admin, run_commit, partnership, monkeypatch
):
    """Rows in later chunks are checked against the database as it was: the records
    written by earlier chunks are not taken for the database's."""
    monkeypatch.setattr(imports.service, "CHUNK", 1)
    raw = csv_bytes([activity_row(title="Første"), activity_row(title="Andre")])
    report, _batch = run_commit(raw, admin)
    assert report.written and report.problems == []
    assert Activity.objects.filter(title__in=["Første", "Andre"]).count() == 2


def test_equal_title_keys_are_only_candidates(admin, run_check, partnership, monkeypatch):
    """Every title hashed to one key (a collision for each): only the same folded
    title in the same partnership is a duplicate."""
    for module in (activities.models, imports.kinds):
        monkeypatch.setattr(module, "folded_title_key", lambda folded: 7)
    existing = Activity.objects.create(title="Sykehjem i Drammen", activity_type="phd")
    existing.partnerships.add(partnership)
    Activity.objects.create(title="Annet", activity_type="phd")  # in no partnership
    assert existing.title_key == 7
    raw = csv_bytes(
        [
            activity_row(title="Helt annet"),
            activity_row(title="Annet"),
            activity_row(title="sykehjem i drammen"),
            activity_row(title="Sykehjem i Drammen", partnerships="usn-skien"),
        ]
    )
    report = run_check(raw, admin)
    assert problems(report) == [(4, "title")]
    assert str(existing.public_id) in report.problems[0].message


def test_a_trashed_activity_holds_no_title_or_number(admin, run_check, partnership):
    trashed = Activity.objects.create(
        title="Kastet", activity_type="phd", cristin_project_id="55", nfr_project_number="66"
    )
    trashed.partnerships.add(partnership)
    row = activity_row(title="Kastet", cristin_project_id="55", nfr_project_number="66")
    raw = csv_bytes([row])
    assert problems(run_check(raw, admin)) == [
        (2, "cristin_project_id"),
        (2, "nfr_project_number"),
        (2, "title"),
    ]
    trashed.deleted_at = trashed.created
    trashed.save(update_fields=["deleted_at"])
    assert run_check(raw, admin).problems == []


def test_a_need_or_event_the_database_has_is_reported(admin, run_check, drammen, usn):
    Need.objects.create(title="Bedre rehabilitering", description="…", organisation=drammen)
    starts = datetime(2027, 3, 1, 9, 0, tzinfo=OSLO)
    Event.objects.create(
        title="Forskningsdag",
        kind="conference",
        starts_at=starts,
        ends_at=datetime(2027, 3, 1, 15, 0, tzinfo=OSLO),
        location="Drammen bibliotek",
        organiser=drammen,
    )
    need = {
        "id": "",
        "title": "BEDRE REHABILITERING",
        "description": "Mer.",
        "suited_for": "thesis",
    }
    report = run_check(
        csv_bytes([{**need, "organisation": "drammen"}, {**need, "organisation": "usn"}]),
        admin,
        kind="needs",
        filename="needs.csv",
    )
    assert problems(report) == [(2, "title")]
    event = {
        "id": "",
        "title": "forskningsdag",
        "kind": "conference",
        "ends_at": "2027-03-01 16:00",
        "location": "Drammen",
        "organiser": "drammen",
    }
    report = run_check(
        csv_bytes(
            [
                {**event, "starts_at": "2027-03-01 09:00"},
                {**event, "starts_at": "2027-03-01 10:00"},
            ]
        ),
        admin,
        kind="events",
        filename="events.csv",
    )
    assert problems(report) == [(2, "title")]


def test_the_title_key_follows_the_title_on_every_write(admin, run_commit, partnership):
    activity = Activity.objects.create(title="Én", activity_type="phd")
    activity.title = "To"
    activity.save()
    activity.title = "Tre"
    activity.save(update_fields=["title"])
    activity.refresh_from_db()
    assert activity.title_key == title_key("Tre") != title_key("To")
    assert Activity.objects.get(title_key=title_key("TRE")) == activity  # any case

    raw = csv_bytes(
        [activity_row(title="Fra fil"), activity_row(id=str(activity.public_id), title="Fire")]
    )
    report, batch = run_commit(raw, admin)
    assert report.written and (report.created, report.updated) == (1, 1)
    assert keys_follow_titles()
    assert undo(batch, admin) == []
    activity.refresh_from_db()
    assert activity.title == "Tre" and keys_follow_titles()


def test_the_migration_gives_every_activity_its_title_key(partnership):
    from django.apps import apps

    migration = importlib.import_module("activities.migrations.0008_title_key")
    titles = [f"Prosjekt {i}" for i in range(migration.BATCH + 5)] + ["ÆØÅ", "Ｆｕｌｌ"]
    Activity.objects.bulk_create(Activity(title=t, activity_type="phd") for t in titles)
    Activity.all_objects.update(title_key=0)  # as the new column starts
    migration.fill_title_keys(apps, None)
    assert keys_follow_titles()
    assert Activity.objects.get(title="Ｆｕｌｌ").title_key == title_key("full")
