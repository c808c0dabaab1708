"""Database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import copy

from django.db import models
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
