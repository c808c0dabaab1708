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
    """The national reference files (../shared/data/ref beside the checkout, or
    UNIKOM_TEST_REFDATA_DIR). Tests of the loaders and of the official figures
    need them; without them they are skipped, unless the folder was named
    explicitly (CI names it), and then its absence fails the run."""
    from tests.support.testing import national_refdata

    return national_refdata()


@pytest.fixture(scope="session")
def site_refdata() -> Path | None:
    """What servers that tests start load: the national files when present,
    else None (the snapshot shipped in the package)."""
    from tests.support.testing import national_refdata_or_none

    return national_refdata_or_none()


def load_test_data() -> None:
    """What every test database holds: the reference data (the national files
    when present, else the snapshot shipped in the package) and the bundled dataset."""
    from organisations.refdata import load_directory, load_snapshot
    from partnerships.dataset import load_bundled
    from tests.support.testing import national_refdata_or_none

    folder = national_refdata_or_none()
    load_directory(folder) if folder else load_snapshot()
    load_bundled()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """The test database: migrated, with the reference data (the national files
    when present, else the snapshot shipped in the package) and the bundled
    dataset. Built once per run and copied into each worker (tests.support.database)."""
    from tests.support import database

    workerinput = getattr(request.config, "workerinput", None)
    with django_db_blocker.unblock():
        state = database.set_up(
            workerinput, load_test_data, verbosity=request.config.option.verbose
        )
    yield
    with django_db_blocker.unblock():
        database.tear_down(state)


def pytest_configure(config):
    """Tests keep cached values in their own process's memory. The site's default
    cache is a folder in UNIKOM_DATA_DIR shared by every process, where parallel
    test workers (each with a database of its own, whose history ids and so
    core.cache's keys coincide) would read each other's pages and empty each
    other's cache. Servers that tests start in subprocesses keep the default,
    in a data folder of their own.

    An xdist controller names the run itself, so that it knows which base
    database to remove when the run ends (pytest_unconfigure)."""
    import tempfile
    import uuid

    if getattr(config.option, "numprocesses", None) and not getattr(
        config.option, "testrunuid", None
    ):
        config.option.testrunuid = uuid.uuid4().hex

    from django.test.utils import override_settings

    config._unikom_data_dir = Path(tempfile.mkdtemp(prefix="unikom-test-data-"))
    override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        # Files the site keeps (opendata.kept) go to a folder of this test process.
        DATA_DIR=config._unikom_data_dir,
    ).enable()


def pytest_unconfigure(config):
    import shutil

    if folder := getattr(config, "_unikom_data_dir", None):
        shutil.rmtree(folder, ignore_errors=True)
    # The controlling process of an xdist run removes the base database its
    # workers were copied from.
    uid = getattr(config.option, "testrunuid", None)
    if uid and not hasattr(config, "workerinput"):
        from pytest_django.plugin import blocking_manager_key

        from tests.support import database

        with config.stash[blocking_manager_key].unblock():
            database.remove_base(uid)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache and no kept or noted downloads: ids (and so
    core.cache's data versions) come round again after a rolled-back test on
    SQLite."""
    import shutil

    from django.conf import settings
    from django.core.cache import cache

    def empty():
        cache.clear()
        for name in ("exports", "prepare"):  # kept downloads, and those to prepare
            shutil.rmtree(Path(settings.DATA_DIR) / name, ignore_errors=True)

    empty()
    yield
    empty()


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


@pytest.fixture
def inbox(settings):
    """Mail goes through Django's SMTP backend to a real SMTP server on loopback
    (aiosmtpd); the fixture is what it received (tests.support.testing.Inbox)."""
    from tests.support.testing import smtp_server

    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield box


@pytest.fixture(autouse=True)
def exports_read_in_one_thread(settings):
    """Exports read their batches in the test's own thread: on PostgreSQL a test's
    data is in its open transaction, which another thread's connection does not
    see (opendata.exports.read_ahead; its own tests turn it back on)."""
    settings.UNIKOM_EXPORT_READ_AHEAD = False


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in bokmål: a request in another language (the language
    middleware activates it for the thread) must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def handler_keeps_connections(monkeypatch):
    """Requests that ``core.prepare`` sends through the site's own WSGI handler
    leave the test's database connection open, as Django's test client does
    around each of its requests: the handler closes connections when a request
    starts and ends, and a test runs inside a transaction (on PostgreSQL its
    data would be gone)."""
    from django.core import signals
    from django.db import close_old_connections

    from core import prepare

    replay = prepare.replay

    def keeping(recipe, handler=None):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return replay(recipe, handler)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    monkeypatch.setattr(prepare, "replay", keeping)
