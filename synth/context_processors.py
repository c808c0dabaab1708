"""Every page says so when the data is synthetic (templates/synth/_banner.html)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.utils.functional import SimpleLazyObject

from synth.models import SyntheticLoad


def _current():
    """The newest synthetic load, with only what the banner shows (scale, seed).

    Read with one plain statement rather than a queryset: it runs on every page,
    and building the queryset cost more than the query.
    """
    quote = connection.ops.quote_name
    table = quote(SyntheticLoad._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('id')}, {quote('seed')}, {quote('scale')} FROM {table} "  # noqa: S608
                f"ORDER BY {quote('created')} DESC, {quote('id')} DESC LIMIT 1"
            )
            row = cursor.fetchone()
    except DatabaseError:  # a database not migrated for synth yet: no banner, no error page
        return None
    if row is None:
        return None
    return SyntheticLoad(id=row[0], seed=row[1], scale=row[2])


def synthetic(request) -> dict:
    """``synthetic_load``: the synthetic set in the database, or None (one query,
    made only when a page reads it)."""
    return {"synthetic_load": SimpleLazyObject(_current)}
