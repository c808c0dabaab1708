"""The coordinator's journeys end to end in a real browser (Debian's chromium).

One site is set up and served for the module, as `make run` does it. A
coordinator of Universitetskommunen Skien adds an activity, a research need and
a meeting place, finds them on the partnership's profile, edits one, meets an
edit conflict with a second coordinator, trashes a record and restores it; an
organisation editor is refused another partnership's profile; a coordinator
imports a spreadsheet with a bad row, fixes it and imports it again.

The journeys share the site but not their records, so they pass in any order.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support.browser import PASSWORD, screenshot_on_failure, sign_in, watched_page
from tests.support.testing import running_site

pytestmark = pytest.mark.browser

PARTNERSHIP = "usn-skien"
OTHER_PARTNERSHIP = "alesund"
PERSON = "Kari Nordmann-Testesen"

PREPARE = f"""
from django.contrib.auth import get_user_model
from accounts.models import Assignment, Role
from organisations.models import Organisation, Person
from partnerships.models import Partnership

User = get_user_model()
skien = Partnership.objects.get(slug="{PARTNERSHIP}")
for name in ("koordinator", "medkoordinator"):
    user = User.objects.create_user(name, password="{PASSWORD}")
    Assignment.objects.create(user=user, role=Role.COORDINATOR, partnership=skien)
editor = User.objects.create_user("redaktor", password="{PASSWORD}")
Assignment.objects.create(
    user=editor,
    role=Role.ORGANISATION_EDITOR,
    organisation=Organisation.objects.get(name="Skien", memberships__partnership=skien),
)
Person.objects.create(name="{PERSON}")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_refdata):
    with running_site(tmp_path_factory.mktemp("site"), site_refdata, prepare=PREPARE) as base:
        yield base


#: Chromium logs a page answered with an error status as a console error; a
#: journey that expects one (the conflict's 409, a refusal) says so with ``answers``.
STATUS_ERROR = re.compile(r"^Failed to load resource: the server responded with a status of (\d+)")

_expected_statuses: dict[int, list[int]] = {}


@pytest.fixture
def page(browser):
    """A fresh page, as tests/conftest.py's: the test fails if the browser logged
    any console error, except an error status the journey expected (``answers``)."""
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _expected_statuses[id(opened)] = expected = []
    try:
        yield opened
    finally:
        context.close()
        del _expected_statuses[id(opened)]
    unexpected = [e for e in errors if not ((m := STATUS_ERROR.match(e)) and int(m[1]) in expected)]
    assert unexpected == [], unexpected


@contextmanager
def answers(page, status: int) -> Iterator[list]:
    """Within this block the page is expected to be answered with ``status``:
    the status is checked, and Chromium's console error for it is allowed.
    Yields the statuses of the documents loaded in the block."""
    _expected_statuses[id(page)].append(status)
    seen: list[int] = []

    def on_response(response) -> None:
        if response.request.is_navigation_request():
            seen.append(response.status)

    page.on("response", on_response)
    try:
        yield seen
    finally:
        page.remove_listener("response", on_response)
    assert status in seen, seen


def wide(page) -> None:
    """A desktop window: the navigation's groups open without the menu button."""
    page.set_viewport_size({"width": 1280, "height": 900})


def labelled(scope, text: str):
    """The field labelled ``text``, whether or not the label marks it required (*)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(text)}\s*\*?$"))


def told(page) -> str:
    """What the site's messages (saved, moved to the trash, …) say on this page."""
    return page.get_by_role("status").filter(has=page.locator(".message")).inner_text()


