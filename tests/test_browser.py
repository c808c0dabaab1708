"""End to end in a real browser (Debian's chromium through Playwright).

One site is set up and served for the whole module, as `make run` does it;
the tests then use it as a visitor would, keyboard included.
"""

from __future__ import annotations

import pytest

from tests.support.browser import PASSWORD, screenshot_on_failure, sign_in
from tests.support.testing import running_site

pytestmark = pytest.mark.browser

PREPARE = f"""
from django.contrib.auth import get_user_model
from accounts.models import Assignment, Role
from partnerships.models import Partnership
user = get_user_model().objects.create_user("koordinator", password="{PASSWORD}")
Assignment.objects.create(
    user=user, role=Role.COORDINATOR, partnership=Partnership.objects.get(slug="usn-skien")
)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_refdata):
    with running_site(tmp_path_factory.mktemp("site"), site_refdata, prepare=PREPARE) as base:
        yield base


def test_a_visitor_goes_from_the_map_to_a_profile(site, page):
    page.goto(site + "/")
    assert page.locator("h1").inner_text().startswith("Partnerskap mellom kommuner")
    assert page.locator(".members a").count() >= 29
    inter_loaded = """document.fonts.ready.then(() => [...document.fonts].some(
        f => f.family === 'Inter' && f.status === 'loaded'))"""
    assert page.evaluate(inter_loaded)  # the vendored font, served by the app
    page.locator('.members a[aria-label^="Vestvågøy"]').click()
    page.wait_for_url("**/partnerships/kunnskapskommunen-helseomsorg-nord/")
    assert "listen er ufullstendig" in page.content()


def test_a_printed_profile_keeps_the_content_and_the_attribution(site, page):
    page.goto(site + "/partnerships/universitetskommunen-kongsvinger/")
    page.emulate_media(media="print")
    assert page.get_by_role("heading", level=1).is_visible()
    assert not page.locator(".site-header").is_visible()  # navigation and search
    assert "Statistisk sentralbyrå" in page.locator(".attribution").inner_text()
    assert page.locator(".attribution").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_the_language_switch_keeps_the_page(site, page):
    page.goto(site + "/partnerships/?kind=cluster")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/partnerships/?kind=cluster")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Partnerships"
    page.get_by_role("button", name="Norsk").click()
    page.wait_for_url("**/partnerships/?kind=cluster")
    assert page.locator("html").get_attribute("lang") == "nb"


def test_on_a_phone_the_menu_button_shows_the_navigation(site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        with screenshot_on_failure(page, "phone-menu"):
            page.goto(site + "/")
            no_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
            assert page.evaluate(no_scroll)
            registry = page.locator('[data-group="registry"] a[href="/partnerships/"]')
            assert not registry.is_visible()
            page.locator(".menu-button").click()
            page.locator('[data-group="registry"] > summary').click()
            assert registry.is_visible()
            assert page.evaluate(no_scroll)
            registry.click()
            page.wait_for_url("**/partnerships/")
            assert page.evaluate(no_scroll)
    finally:
        context.close()


def test_on_a_wide_screen_the_groups_open_without_a_menu_button(site, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    with screenshot_on_failure(page, "wide-menu"):
        page.goto(site + "/partnerships/")
        assert not page.locator(".menu-button").is_visible()
        insights = page.locator('[data-group="insights"] > summary')
        assert insights.is_visible()
        insights.focus()
        page.keyboard.press("Enter")
        page.locator('[data-group="insights"] a[href="/insights/gaps/"]').click()
        page.wait_for_url("**/insights/gaps/")


def test_filters_work_from_the_keyboard(site, page):
    page.goto(site + "/partnerships/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.select_option("#id_kind", "cluster")
    page.get_by_role("button", name="Vis", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/partnerships/?*kind=cluster*")
    assert page.locator(".card").count() == 3


def test_compare_two_partnerships(site, page):
    page.goto(site + "/compare/")
    page.check("#cmp-usn-drammen")
    page.check("#cmp-alesund")
    page.get_by_role("button", name="Sammenlign").click()
    assert page.locator("table.compare thead th").count() == 2


def test_a_coordinator_edits_the_profile_and_finds_the_change_in_history(site, page):
    page.goto(site + "/partnerships/usn-skien/")
    page.get_by_role("link", name="Logg inn").click()
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/partnerships/usn-skien/")
    page.get_by_role("link", name="Rediger profil").click()
    page.fill("#id_purpose", "Samarbeid om helse og velferd, testet i nettleser.")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/partnerships/usn-skien/")
    assert "testet i nettleser" in page.content()
    page.get_by_role("link", name="Historikk").click()
    assert "koordinator" in page.content()
    assert "testet i nettleser" in page.content()


def test_the_api_docs_run_under_the_content_security_policy(site, page):
    # Swagger UI is served by the app itself; the page fixture fails on any
    # console error, so a blocked script or style would fail this test.
    page.goto(site + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 20
    assert "/api/activities/" in page.content()


def test_a_coordinator_imports_a_spreadsheet_finds_it_exported_and_undoes_it(site, page, tmp_path):
    csv_file = tmp_path / "aktiviteter.csv"
    csv_file.write_text(
        "title;activity_type;status;partnerships;start_date\n"
        "Velferdsteknologi i hjemmetjenesten;research_project;ongoing;usn-skien;01.02.2026\n",
        encoding="utf-8",
    )
    sign_in(page, site)
    page.goto(site + "/import/")
    page.select_option("#id_kind", "activities")
    page.set_input_files("#id_file", str(csv_file))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/import/*/")
    assert page.locator('[data-count="created"]').inner_text() == "1"
    batch_url = page.url
    page.locator(f'form[action$="{batch_url.split(site)[1]}commit/"] button').click()
    page.wait_for_load_state()

    page.goto(site + "/activities/?partnership=usn-skien")
    assert "Velferdsteknologi i hjemmetjenesten" in page.content()
    exported = page.request.get(site + "/export/activities.csv?partnership=usn-skien").text()
    assert "Velferdsteknologi i hjemmetjenesten" in exported and "2026-02-01" in exported

    page.goto(batch_url)
    page.locator('form[action$="undo/"] button').click()
    page.wait_for_load_state()
    page.goto(site + "/activities/?partnership=usn-skien")
    assert "Velferdsteknologi i hjemmetjenesten" not in page.content()
