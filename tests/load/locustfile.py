"""Mixed readers and writers against a running unikom (tests/test_load.py runs it).

Run by locust in a process of its own (locust patches the standard library with
gevent; it is never imported by pytest). Settings come from the environment:

- ``UNIKOM_LOAD_TOKEN``: a write token (API writers);
- ``UNIKOM_LOAD_USER``, ``UNIKOM_LOAD_PASSWORD``: an account for the form writers;
- ``UNIKOM_LOAD_PARTNERSHIPS``, ``UNIKOM_LOAD_ACTIVITIES``: comma-separated slugs and
  public ids to read;
- ``UNIKOM_LOAD_RUN``: the prefix of every title the writers create;
- ``UNIKOM_LOAD_RECORD``: where to write, at the end, every activity the server
  confirmed (201 from the API, 302 from a form) with the title and version it
  confirmed last, and every create whose answer never came;
- ``UNIKOM_LOAD_WRITE_SECONDS``: how long after the start writers write. Locust
  ends a run by stopping its users, and it has killed one whose create was still
  waiting for its answer (GreenletExit; CI, 2026-12-06): a write the server may
  have made without the client hearing of it, which the test would count as
  lost. Writers therefore stop some seconds before the end, and readers go on.

Writers only change activities they created themselves, so no answer may be a
conflict, and any status other than the expected one counts as a failure.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import time
from secrets import choice

from locust import HttpUser, between, events, task

from tests.support.forms import csrf_token, record_form

RUN = os.environ.get("UNIKOM_LOAD_RUN", "load")
PARTNERSHIPS = [s for s in os.environ.get("UNIKOM_LOAD_PARTNERSHIPS", "").split(",") if s]
ACTIVITIES = [s for s in os.environ.get("UNIKOM_LOAD_ACTIVITIES", "").split(",") if s]
SEARCHES = ["sykehjem", "skole", "helse", "barnehage", "digitalisering", "klima"]

#: public_id → {"title": …, "version": …}: what the server said it holds.
CONFIRMED: dict[str, dict] = {}
#: Title → why: creates sent whose answer never came (none expected).
UNANSWERED: dict[str, str] = {}
_numbers = itertools.count(1)
WRITE_SECONDS = float(os.environ.get("UNIKOM_LOAD_WRITE_SECONDS", "inf"))
_write_until = [float("inf")]


@events.test_start.add_listener
def start_the_clock(environment, **_kwargs):
    _write_until[0] = time.monotonic() + WRITE_SECONDS


def writing() -> bool:
    """Whether writers may still start a write (see UNIKOM_LOAD_WRITE_SECONDS)."""
    return time.monotonic() < _write_until[0]


def new_title(kind: str) -> str:
    return f"{RUN} {kind} {next(_numbers)}"


@contextlib.contextmanager
def sent(title: str):
    """Count a create as unanswered from the moment it is sent until its answer is
    read; if anything stops the wait (an exception, the user being killed), keep
    what stopped it for the test's message."""
    UNANSWERED[title] = "still waiting when locust quit"
    try:
        yield
    except BaseException as error:
        if title in UNANSWERED:
            UNANSWERED[title] = f"{type(error).__name__}: {error}"
        raise


def expect(response, status: int) -> bool:
    if response.status_code != status:
        response.failure(f"{response.status_code} instead of {status}: {response.text[:300]}")
        return False
    response.success()
    return True


class Reader(HttpUser):
    """A visitor: pages and API lists, no account."""

    weight = 6
    wait_time = between(0.5, 2)

    @task(3)
    def partnership(self):
        slug = choice(PARTNERSHIPS)
        self.client.get(f"/partnerships/{slug}/", name="/partnerships/[slug]/")

    @task(2)
    def activity(self):
        self.client.get(f"/activities/{choice(ACTIVITIES)}/", name="/activities/[id]/")

    @task(2)
    def api_list(self):
        slug = choice(PARTNERSHIPS)
        self.client.get(
            f"/api/activities/?partnership={slug}&page_size=20", name="/api/activities/?partnership"
        )

    @task(1)
    def api_partnership(self):
        slug = choice(PARTNERSHIPS)
        self.client.get(f"/api/partnerships/{slug}/", name="/api/partnerships/[slug]/")

    @task(1)
    def front_page(self):
        self.client.get("/")

    @task(1)
    def lists(self):
        path = choice(["/partnerships/", "/activities/", "/research-needs/", "/events/"])
        self.client.get(path)

    @task(1)
    def search(self):
        self.client.get(f"/search/?q={choice(SEARCHES)}", name="/search/?q")


