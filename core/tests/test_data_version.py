"""The data version (core.cache.data_version) moves with every tracked change; on
PostgreSQL its statement is prepared once per connection. Kept results are keyed
by it and by the running code (core.fingerprint)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core import cache, fingerprint
from partnerships.models import Partnership, Theme

pytestmark = pytest.mark.django_db


def test_the_version_moves_with_a_change_and_only_then():
    before = cache.data_version()
    assert cache.data_version() == before
    themes, partnerships = cache.data_version([Theme]), cache.data_version([Partnership])
    Theme.objects.create(slug="kystkultur", name="Kystkultur")
    after = cache.data_version()
    assert after != before
    # Only the versions that include the changed model move. (Two models' versions
    # are counted by separate sequences and may be equal by chance: not compared.)
    assert cache.data_version([Theme]) != themes
    assert cache.data_version([Partnership]) == partnerships
    Partnership.objects.create(name="Ny allianse", slug="ny-allianse", kind="cluster")
    assert cache.data_version() != after
    assert cache.data_version([Partnership]) != partnerships


def test_postgresql_prepares_the_statement_once_per_connection():
    cache.data_version()
    cache.data_version([Theme])
    if connection.vendor == "postgresql":
        # One per set of models, kept for the connection and not prepared again.
        prepared = set(cache._prepared[connection.connection])
        cache.data_version()
        cache.data_version([Theme])
        assert cache._prepared[connection.connection] == prepared
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] >= 2
    else:
        assert not cache._prepared


@pytest.fixture
def fresh_fingerprint():
    fingerprint.code_fingerprint.cache_clear()
    yield fingerprint.code_fingerprint
    fingerprint.code_fingerprint.cache_clear()


def test_kept_results_are_keyed_by_the_running_code_templates_and_translations(
    fresh_fingerprint,
):
    root = Path(settings.BASE_DIR)
    files = {str(p.relative_to(root)) for p in fingerprint._files()}
    assert {"core/cache.py", "templates/base.html", "locale/nb/LC_MESSAGES/django.mo"} <= files
    assert not any(f.startswith(".venv") or "/tests/" in f for f in files)

    before_code, before_key = fresh_fingerprint(), cache.version_key(("page",))
    template = root / "templates" / "base.html"
    stat = template.stat()
    try:
        # A deployment replaces the template: another modification time.
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        fingerprint.code_fingerprint.cache_clear()
        assert fresh_fingerprint() != before_code
        assert cache.version_key(("page",)) != before_key
    finally:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    fingerprint.code_fingerprint.cache_clear()
    assert cache.version_key(("page",)) == before_key
