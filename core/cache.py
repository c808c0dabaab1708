"""Results kept until the data they were computed from changes.

Every change made through the site, the API, an import or ``unikom synth``
writes a row to the history of the record it changed (simple-history). The
newest history id of a model is therefore a version number of its data, which
the database answers from the end of an index whatever the size of the table.
A cached value is stored under the versions of the models it was computed from,
so the first request after a change computes it afresh and every later one
reads it from the cache. A change that bypasses the history (raw SQL) is picked
up when the entry expires (``UNIKOM_CACHE_SECONDS``, ten minutes by default).

The default cache is local to each server process unless ``CACHES`` points at a
shared one; either way no process serves a value older than the data it has
seen change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.utils.translation import get_language

T = TypeVar("T")


def data_version(models: Iterable[type[Model]]) -> str:
    """The newest history id of each model, in one query."""
    tables = [m.history.model._meta.db_table for m in models]
    quote = connection.ops.quote_name
    # Table names come from the models, never from a request.
    columns = ", ".join(f"(SELECT MAX(history_id) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return ".".join(str(v or 0) for v in cursor.fetchone())


def remember(
    name: str,
    parts: Iterable,
    models: Iterable[type[Model]],
    compute: Callable[[], T],
) -> T:
    """``compute()``, or its stored value while ``models``' data is unchanged.

    ``parts`` is everything else the value depends on (the filters, whether the
    reader is signed in); the active language is added, for values holding text.
    """
    key_parts = repr((tuple(parts), get_language(), data_version(models)))
    key = f"unikom:{name}:" + hashlib.sha256(key_parts.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.UNIKOM_CACHE_SECONDS)
    return value
