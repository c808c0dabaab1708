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