class ApiWriter(HttpUser):
    """A script with a write token: creates activities, then edits and reads them."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {os.environ['UNIKOM_LOAD_TOKEN']}"
        self.mine: list[str] = []

    @task(3)
    def create(self):
        if not writing():
            return
        title = new_title("api")
        body = {
            "title": title,
            "activity_type": "research_project",
            "partnerships": [choice(PARTNERSHIPS)],
            "summary": "Laget av lasttesten.",
        }
        with (
            sent(title),
            self.client.post(
                "/api/activities/", json=body, name="POST /api/activities/", catch_response=True
            ) as response,
        ):
            UNANSWERED.pop(title)
            if expect(response, 201):
                data = response.json()
                CONFIRMED[data["public_id"]] = {"title": data["title"], "version": data["version"]}
                self.mine.append(data["public_id"])

    @task(2)
    def edit(self):
        if not self.mine or not writing():
            return
        key = choice(self.mine)
        known = CONFIRMED[key]
        title = new_title("api-edit")
        with self.client.patch(
            f"/api/activities/{key}/",
            json={"title": title, "version": known["version"]},
            name="PATCH /api/activities/[id]/",
            catch_response=True,
        ) as response:
            if expect(response, 200):
                data = response.json()
                CONFIRMED[key] = {"title": data["title"], "version": data["version"]}

    @task(1)
    def read_back(self):
        if not self.mine:
            return
        key = choice(self.mine)
        with self.client.get(
            f"/api/activities/{key}/", name="GET /api/activities/[id]/", catch_response=True
        ) as response:
            if expect(response, 200) and response.json()["title"] != CONFIRMED[key]["title"]:
                response.failure("the API does not give back what it confirmed")


class FormWriter(HttpUser):
    """A coordinator in a browser: signs in, adds activities with the form, edits them."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.mine: list[str] = []
        page = self.client.get("/accounts/login/")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "username": os.environ["UNIKOM_LOAD_USER"],
                "password": os.environ["UNIKOM_LOAD_PASSWORD"],
                "next": "/",
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expect(response, 302)

    def _post(self, path: str, form, name: str):
        return self.client.post(
            path,
            data=form.values(),
            name=name,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + path},
        )

    @task(2)
    def add(self):
        if not writing():
            return
        page = self.client.get("/activities/add/", name="/activities/add/")
        form, options = record_form(page.text)
        title = new_title("form")
        form.set("title", title)
        form.set("activity_type", "research_project")
        choices = [value for value, _selected in options.get("partnerships", []) if value]
        form.set("partnerships", [choice(choices)])
        with sent(title), self._post("/activities/add/", form, "POST /activities/add/") as response:
            UNANSWERED.pop(title)
            if expect(response, 302):
                match = re.search(r"/activities/([0-9a-f-]{36})/", response.headers["Location"])
                CONFIRMED[match.group(1)] = {"title": title, "version": 1}
                self.mine.append(match.group(1))

    @task(1)
    def edit(self):
        if not self.mine or not writing():
            return
        key = choice(self.mine)
        path = f"/activities/{key}/edit/"
        page = self.client.get(path, name="/activities/[id]/edit/")
        form, _options = record_form(page.text)
        title = new_title("form-edit")
        form.set("title", title)
        version = int(form.get("version"))
        with self._post(path, form, "POST /activities/[id]/edit/") as response:
            if expect(response, 302):
                CONFIRMED[key] = {"title": title, "version": version + 1}


@events.quitting.add_listener
def write_record(environment, **_kwargs):
    path = os.environ.get("UNIKOM_LOAD_RECORD")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"confirmed": CONFIRMED, "unanswered": UNANSWERED}, out)
