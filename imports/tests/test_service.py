"""Checking and writing a file: counts, history, undo, permissions, duplicates, proposals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from activities.models import Activity, ActivityOrganisation
from imports.models import BatchState, ImportBatch
from imports.service import undo
from imports.tests.conftest import activity_row, csv_bytes

pytestmark = pytest.mark.django_db


def problems(report) -> list[tuple]:
    return [(p.row, p.column) for p in report.problems]


def test_check_reports_what_would_happen_and_writes_nothing(admin, run_check):
    raw = csv_bytes([activity_row(), activity_row(title="Annet prosjekt")])
    report = run_check(raw, admin)
    assert (report.rows, report.created, report.updated, report.problems) == (2, 2, 0, [])
    assert not Activity.objects.filter(title="Annet prosjekt").exists()


def test_commit_writes_every_field_and_records_the_import_in_the_history(
    admin, run_commit, drammen, usn, theme
):
    raw = csv_bytes(
        [
            activity_row(
                title="Hverdagsrehabilitering",
                activity_type="Student thesis",  # an English label
                thesis_level="master",
                status="Pågående",  # a Norwegian label
                start_date="14.03.2025",
                end_date="2026-06-30",
                summary="'=Ikke en formel",
                themes=theme.slug,
                funding_source="Regionale forskningsfond",
                funding_amount="2 500 000",
                cristin_project_id="https://app.cristin.no/projects/show.jsf?id=2571234",
                nfr_project_number="321045",
                professional_owner="3301",
                professional_owner_level="service_level",
                strategic_owner="911770709",
                strategic_owner_level="rectorate",
                organisations="partner:usn; funder:drammen",
                is_public="nei",
            )
        ]
    )
    report, batch = run_commit(raw, admin)
    assert report.ok and report.written, report.problems
    activity = Activity.objects.get(title="Hverdagsrehabilitering")
    assert activity.activity_type == "student_thesis" and activity.thesis_level == "master"
    assert activity.status == "ongoing"
    assert str(activity.start_date) == "2025-03-14"
    assert activity.summary == "=Ikke en formel"
    assert activity.funding_amount == Decimal(2_500_000)
    assert activity.cristin_project_id == "2571234"
    assert activity.professional_owner == drammen and activity.strategic_owner == usn
    assert set(activity.partnerships.values_list("slug", flat=True)) == {"usn-drammen"}
    assert list(activity.themes.all()) == [theme]
    assert set(activity.organisation_roles.values_list("organisation__slug", "role")) == {
        ("usn", "partner"),
        ("drammen", "funder"),
    }
    assert activity.is_public is False
    entry = activity.history.first()
    assert entry.history_change_reason == f"Import #{batch.pk} from activities.csv"
    assert entry.history_user == admin and entry.history_type == "+"
    roles = ActivityOrganisation.history.filter(activity_id=activity.pk)
    assert {(r.organisation_id, r.role, r.history_type) for r in roles} == {
        (usn.pk, "partner", "+"),
        (drammen.pk, "funder", "+"),
    }
    assert {r.history_change_reason for r in roles} == {entry.history_change_reason}
    assert {r.history_user for r in roles} == {admin}
    assert batch.state == BatchState.COMMITTED and batch.changes["created"] == [activity.pk]


def rows_of_a_file(n: int) -> bytes:
    return csv_bytes(
        [
            activity_row(
                title=f"Prosjekt {i}",
                themes="helse-og-omsorg" if i % 2 else "",
                organisations="partner:usn; funder:drammen" if i % 3 else "partner:usn",
            )
            for i in range(n)
        ]
    )


def test_a_committed_import_writes_in_a_number_of_queries_that_does_not_grow_with_the_rows(
    admin, run_commit
):
    """New rows are written together, a chunk at a time: 57 more rows cost a few
    more INSERT batches (SQLite takes 999 values a statement), where writing one
    by one took about ten queries a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (3, 60):
        with CaptureQueriesContext(connection) as queries:
            raw = rows_of_a_file(n).replace(b"Prosjekt", f"P{n}".encode())
            report, batch = run_commit(raw, admin)
        assert report.written and report.created == n, report.problems
        counts.append(len(queries))
    assert counts[1] - counts[0] <= 3, counts
    written = Activity.objects.filter(title__startswith="P60 ").order_by("pk")
    assert [a.title for a in written] == [f"P60 {i}" for i in range(60)]  # in file order
    assert batch.changes["created"] == [a.pk for a in written]
    assert sum(a.organisation_roles.count() for a in written) == 60 + 40
    assert sum(a.themes.count() for a in written) == 30


