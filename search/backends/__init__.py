"""One interface over two full-text engines, chosen by database vendor.

``get_backend().matches(parsed_query)`` returns the matching documents (id, kind
and facet values), best first, and ``search`` their ids;
``create_schema`` / ``drop_schema`` run from migration 0001; ``vocabulary``
feeds the typo fallback. Raw SQL lives only in these modules.
"""

from __future__ import annotations

from django.db import connection

from search.backends.base import SearchBackend


def get_backend(conn=None) -> SearchBackend:
    conn = conn or connection
    if conn.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend(conn)
    if conn.vendor == "sqlite":
        from search.backends.sqlite import SqliteBackend

        return SqliteBackend(conn)
    raise NotImplementedError(f"No search backend for {conn.vendor}")
