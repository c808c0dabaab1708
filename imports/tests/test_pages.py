"""The web importer: upload, preview, confirm, import, undo; access, CSRF, limits, queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from activities.models import Activity
from core.tests.test_accessibility import parse
from imports.forms import MAX_UPLOAD_BYTES
from imports.models import BatchState, ImportBatch
from imports.tests.conftest import activity_row, csv_bytes
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db


def upload(client, raw: bytes, name="activities.csv", **extra):
    data = {"kind": "activities", "source_format": "auto", **extra}
    data["file"] = SimpleUploadedFile(name, raw)
    return client.post("/import/", data)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    return client


def test_preview_then_import_then_undo(signed_in, coordinator):
    response = upload(signed_in, csv_bytes([activity_row(title="Fra nettet")]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/import/{batch.pk}/"
    assert batch.state == BatchState.PREVIEW and batch.report["created"] == 1
    assert not Activity.objects.filter(title="Fra nettet").exists()
    page = signed_in.get(batch.get_absolute_url())
    assert b'data-count="created">1<' in page.content

    response = signed_in.post(f"/import/{batch.pk}/commit/")
    assert response.status_code == 302
    activity = Activity.objects.get(title="Fra nettet")
    assert activity.history.first().history_user == coordinator
    batch.refresh_from_db()
    assert batch.state == BatchState.COMMITTED and batch.data == b""
    assert b"Undo import" in signed_in.get(batch.get_absolute_url()).content

    response = signed_in.post(f"/import/{batch.pk}/undo/")
    assert response.status_code == 302
    assert not Activity.objects.filter(title="Fra nettet").exists()


def test_a_coordinator_whose_role_was_taken_away_cannot_undo_their_import(signed_in, coordinator):
    upload(signed_in, csv_bytes([activity_row(title="Fra nettet")]))
    batch = ImportBatch.objects.get()
    signed_in.post(f"/import/{batch.pk}/commit/")
    coordinator.assignments.all().delete()
    page = signed_in.get(batch.get_absolute_url())
    assert b"Undo import" not in page.content
    assert signed_in.post(f"/import/{batch.pk}/undo/").status_code == 403
    assert Activity.objects.filter(title="Fra nettet").exists()


def test_the_preview_lists_problems_by_row_and_column_and_offers_no_import(signed_in):
    upload(signed_in, csv_bytes([activity_row(), activity_row(start_date="31.02.2024")]))
    batch = ImportBatch.objects.get()
    page = signed_in.get(batch.get_absolute_url()).content.decode()
    assert "<td>3</td><td>start_date</td>" in page
    assert f"/import/{batch.pk}/commit/" not in page


def test_proposals_are_confirmed_in_the_preview(signed_in, usn):
    raw = csv_bytes([activity_row(organisations="partner:Universitetet i Sørøst Norge")])
    upload(signed_in, raw)
    batch = ImportBatch.objects.get()
    page = signed_in.get(batch.get_absolute_url()).content.decode()
    assert 'name="accept" value="0"' in page
    response = signed_in.post(f"/import/{batch.pk}/commit/")  # not confirmed
    assert response.status_code == 409 and not Activity.objects.exists()
    signed_in.post(f"/import/{batch.pk}/commit/", {"accept": ["0"]})
    assert Activity.objects.get().organisation_roles.get().organisation == usn


def test_a_record_changed_since_the_preview_stops_the_import(signed_in, partnership):
    activity = Activity.objects.create(title="Før", activity_type="phd")
    activity.partnerships.add(partnership)
    upload(signed_in, csv_bytes([activity_row(id=str(activity.public_id), title="Etter")]))
    batch = ImportBatch.objects.get()
    activity.title, activity.version = "Noen andre", 2
    activity.save()
    response = signed_in.post(f"/import/{batch.pk}/commit/")
    assert response.status_code == 409
    assert b"changed (or added) since the preview" in response.content
    activity.refresh_from_db()
    assert activity.title == "Noen andre"


def test_wrong_type_and_too_large_files_are_refused(signed_in):
    response = upload(signed_in, b"%PDF-1.4", name="rapport.pdf")
    assert response.status_code == 400 and b"CSV, XLSX or JSON" in response.content
    response = upload(signed_in, b"x" * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 400 and b"20 MB" in response.content
    assert not ImportBatch.objects.exists()


def test_an_unreadable_file_gets_a_preview_with_the_reason(signed_in):
    upload(signed_in, b"\x00\x01binary", name="activities.csv")
    batch = ImportBatch.objects.get()
    assert "UTF-8" in batch.report["problems"][0]["message"]


def test_uploads_need_the_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert upload(client, csv_bytes([activity_row()])).status_code == 403


def test_only_users_who_may_add_can_import_and_see_only_their_batches(
    client, reader, coordinator, admin
):
    assert client.get("/import/").status_code == 302  # sign in first
    client.force_login(reader)
    assert client.get("/import/").status_code == 403
    batch = ImportBatch.objects.create(user=coordinator, kind="activities", filename="a.csv")
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(f"/import/{batch.pk}/commit/").status_code == 404
    client.force_login(admin)
    assert client.get(batch.get_absolute_url()).status_code == 200
    assert client.post(f"/import/{batch.pk}/commit/").status_code == 403  # not the uploader


def test_list_links_lead_to_the_importer(signed_in):
    for url in ("/activities/", "/research-needs/", "/events/"):
        assert b'href="/import/"' in signed_in.get(url).content, url


def test_pages_do_a_fixed_number_of_queries(signed_in, coordinator):
    batch = ImportBatch.objects.create(
        user=coordinator, kind="activities", filename="a.csv", report={"rows": 1}
    )

    def grow():
        for i in range(20):
            ImportBatch.objects.create(
                user=coordinator,
                kind="activities",
                filename=f"{i}.csv",
                report={"problems": [{"row": i, "column": "title", "message": "x"}] * 30},
            )

    for url in ("/import/history/", batch.get_absolute_url(), "/import/"):
        small, large = query_counts(signed_in, url, grow=grow)
        assert small == large, url


def test_pages_meet_the_accessibility_basics(signed_in, coordinator, usn):
    upload(
        signed_in, csv_bytes([activity_row(organisations="partner:Universitetet i Sørøst Norge")])
    )
    batch = ImportBatch.objects.get()
    for url in ("/import/", "/import/history/", batch.get_absolute_url()):
        page = parse(signed_in, url)
        names = [t for t, _a in page.tags]
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in names, (url, landmark)
        assert page.headings.count(1) == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (url, before, after)
        labelled = {a.get("for") for t, a in page.tags if t == "label"}
        for tag, attrs in page.tags:
            if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden",
                "submit",
            ):
                assert attrs.get("id") in labelled or attrs.get("aria-label"), (url, attrs)


def test_big_files_are_previewed_on_the_web_but_imported_on_the_command_line(
    signed_in, monkeypatch
):
    monkeypatch.setattr("imports.batches.MAX_WEB_COMMIT_ROWS", 1)
    upload(signed_in, csv_bytes([activity_row(title="A"), activity_row(title="B")]))
    batch = ImportBatch.objects.get()
    response = signed_in.post(f"/import/{batch.pk}/commit/")
    assert response.status_code == 409 and b"unikom import" in response.content
    assert not Activity.objects.exists()


def test_a_preview_that_did_not_finish_or_found_problems_is_never_imported(signed_in):
    """A crash between upload and the end of the preview leaves a batch without its
    report; its file is imported by nobody, whatever its size, until uploaded again."""
    upload(signed_in, csv_bytes([activity_row(title=f"R{i}") for i in range(3)]))
    batch = ImportBatch.objects.get()
    assert batch.report["rows"] == 3
    ImportBatch.objects.filter(pk=batch.pk).update(report={})  # as a crash leaves it
    page = signed_in.get(f"/import/{batch.pk}/")
    assert f'action="/import/{batch.pk}/commit/"' not in page.content.decode()
    response = signed_in.post(f"/import/{batch.pk}/commit/")
    assert response.status_code == 409 and b"did not finish" in response.content

    ImportBatch.objects.filter(pk=batch.pk).update(report={"rows": 3, "problem_count": 2})
    response = signed_in.post(f"/import/{batch.pk}/commit/")
    assert response.status_code == 409 and b"found problems" in response.content
    assert not Activity.objects.exists()


def test_the_row_limit_counts_the_file_not_the_stored_report(signed_in, monkeypatch):
    monkeypatch.setattr("imports.batches.MAX_WEB_COMMIT_ROWS", 2)
    upload(signed_in, csv_bytes([activity_row(title=f"R{i}") for i in range(3)]))
    batch = ImportBatch.objects.get()
    report = {**batch.report, "rows": 1}  # a report that undercounts its file
    ImportBatch.objects.filter(pk=batch.pk).update(report=report)
    response = signed_in.post(f"/import/{batch.pk}/commit/")
    assert response.status_code == 409 and b"command line" in response.content
    assert not Activity.objects.exists()
    assert ImportBatch.objects.get().state == BatchState.PREVIEW