def test_a_file_longer_than_a_chunk_is_written_whole_and_in_order(admin, run_commit, monkeypatch):
    from imports import service

    monkeypatch.setattr(service, "CHUNK", 4)
    report, batch = run_commit(rows_of_a_file(10), admin)
    assert report.written and report.created == 10
    written = Activity.objects.filter(pk__in=batch.changes["created"]).order_by("pk")
    assert [a.title for a in written] == [f"Prosjekt {i}" for i in range(10)]
    assert all(a.partnerships.filter(slug="usn-drammen").exists() for a in written)


def test_a_known_id_updates_that_record_and_an_unchanged_row_writes_nothing(
    admin, run_commit, partnership
):
    activity = Activity.objects.create(title="Gammel tittel", activity_type="phd")
    activity.partnerships.add(partnership)
    same = Activity.objects.create(title="Uendret", activity_type="phd")
    same.partnerships.add(partnership)
    raw = csv_bytes(
        [
            activity_row(id=str(activity.public_id), title="Ny tittel", activity_type="phd"),
            activity_row(id=str(same.public_id), title="Uendret", activity_type="phd"),
        ],
        columns=["id", "title", "activity_type", "partnerships"],
    )
    history_before = same.history.count()
    report, batch = run_commit(raw, admin)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    activity.refresh_from_db()
    assert activity.title == "Ny tittel" and activity.version == 2
    assert same.history.count() == history_before


def test_undo_trashes_created_records_and_restores_updated_ones(
    admin, run_commit, partnership, usn, drammen
):
    activity = Activity.objects.create(title="Før", activity_type="phd", status="planned")
    activity.partnerships.add(partnership)
    raw = csv_bytes(
        [
            activity_row(
                id=str(activity.public_id),
                title="Etter",
                status="completed",
                organisations="partner:usn",
                partnerships="usn-drammen; usn-skien",
            ),
            activity_row(title="Ny"),
        ]
    )
    report, batch = run_commit(raw, admin)
    assert report.ok
    activity.refresh_from_db()
    assert activity.title == "Etter" and activity.partnerships.count() == 2

    assert undo(batch, admin) == []
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("Før", "planned")
    assert list(activity.partnerships.all()) == [partnership]
    assert not activity.organisation_roles.exists()
    assert not Activity.objects.filter(title="Ny").exists()
    assert Activity.all_objects.get(title="Ny").in_trash
    assert activity.history.first().history_change_reason.startswith("Undo of import")
    batch.refresh_from_db()
    assert batch.state == BatchState.UNDONE and batch.undone_by == admin


def test_undo_is_refused_when_a_record_changed_after_the_import(admin, run_commit):
    report, batch = run_commit(csv_bytes([activity_row(title="Ny")]), admin)
    created = Activity.objects.get(title="Ny")
    created.title, created.version = "Endret etterpå", 2
    created.save()
    messages = undo(batch, admin)
    assert messages and "Endret etterpå" in messages[0]
    created.refresh_from_db()
    assert not created.in_trash
    batch.refresh_from_db()
    assert batch.state == BatchState.COMMITTED


