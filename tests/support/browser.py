"""What the browser tests share: Debian's chromium through Playwright, a page that
fails the test on any console error, screenshots of failing steps, and signing in.

Fixtures built on these live in tests/conftest.py (``browser``, ``page``); each
test module serves its own site with ``tests.support.testing.running_site``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.testing import CHROMIUM_ARGS, chromium_path

#: Where a failing step leaves its screenshot (ignored by git, kept by CI as an artefact).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "browser"

#: The password of every account the browser tests create.
PASSWORD = "et-langt-passord-2026"  # noqa: S105 (test accounts on loopback)


@contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Run a step; if it fails, keep what the browser showed as test-results/browser/NAME.png."""
    try:
        yield
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        raise


@contextmanager
def launched_chromium() -> Iterator[object]:
    """Debian's chromium, headless; skipped where it is missing, failed in CI."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser, **context_options) -> Iterator[object]:
    """A page in a new browser context; any console error fails the test at the end."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


def sign_in(page, site: str, username: str = "koordinator", password: str = PASSWORD) -> None:
    """Sign in through the site's own form, as a person would."""
    page.goto(site + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
