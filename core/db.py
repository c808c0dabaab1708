"""Database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import copy

from django.db import connection, models
from django.db.models.expressions import OrderBy


class OrderingIndex(models.Index):
    """An index whose columns follow an ``ORDER BY … DESC NULLS LAST``.

    PostgreSQL needs the ``NULLS LAST`` in the index for the planner to read rows
    in that order; SQLite refuses the words in an index but sorts NULLs last in
    descending order anyway, so it gets the same index without them.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = copy.copy(self)
        plain.expressions = tuple(_without_nulls_last(e) for e in self.expressions)
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)


def _without_nulls_last(expression):
    if isinstance(expression, OrderBy) and expression.descending and expression.nulls_last:
        return OrderBy(expression.expression, descending=True)
    return expression


def refresh_statistics() -> str:
    """Let the query planner learn the tables' sizes and spreads: ``ANALYZE`` on
    both databases (on SQLite from a sample of each index, a second or two at
    national scale). Returns the statement run, or "" for another database.

    Without statistics SQLite guesses, and a guess can turn a count of 200,000
    activities into a probe of every partnership for every activity.
    """
    if connection.vendor == "postgresql":
        statements = ["ANALYZE"]
    elif connection.vendor == "sqlite":
        statements = ["PRAGMA analysis_limit=2000", "ANALYZE", "PRAGMA optimize"]
    else:
        return ""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return "; ".join(statements)


def copy_sql(table: str, columns: list[str]) -> str:
    """PostgreSQL's ``COPY table (columns) FROM STDIN``, for :func:`copy_rows`."""
    quote = connection.ops.quote_name
    return f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def copy_rows(cursor, sql: str, rows) -> None:
    """Send ``rows`` to a ``COPY … FROM STDIN`` as one stream (PostgreSQL, psycopg 3):
    about ten times the rows a second of a pipelined ``executemany``. Row triggers
    and constraints apply as for an ``INSERT``."""
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