def test_one_bad_row_writes_nothing_at_all(admin, run_commit):
    raw = csv_bytes([activity_row(title="God rad"), activity_row(title="", activity_type="x")])
    report, batch = run_commit(raw, admin)
    assert not report.ok and not report.written
    assert set(problems(report)) == {
        (3, "title"),
        (3, "activity_type"),
    }
    assert not Activity.objects.filter(title="God rad").exists()
    assert not ImportBatch.objects.exists()


def test_coordinators_import_into_their_own_partnership_only(coordinator, run_check):
    raw = csv_bytes(
        [activity_row(title="Egen"), activity_row(title="Andres", partnerships="usn-skien")]
    )
    report = run_check(raw, coordinator)
    assert problems(report) == [(3, "partnerships")]
    assert report.created == 1


def test_records_outside_the_users_scope_cannot_be_updated(
    coordinator, run_check, other_partnership
):
    other = Activity.objects.create(title="Andres", activity_type="phd")
    other.partnerships.add(other_partnership)
    raw = csv_bytes([activity_row(id=str(other.public_id), title="Kapret")])
    report = run_check(raw, coordinator)
    assert (3 - 1, "id") in problems(report)


def test_duplicates_in_the_file_and_in_the_database_are_reported(admin, run_check, partnership):
    existing = Activity.objects.create(title="Finnes", activity_type="phd", cristin_project_id="77")
    existing.partnerships.add(partnership)
    raw = csv_bytes(
        [
            activity_row(title="A", cristin_project_id="11"),
            activity_row(title="B", cristin_project_id="11"),
            activity_row(title="A"),
            activity_row(title="C", cristin_project_id="77"),
            activity_row(title="finnes"),
        ]
    )
    report = run_check(raw, admin)
    assert problems(report) == [
        (3, "cristin_project_id"),  # the same Cristin id as row 2
        (4, "title"),  # the same title and partnership as row 2
        (5, "cristin_project_id"),  # the database has it
        (6, "title"),  # the database has it (case does not matter)
    ]
    assert str(existing.public_id) in report.problems[2].message


def test_a_row_with_the_records_own_id_is_no_duplicate_but_the_id_twice_is(
    admin, run_check, partnership
):
    existing = Activity.objects.create(title="Finnes", activity_type="phd", cristin_project_id="77")
    existing.partnerships.add(partnership)
    row = activity_row(id=str(existing.public_id), title="Finnes", cristin_project_id="77")
    report = run_check(csv_bytes([row]), admin)
    assert report.ok and report.updated == 1  # the type changes to research_project
    report = run_check(csv_bytes([row, row]), admin)
    assert (3, "id") in problems(report)


def test_a_name_that_only_resembles_an_organisation_is_proposed_never_applied(
    admin, run_check, run_commit, usn
):
    raw = csv_bytes([activity_row(organisations="partner:Universitetet i Sørøst Norge")])
    report = run_check(raw, admin)
    assert report.problems == [] and not report.ok
    [proposal] = report.proposals
    assert (proposal.organisation_id, proposal.rows) == (usn.pk, [2])

    report, _batch = run_commit(raw, admin)
    assert (
        not report.written
        and not Activity.objects.filter(organisation_roles__isnull=False).exists()
    )

    report, _batch = run_commit(raw, admin, accepted={"Universitetet i Sørøst Norge": usn.pk})
    assert report.written
    assert (
        Activity.objects.get(organisation_roles__organisation=usn).title == activity_row()["title"]
    )


def test_every_unknown_name_of_a_long_file_gets_its_proposal(admin, run_check, usn):
    """No cap on the names compared: 600 different near-misses, 600 proposals."""
    names = [f"Universitetet i Sørøst Norge {i}" for i in range(600)]
    rows = [
        activity_row(title=f"Prosjekt {i}", organisations=f"partner:{name}")
        for i, name in enumerate(names)
    ]
    report = run_check(csv_bytes(rows), admin)
    assert report.problems == []
    assert sorted(p.text for p in report.proposals) == sorted(names)
    assert {p.organisation_id for p in report.proposals} == {usn.pk}
    assert all(0.8 <= p.score < 1 for p in report.proposals)


