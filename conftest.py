"""Test set-up shared by every app.

The test database gets the reference data (../shared/data/ref beside the
checkout, or the folder in UNIKOM_TEST_REFDATA_DIR) and the bundled dataset
once per session; each test runs in a transaction that is rolled back, so
tests may change anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def refdata_dir() -> Path:
    from core.testing import refdata_dir as configured

    folder = configured()
    if not (folder / "municipalities.csv").exists():
        pytest.fail(f"reference data not found in {folder}; set UNIKOM_TEST_REFDATA_DIR")
    return folder


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, refdata_dir):
    from organisations.refdata import load_directory
    from partnerships.dataset import load_bundled

    with django_db_blocker.unblock():
        load_directory(refdata_dir)
        load_bundled()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids (and so core.cache's data
    versions) come round again after a rolled-back test on SQLite."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The fixed cast of the workspace tests (as healthchecks' BaseTestCase): the
# partnership USN–Drammen and its member Drammen are "own", USN–Skien and Skien
# are "other".


@pytest.fixture
def partnership():
    from partnerships.models import Partnership

    return Partnership.objects.get(slug="usn-drammen")


@pytest.fixture
def other_partnership():
    from partnerships.models import Partnership

    return Partnership.objects.get(slug="usn-skien")


@pytest.fixture
def drammen():
    from organisations.models import Organisation

    return Organisation.objects.get(slug="drammen")


@pytest.fixture
def skien():
    from organisations.models import Organisation

    return Organisation.objects.get(slug="skien")


@pytest.fixture
def usn():
    from organisations.models import Organisation

    return Organisation.objects.get(slug="usn")


@pytest.fixture
def theme():
    from partnerships.models import Theme

    return Theme.objects.get(slug="helse-og-omsorg")


def _user(username: str, **assignment):
    from django.contrib.auth import get_user_model

    from accounts.models import Assignment

    user = get_user_model().objects.create_user(username)
    if assignment:
        Assignment.objects.create(user=user, **assignment)
    return user


@pytest.fixture
def coordinator(partnership):
    """Coordinates USN–Drammen."""
    return _user("coordinator", role="coordinator", partnership=partnership)


@pytest.fixture
def editor(drammen):
    """Edits for Drammen kommune."""
    return _user("editor", role="organisation_editor", organisation=drammen)


@pytest.fixture
def reader():
    """Signed in, without a role."""
    return _user("reader")


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in bokmål: a request in another language (the language
    middleware activates it for the thread) must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