def save(page) -> None:
    """Press the form's Save button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()


def open_my_work(page, item: str) -> None:
    """Choose ``item`` in the navigation's group of the signed-in user's own work."""
    page.locator('[data-group="my-work"] > summary').click()
    page.locator('[data-group="my-work"]').get_by_role("link", name=item, exact=True).click()
    page.wait_for_load_state()


def section(page, heading: str):
    """A section of the profile, found by its heading as a screen reader lists it."""
    return page.get_by_role("region", name=heading, exact=True)


def test_a_coordinator_adds_edits_meets_a_conflict_trashes_and_restores(site, page, browser):
    wide(page)
    soon = datetime.date.today() + datetime.timedelta(days=60)

    with screenshot_on_failure(page, "journey-add-activity"):
        sign_in(page, site)
        page.goto(site + "/activities/")
        page.get_by_role("link", name="Legg til en aktivitet").click()
        page.wait_for_url("**/activities/add/")
        labelled(page, "Tittel").fill("Digital hjemmeoppfølging i Skien")
        labelled(page, "Type").select_option(label="Forskningsprosjekt")
        labelled(page, "Status").select_option(label="Pågående")
        labelled(page, "Startdato").fill("2026-01-15")
        # The coordinator's only partnership is chosen already.
        assert page.get_by_label("Universitetskommunen Skien (USN)").is_checked()
        organisations = page.get_by_role("group", name="Organisasjoner med roller")
        labelled(organisations, "Organisasjon").first.select_option(label="Skien")
        labelled(organisations, "Rolle").first.select_option(label="Eier")
        labelled(organisations, "Organisasjon").nth(1).select_option(
            label="Universitetet i Sørøst-Norge"
        )
        labelled(organisations, "Rolle").nth(1).select_option(label="Partner")
        people = page.get_by_role("group", name="Personer med roller")
        labelled(people, "Person").first.select_option(label=PERSON)
        labelled(people, "Rolle").first.select_option(label="Prosjektleder")
        save(page)
        page.wait_for_url(re.compile(r"/activities/[0-9a-f-]{36}/$"))
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Digital hjemmeoppfølging i Skien"
        )
        assert "Lagret." in told(page)
        main = page.locator("main").inner_text()
        assert PERSON in main and "Universitetet i Sørøst-Norge" in main
        activity_url = page.url

    with screenshot_on_failure(page, "journey-post-need"):
        page.goto(site + "/research-needs/")
        page.get_by_role("link", name="Meld inn et behov").click()
        page.wait_for_url("**/research-needs/add/")
        labelled(page, "Tittel").fill("Hvordan holde på sykepleiere i distriktet")
        labelled(page, "Beskrivelse").fill("Kommunen trenger kunnskap om rekruttering.")
        labelled(page, "Meldt inn av").select_option(label="Skien")
        labelled(page, "Partnerskap").select_option(label="Universitetskommunen Skien (USN)")
        page.get_by_label("Studentoppgave").check()
        save(page)
        page.wait_for_url(re.compile(r"/research-needs/[0-9a-f-]{36}/$"))
        assert "Lagret." in told(page)
        need_url = page.url

    with screenshot_on_failure(page, "journey-schedule-event"):
        page.goto(site + "/events/")
        page.get_by_role("link", name="Legg til en møteplass").click()
        page.wait_for_url("**/events/add/")
        labelled(page, "Tittel").fill("Dialogmøte om velferdsteknologi")
        labelled(page, "Type").select_option(label="Dialogmøte")
        labelled(page, "Starter").fill(f"{soon.isoformat()}T09:00")
        labelled(page, "Slutter").fill(f"{soon.isoformat()}T11:30")
        labelled(page, "Sted").fill("Skien rådhus")
        labelled(page, "Arrangør").select_option(label="Skien")
        save(page)
        page.wait_for_url(re.compile(r"/events/[0-9a-f-]{36}/$"))
        assert "Lagret." in told(page)

    with screenshot_on_failure(page, "journey-profile"):
        page.locator("a.own-partnership").click()
        page.wait_for_url(f"**/partnerships/{PARTNERSHIP}/")
        activities = section(page, "Aktiviteter")
        assert activities.get_by_role("link", name="Digital hjemmeoppfølging i Skien").count() == 1
        needs = section(page, "Forskningsbehov")
        assert needs.get_by_role("link", name="Hvordan holde på sykepleiere i distriktet").count()
        events = section(page, "Møteplasser")
        assert f"{soon.day}.{soon.month}.{soon.year} 09:00" in events.inner_text()

    with screenshot_on_failure(page, "journey-edit"):
        events.get_by_role("link", name="Dialogmøte om velferdsteknologi").click()
        page.get_by_role("link", name="Rediger", exact=True).click()
        page.wait_for_url("**/edit/")
        assert labelled(page, "Sted").input_value() == "Skien rådhus"
        labelled(page, "Sted").fill("Campus Porsgrunn, USN")
        save(page)
        assert "Lagret." in told(page)
        assert "Campus Porsgrunn, USN" in page.locator("main").inner_text()

    with screenshot_on_failure(page, "journey-conflict"):
        page.goto(need_url)
        page.get_by_role("link", name="Rediger", exact=True).click()
        page.wait_for_url("**/edit/")
        # A second coordinator, in a browser of their own, saves the need first.
        with (
            watched_page(browser) as other,
            screenshot_on_failure(other, "journey-conflict-other"),
        ):
            sign_in(other, site, "medkoordinator")
            other.goto(need_url)
            other.get_by_role("link", name="Rediger", exact=True).click()
            other.wait_for_url("**/edit/")
            labelled(other, "Tittel").fill("Hvordan beholde sykepleiere")
            save(other)
            assert "Lagret." in told(other)
        labelled(page, "Beskrivelse").fill("Min tekst som ikke skal gå tapt.")
        with answers(page, 409) as seen:
            save(page)
        assert seen == [409]
        alert = page.get_by_role("alert")
        assert "Noen andre lagret denne oppføringen mens du redigerte den." in alert.inner_text()
        # What was typed is kept in the form; the first save is kept in the record.
        assert labelled(page, "Beskrivelse").input_value() == "Min tekst som ikke skal gå tapt."
        page.goto(need_url)
        assert page.get_by_role("heading", level=1).inner_text() == "Hvordan beholde sykepleiere"
        assert "Min tekst som ikke skal gå tapt." not in page.content()

    with screenshot_on_failure(page, "journey-trash"):
        page.goto(activity_url)
        page.get_by_role("link", name="Flytt til papirkurven").click()
        page.get_by_role("button", name="Flytt til papirkurven").click()
        page.wait_for_url("**/trash/")
        assert "Flyttet til papirkurven." in told(page)
        page.locator("a.own-partnership").click()
        page.wait_for_url(f"**/partnerships/{PARTNERSHIP}/")
        assert "Digital hjemmeoppfølging i Skien" not in section(page, "Aktiviteter").inner_text()

    with screenshot_on_failure(page, "journey-restore"):
        open_my_work(page, "Papirkurv")
        page.wait_for_url("**/trash/")
        row = page.get_by_role("row").filter(has_text="Digital hjemmeoppfølging i Skien")
        assert row.count() == 1
        row.get_by_role("button", name="Gjenopprett").click()
        page.wait_for_url(activity_url)
        assert "Gjenopprettet." in told(page)
        # Restored as it was, with its people and organisations.
        main = page.locator("main").inner_text()
        assert PERSON in main and "Universitetet i Sørøst-Norge" in main
        page.locator("a.own-partnership").click()
        page.wait_for_url(f"**/partnerships/{PARTNERSHIP}/")
        activities = section(page, "Aktiviteter")
        assert activities.get_by_role("link", name="Digital hjemmeoppfølging i Skien").count() == 1


def test_an_organisation_editor_is_refused_another_partnerships_profile(site, page, browser):
    wide(page)
    profile = f"{site}/partnerships/{OTHER_PARTNERSHIP}/"
    edit = profile + "edit/"

    with screenshot_on_failure(page, "journey-refused-profile"):
        sign_in(page, site, "redaktor")
        page.goto(profile)
        purpose = section(page, "Formål og tema").inner_text()
        assert page.get_by_role("link", name="Historikk").is_visible()
        assert page.get_by_role("link", name="Rediger profil").count() == 0

    with screenshot_on_failure(page, "journey-refused-edit"):
        # Out of their scope the form is not found (core.views: an edit page does not
        # tell what exists), whether they open it or post to it.
        with answers(page, 404):
            page.goto(edit)
        assert page.get_by_role("heading", level=1).inner_text() == "Ikke funnet"
        assert page.locator("#id_purpose").count() == 0
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        posted = page.request.post(
            edit,
            form={"csrfmiddlewaretoken": token, "purpose": "Overtatt av en redaktør."},
            headers={"Referer": edit},
        )
        assert posted.status == 404

    with screenshot_on_failure(page, "journey-refused-nothing-changed"):
        page.goto(profile)
        assert section(page, "Formål og tema").inner_text() == purpose
        page.get_by_role("link", name="Historikk").click()
        page.wait_for_url("**/history/")
        assert "redaktor" not in page.locator("main").inner_text()

    # A visitor who is not signed in is sent to sign in first.
    with (
        watched_page(browser) as visitor,
        screenshot_on_failure(visitor, "journey-refused-visitor"),
    ):
        visitor.goto(edit)
        visitor.wait_for_url(re.compile(r"/accounts/login/\?next=.*edit"))
        assert visitor.get_by_role("button", name="Logg inn").is_visible()


def test_a_coordinator_fixes_a_bad_row_and_imports_the_spreadsheet(site, page, tmp_path):
    wide(page)
    spreadsheet = tmp_path / "portefolje.csv"
    header = "title;activity_type;status;partnerships;start_date\n"
    good = "Importert: pasientforløp i Grenland;research_project;ongoing;usn-skien;01.02.2026\n"
    bad = "Importert: læring i barnehagen;innovation_project;ongoing;usn-skien;31.02.2026\n"
    spreadsheet.write_text(header + good + bad, encoding="utf-8")

    with screenshot_on_failure(page, "journey-import-problems"):
        sign_in(page, site)
        page.goto(site + "/activities/")
        page.get_by_role("link", name="Importer fra en fil").click()
        page.wait_for_url("**/import/")
        labelled(page, "Hva filen inneholder").select_option(label="Aktiviteter")
        labelled(page, "Fil").set_input_files(str(spreadsheet))
        page.get_by_role("button", name="Sjekk filen").click()
        page.wait_for_url("**/import/*/")
        problems = page.get_by_role("region", name="Problemer").get_by_role("table")
        rows = problems.get_by_role("row")
        assert rows.count() == 2  # the header, and one problem
        cells = rows.nth(1).get_by_role("cell").all_inner_texts()
        assert cells[:2] == ["3", "start_date"], cells
        assert page.get_by_role("button", name="Importer", exact=True).count() == 0

    with screenshot_on_failure(page, "journey-import-again"):
        spreadsheet.write_text(header + good + bad.replace("31.02.2026", "28.02.2026"))
        page.get_by_role("link", name="Importer en fil til").click()
        page.wait_for_url("**/import/")
        labelled(page, "Hva filen inneholder").select_option(label="Aktiviteter")
        labelled(page, "Fil").set_input_files(str(spreadsheet))
        page.get_by_role("button", name="Sjekk filen").click()
        page.wait_for_url("**/import/*/")
        assert page.locator('[data-count="created"]').inner_text() == "2"
        assert page.locator('[data-count="problems"]').inner_text() == "0"
        with page.expect_navigation():
            page.get_by_role("button", name="Importer", exact=True).click()
        assert page.locator("[data-state]").get_attribute("data-state") == "committed"
        assert page.get_by_role("button", name="Angre importen").is_visible()

    with screenshot_on_failure(page, "journey-import-found"):
        page.goto(site + "/activities/")
        labelled(page, "Tittelen inneholder").fill("Importert:")
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url("**/activities/?*q=*")
        results = page.get_by_role("region", name=re.compile(r"^2 aktiviteter"))
        assert "Importert: pasientforløp i Grenland" in results.inner_text()
        assert "Importert: læring i barnehagen" in results.inner_text()