def test_a_name_unlike_any_organisation_gets_no_proposal(admin, run_check, usn):
    raw = csv_bytes([activity_row(organisations="partner:Xqzw Vbnm Institutt")])
    report = run_check(raw, admin)
    assert report.proposals == [] and [(p.row, p.column) for p in report.problems] == [
        (2, "organisations")
    ]


def test_organisations_are_found_by_every_identifier(admin, run_check, usn, drammen):
    for reference in ("usn", "911770709", "911 770 709", "Universitetet i Sørøst-Norge", "USN"):
        report = run_check(csv_bytes([activity_row(professional_owner=reference)]), admin)
        assert report.ok, (reference, report.problems)
    for reference in ("3301", "Drammen kommune", "drammen"):
        report = run_check(csv_bytes([activity_row(strategic_owner=reference)]), admin)
        assert report.ok, (reference, report.problems)


def test_a_record_changed_since_the_preview_is_a_conflict(
    admin, run_check, run_commit, partnership
):
    activity = Activity.objects.create(title="Før", activity_type="phd")
    activity.partnerships.add(partnership)
    raw = csv_bytes([activity_row(id=str(activity.public_id), title="Etter")])
    preview = run_check(raw, admin)
    activity.title, activity.version = "Noen andre", 2
    activity.save()
    report, _batch = run_commit(raw, admin, expected_versions=preview.versions)
    assert problems(report) == [(2, "id")]
    activity.refresh_from_db()
    assert activity.title == "Noen andre"


def test_imported_records_are_found_by_search_and_undone_ones_are_not(admin, run_commit):
    from search.models import SearchDocument

    report, batch = run_commit(csv_bytes([activity_row(title="Hverdagsmestring i Drammen")]), admin)
    activity = Activity.objects.get(title="Hverdagsmestring i Drammen")
    assert SearchDocument.objects.filter(kind="activity", object_id=activity.pk).exists()
    undo(batch, admin)
    assert not SearchDocument.objects.filter(kind="activity", object_id=activity.pk).exists()


def test_needs_follow_the_forms_workflow_and_deadline_rules(admin, run_check, drammen):
    from datetime import date, timedelta

    from needs.models import Need

    closed = Need.objects.create(
        title="Avsluttet behov",
        description="Ferdig.",
        organisation=drammen,
        status="closed",
        suited_for=["thesis"],
    )
    past = (date.today() - timedelta(days=3)).isoformat()
    future = (date.today() + timedelta(days=30)).isoformat()
    rows = [
        # closed → matched is not a step of the workflow
        {
            "id": str(closed.public_id),
            "title": closed.title,
            "description": "Ferdig.",
            "organisation": "drammen",
            "status": "matched",
            "suited_for": "thesis",
        },
        # a new open need with a deadline that has passed
        {
            "id": "",
            "title": "Nytt behov",
            "description": "Noe.",
            "organisation": "drammen",
            "status": "open",
            "suited_for": "thesis",
            "deadline": past,
        },
        # reopening a closed need with a deadline ahead is allowed
        {
            "id": str(closed.public_id),
            "title": closed.title,
            "description": "Igjen.",
            "organisation": "drammen",
            "status": "open",
            "suited_for": "thesis",
            "deadline": future,
        },
    ]
    check = lambda rows: run_check(csv_bytes(rows), admin, kind="needs", filename="needs.csv")  # noqa: E731
    found = {(p.row, p.column): p.message for p in check(rows[:2]).problems}
    assert set(found) == {(2, "status"), (3, "deadline")}
    assert "«Lukket» til «Matchet»" in found[(2, "status")]  # the form's words, in bokmål
    assert check(rows[2:]).problems == []
