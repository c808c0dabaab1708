"""Fixtures of the tests that run real servers (test_load, test_faults, test_deployment)
and of the browser tests (``browser``, ``page``)."""

from __future__ import annotations

import pytest

from tests.support import servers
from tests.support.browser import launched_chromium, watched_page


@pytest.fixture(scope="session")
def prepared_sites(tmp_path_factory, site_refdata):
    """Prepared databases, set up once per test process and copied for each test."""
    made = servers.Templates(tmp_path_factory.mktemp("templates"), site_refdata)
    yield made
    made.close()


@pytest.fixture
def make_site(prepared_sites, tmp_path):
    """``make_site("sqlite" | "postgresql")``: a new copy of the prepared site."""
    made = []

    def make(kind: str, name: str = "site"):
        if kind == "postgresql":
            servers.require_postgresql()
        site = prepared_sites.site(kind, tmp_path / f"{name}-{kind}")
        made.append(site)
        return site

    yield make
    for site in made:
        servers.drop_site(site)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium for one test module (skipped where missing, failed in CI)."""
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the browser logged any console error."""
    with watched_page(browser) as opened:
        yield opened
