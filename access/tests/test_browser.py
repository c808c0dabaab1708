"""The invitation journey in a real browser (Debian's chromium through Playwright):
a coordinator invites, the invitee opens the link from the e-mail the site sent
through SMTP, creates an account and lands with the role."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import launched_chromium
from tests.support.testing import mail_settings, running_site, smtp_server

pytestmark = pytest.mark.browser

PREPARE = """
from django.contrib.auth import get_user_model
from accounts.models import Assignment, Role
from partnerships.models import Partnership
user = get_user_model().objects.create_user(
    "koordinator", "koordinator@example.no", "et-langt-passord-2026"
)
Assignment.objects.create(
    user=user, role=Role.COORDINATOR, partnership=Partnership.objects.get(slug="usn-skien")
)
"""


@pytest.fixture(scope="module")
def mail_server():
    with smtp_server() as (box, port):
        yield box, port


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_refdata, mail_server):
    _box, port = mail_server
    environ = mail_settings(port)
    with running_site(
        tmp_path_factory.mktemp("site"), site_refdata, prepare=PREPARE, environ=environ
    ) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


def new_page(browser, errors: list[str]):
    context = browser.new_context()
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page


def test_an_invitee_follows_the_emailed_link_creates_an_account_and_has_the_role(
    site, browser, mail_server
):
    inbox, _port = mail_server
    errors: list[str] = []

    coordinator = new_page(browser, errors)
    coordinator.goto(site + "/accounts/login/?next=/accounts/me/")
    coordinator.fill("#id_username", "koordinator")
    coordinator.fill("#id_password", "et-langt-passord-2026")
    coordinator.locator("main form button[type=submit]").click()
    coordinator.wait_for_url("**/accounts/me/")
    coordinator.locator('a[href="/access/invitations/new/"]').click()
    coordinator.wait_for_url("**/access/invitations/new/")
    coordinator.fill("#id_email", "kari@example.no")
    coordinator.select_option("#id_role", "coordinator")
    coordinator.select_option("#id_partnership", "usn-skien")
    coordinator.locator("main form button[type=submit]").click()
    coordinator.wait_for_url("**/access/invitations/")
    assert "kari@example.no" in coordinator.locator("table").inner_text()

    (message,) = inbox.to("kari@example.no")
    link = re.search(r"http://\S+/access/invitation/\S+/", inbox.body(message)).group(0)
    assert link.startswith(site)

    invitee = new_page(browser, errors)
    invitee.goto(link)
    assert invitee.input_value("#id_email") == "kari@example.no"
    invitee.fill("#id_username", "kari")
    invitee.fill("#id_password1", "et-langt-passord-for-kari-2026")
    invitee.fill("#id_password2", "et-langt-passord-for-kari-2026")
    invitee.locator("main form.record-form button[type=submit]").click()
    invitee.wait_for_url("**/accounts/me/")
    assert "kari" in invitee.locator("header").inner_text()
    roles = invitee.locator("main table").first.inner_text()
    assert "Universitetskommunen Skien" in roles or "USN" in roles
    # The role works: the partnership's profile can be edited.
    invitee.goto(site + "/partnerships/usn-skien/edit/")
    assert invitee.locator("#id_purpose").count() == 1

    assert errors == [], errors

    # The link was for one use (the browser logs the 410 as an error, as it should).
    again = new_page(browser, [])
    response = again.goto(link)
    assert response.status == 410
    assert again.locator("main [role=alert]").count() == 1
