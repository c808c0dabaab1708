"""Downloads prepared again in the background after a change (core.prepare).

What a visitor notices: once a whole list has been downloaded, the first
download after a change is already the kept file, holding the change, as
long as the preparer has had its turn; nothing is ever served stale.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

from core import prepare
from opendata.tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handler_keeps_connections")]

URL = "/export/activities.csv"


@pytest.fixture(autouse=True)
def keep_downloads(settings):
    settings.UNIKOM_KEEP_DOWNLOADS = True  # the default, turned off for the other tests


def noted() -> list[prepare.Recipe]:
    return [recipe for _path, recipe in prepare.recipes()]


def test_a_download_prepared_after_a_change_is_ready_with_the_change(client, make_activity):
    activity = make_activity(title="Før endringen")
    assert isinstance(client.get(URL), StreamingHttpResponse)  # produced, and noted
    assert noted() == [prepare.Recipe(URL, "testserver", "http", "nb")]

    activity.title = "Etter endringen"
    activity.save()  # a new data version: the kept file no longer answers
    done = prepare.prepare()
    assert [(p.recipe.path, p.status, p.outcome) for p in done] == [(URL, 200, "produced")]

    ready = client.get(URL)
    assert isinstance(ready, FileResponse)  # sent from disk, not produced for this reader
    text = body(ready).decode("utf-8")
    assert "Etter endringen" in text and "Før endringen" not in text
    # Nothing changed since: the next round reads nothing again.
    assert [p.outcome for p in prepare.prepare()] == ["kept"]


def test_language_host_and_scheme_are_those_of_the_request(client, make_activity, settings):
    settings.ALLOWED_HOSTS = ["unikom.example.no"]
    make_activity()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body(client.get("/export/activities.json", HTTP_HOST="unikom.example.no", secure=True))
    recipe = noted()[0]
    assert recipe == prepare.Recipe("/export/activities.json", "unikom.example.no", "https", "en")
    make_activity(title="Ny")
    assert prepare.prepare()[0].outcome == "produced"
    ready = client.get("/export/activities.json", HTTP_HOST="unikom.example.no", secure=True)
    document = json.loads(body(ready))
    assert isinstance(ready, FileResponse)
    assert document["data"][0]["url"].startswith("https://unikom.example.no/")
    assert document["meta"]["count"] == 2


def test_only_downloads_kept_for_every_visitor_are_noted(client, make_activity, coordinator):
    make_activity()
    body(client.get(URL + "?type=research_project"))  # filtered: produced afresh every time
    client.force_login(coordinator)
    body(client.get(URL))  # a signed-in reader's own list
    assert noted() == []
    body(client.get("/open-data/unikom-open-data.zip"))  # the same archive for everyone
    assert [r.path for r in noted()] == ["/open-data/unikom-open-data.zip"]


def test_a_download_that_is_gone_is_forgotten(client, make_activity, settings):
    make_activity()
    body(client.get(URL))
    settings.UNIKOM_KEEP_DOWNLOADS = False
    (recipe,) = noted()
    # An address that no longer exists (a kind removed in a new version, say).
    path = prepare.folder() / f"{recipe.name}.json"
    path.write_text(json.dumps({**recipe.__dict__, "path": "/export/gone.csv"}))
    assert [(p.status, p.outcome) for p in prepare.prepare()] == [(404, "dropped")]
    assert noted() == []


def test_a_disk_that_cannot_take_the_note_does_not_stop_the_download(client, make_activity, caplog):
    make_activity(title="Likevel lastet ned")
    prepare.folder().parent.mkdir(parents=True, exist_ok=True)
    prepare.folder().write_text("not a folder")  # the note cannot be written
    try:
        text = body(client.get(URL)).decode("utf-8")
    finally:
        prepare.folder().unlink()
    assert "Likevel lastet ned" in text
    assert "cannot be noted" in caplog.text


def test_the_command_prepares_and_says_what_it_did(client, make_activity):
    make_activity()
    body(client.get(URL))
    make_activity(title="Enda en")
    out = io.StringIO()
    with translation.override("en"):  # the messages as written in the code
        call_command("prepare", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[prepare] produced 200 ") and lines[0].endswith(
        f"http://testserver{URL} (nb)"
    )
    assert lines[1].startswith("Prepared 1 downloads in ")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_round_waits_until_the_data_is_still_and_the_gap_has_passed():
    clock = Clock()
    watch = prepare.Watch(settle=30, gap=300, clock=clock)
    assert not watch.due(("v1", "day"))  # just started: the data may be moving
    clock.now = 30
    assert watch.due(("v1", "day"))
    watch.done(("v1", "day"))
    clock.now = 40
    assert not watch.due(("v1", "day"))  # nothing changed
    assert not watch.due(("v2", "day"))  # changed just now
    clock.now = 80
    assert not watch.due(("v2", "day"))  # still, but the last round was 50 s ago
    clock.now = 330
    assert watch.due(("v2", "day"))
    watch.done(("v2", "day"))
    clock.now = 700
    assert not watch.due(("v3", "day"))  # a new change: still for 0 s
    clock.now = 729
    assert not watch.due(("v4", "day"))  # another: the wait starts again
    clock.now = 760
    assert watch.due(("v4", "day"))
    watch.done(("v4", "day"))
    clock.now = 1100
    assert not watch.due(("v4", "next day"))  # a new day (the report's date) is a change
    clock.now = 1130
    assert watch.due(("v4", "next day"))


def test_the_watch_waits_for_a_database_that_is_away(monkeypatch, caplog):
    states = iter([DatabaseError("server closed the connection"), ("v1", "day"), ("v1", "day")])
    rounds: list[int] = []

    def state():
        value = next(states)
        if isinstance(value, Exception):
            raise value
        return value

    monkeypatch.setattr(prepare, "state", state)
    monkeypatch.setattr(prepare, "prepare", lambda log: rounds.append(1) or [])
    prepare.watch(poll=0, settle=0, gap=0, rounds=iter(range(3)))
    assert rounds == [1]  # prepared once the database answered, not again for the same data
    assert "waits for the database" in caplog.text


def test_recipes_that_cannot_be_read_are_left_out(caplog):
    prepare.folder().mkdir(parents=True, exist_ok=True)
    Path(prepare.folder(), "broken.json").write_text("{")
    assert prepare.recipes() == []
    assert "Not a recipe" in caplog.text


def test_the_quickest_downloads_are_prepared_first(monkeypatch):
    """The order of a round is by how long each download took the last time,
    new ones first: the slow national PDF no longer keeps quick files waiting."""
    folder = prepare.folder()
    folder.mkdir(parents=True, exist_ok=True)
    took = {"/report/print.pdf": 95.0, "/export/activities.csv": 18.0, "/export/themes.csv": 0.1}
    for path in took:
        recipe = prepare.Recipe(path=path, host="testserver", scheme="http", language="nb")
        Path(folder, f"{recipe.name}.json").write_text(json.dumps(recipe.__dict__))
    asked: list[str] = []

    def replay(recipe, handler=None):
        asked.append(recipe.path)
        return prepare.Prepared(recipe, 200, took[recipe.path], "produced")

    monkeypatch.setattr(prepare, "replay", replay)
    prepare.prepare()  # new: in no particular order, and each one's time is noted
    asked.clear()
    prepare.prepare()
    assert asked == ["/export/themes.csv", "/export/activities.csv", "/report/print.pdf"]
    # A recipe with its time noted is still a recipe of the same download.
    assert sorted(r.path for _, r in prepare.recipes()) == sorted(took)
