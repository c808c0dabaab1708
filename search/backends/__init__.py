"""One interface over two full-text engines, chosen by database vendor.

``get_backend().matches(parsed_query)`` returns the matching documents (id, kind
and facet values), best first, and ``search`` their ids;
``create_schema`` / ``drop_schema`` run from migration 0001; ``vocabulary``
feeds the typo fallback. Raw SQL lives only in these modules.
"""

from __future__ import annotations

from django.db import connection

from search.backends.base import SearchBackend
from search.backends.postgres import PostgresBackend
from search.backends.sqlite import SqliteBackend

BACKENDS: dict[str, type[SearchBackend]] = {
    "postgresql": PostgresBackend,
    "sqlite": SqliteBackend,
}


def get_backend(conn=None) -> SearchBackend:
    conn = conn or connection
    backend = BACKENDS.get(conn.vendor)
    if backend is None:
        raise NotImplementedError(f"No search backend for {conn.vendor}")
    return backend(conn)
