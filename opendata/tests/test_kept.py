"""Whole-list downloads are kept on disk until the data changes (opendata.kept).

What a visitor notices: the second download of the same list is the same file,
sent without reading the records again; the first download after a change
holds the change; filtered lists and signed-in users' lists are never shared.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse

from opendata.tests.conftest import body

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def produce_every_download(settings):
    settings.UNIKOM_KEEP_DOWNLOADS = True  # the default, turned off for the other tests


URL = "/export/activities.csv"


def kept_files() -> list[Path]:
    folder = Path(settings.DATA_DIR) / "exports"
    return (
        sorted(p for p in folder.glob("*") if not p.name.startswith(".")) if folder.exists() else []
    )


def test_the_second_download_is_the_kept_file_and_reads_no_records(client, make_activity):
    make_activity(title="Kunnskapsløft i barnehagen")
    first = client.get(URL)
    assert isinstance(first, StreamingHttpResponse)
    first_body = body(first)
    assert "Kunnskapsløft i barnehagen" in first_body.decode("utf-8")
    assert len(kept_files()) == 1

    queries = []

    def log(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        second = client.get(URL)
        second_body = body(second)
    assert isinstance(second, FileResponse)
    assert second_body == first_body
    assert second["Content-Disposition"].startswith('attachment; filename="unikom-activities-')
    # The data version and the session: no query reads an activity.
    assert not [q for q in queries if "activities_activity" in q and "history" not in q]


def test_a_change_gives_a_new_file_and_the_old_one_goes(client, make_activity):
    activity = make_activity(title="Før endringen")
    assert "Før endringen" in body(client.get(URL)).decode("utf-8")
    old = kept_files()

    activity.title = "Etter endringen"
    activity.save()  # through the history, as every change in unikom is

    text = body(client.get(URL)).decode("utf-8")
    assert "Etter endringen" in text and "Før endringen" not in text
    assert len(kept_files()) == 1 and kept_files() != old


def test_filtered_lists_and_signed_in_users_are_produced_afresh(client, make_activity, coordinator):
    make_activity(title="Privat arbeid", is_public=False)
    filtered = client.get(URL + "?type=research_project")
    assert isinstance(filtered, StreamingHttpResponse)
    body(filtered)
    assert kept_files() == []

    client.force_login(coordinator)
    mine = body(client.get(URL)).decode("utf-8")
    assert "Privat arbeid" in mine  # the coordinator sees the partnership's private work
    assert kept_files() == []
    client.logout()
    public = body(client.get(URL)).decode("utf-8")
    assert "Privat arbeid" not in public  # the kept file is the public one
    assert len(kept_files()) == 1


def test_a_download_broken_off_leaves_nothing_behind(rf):
    from django.contrib.auth.models import AnonymousUser

    from opendata.kept import Kept

    request = rf.get(URL)
    request.user = AnonymousUser()
    kept = Kept(request, "activities.csv", ".csv")
    blocks = kept.tee(iter([b"header\n", b"row 1\n", b"row 2\n"]))
    assert next(blocks) == b"header\n"
    blocks.close()  # the client went away: the server closes the response's iterator
    assert kept_files() == [] and list((Path(settings.DATA_DIR) / "exports").iterdir()) == []
    # A download that ends is kept, under its final name.
    assert b"".join(kept.tee(iter([b"header\n", b"row 1\n"]))) == b"header\nrow 1\n"
    assert kept_files() == [kept.path] and kept.path.read_bytes() == b"header\nrow 1\n"


def test_xlsx_and_the_archive_are_kept_too(client, make_activity):
    make_activity(title="Regneark og arkiv")
    first = client.get("/export/activities.xlsx")
    assert isinstance(first, StreamingHttpResponse)  # written while it is sent, and kept
    workbook = body(first)
    again = client.get("/export/activities.xlsx")
    assert isinstance(again, FileResponse) and body(again) == workbook

    archive = body(client.get("/open-data/unikom-open-data.zip"))
    with zipfile.ZipFile(BytesIO(archive)) as opened:
        assert opened.testzip() is None
    again = client.get("/open-data/unikom-open-data.zip")
    assert isinstance(again, FileResponse) and body(again) == archive
    assert len(kept_files()) == 2


def test_a_disk_that_cannot_take_the_file_still_gets_the_download_out(client, make_activity):
    make_activity(title="Full disk")
    (Path(settings.DATA_DIR) / "exports").write_text("a file where the folder should be")
    text = body(client.get(URL)).decode("utf-8")
    assert "Full disk" in text
    workbook = client.get("/export/activities.xlsx")
    assert workbook.status_code == 200 and body(workbook).startswith(b"PK")
    (Path(settings.DATA_DIR) / "exports").unlink()
