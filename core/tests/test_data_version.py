"""The data version (core.cache.data_version) moves with every tracked change; on
PostgreSQL its statement is prepared once per connection."""

from __future__ import annotations

import pytest
from django.db import connection

from core import cache
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
