"""Writing and deleting rows in bulk, fast enough for millions of rows.

``bulk_create`` prepares every value of every row through the field API and,
on SQLite, splits the rows into statements of 999 parameters (43 activities
each): about 12,000 rows a second, and half that with history. Here Django's
own insert compiler builds the ``INSERT`` statement once per table and the
rows go to ``executemany`` in batches (on PostgreSQL, to ``COPY``); each
value is prepared by its field's ``get_db_prep_save`` as the ORM would,
except plain strings, numbers and ids, which the database drivers take as
they are.

History: every table with simple-history gets its historical rows ("+",
created) written alongside, from the same values, with one date, change
reason and user — what ``bulk_create_with_history`` writes, without its second
pass.

Rows are written with their ids (``unikom synth`` numbers them; an import
takes them from :func:`reserve_ids`), so that rows pointing at them (roles,
history) can be written in the same pass without reading anything back.

Deleting goes the other way: :func:`purge` removes rows matching a filter and
everything that depends on them, following each foreign key's ``on_delete``
(cascade, or set null), without loading the rows or sending signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Max, Q
from django.db.models.sql import InsertQuery

from core.db import copy_rows, copy_sql

PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}
BATCH = 5000
_MISSING = object()


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The simple-history model of ``model``, or None when it keeps no history."""
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


def insert_sql(model: type[models.Model], fields: list[models.Field]) -> str:
    """The statement that writes rows of ``fields``.

    On PostgreSQL, ``COPY … FROM STDIN``, for which psycopg sends the rows as
    one stream (ten times the rows a second of a pipelined ``executemany``);
    elsewhere the ``INSERT`` for one row, compiled by Django.
    """
    if connection.vendor == "postgresql":
        return copy_sql(model._meta.db_table, [f.column for f in fields])
    query = InsertQuery(model)
    query.insert_values(fields, [model()], raw=True)
    [(sql, _params)] = query.get_compiler(connection=connection).as_sql()
    return sql


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in PLAIN_TYPES:
        return None
    last: list[Any] = [_MISSING, None]
    # The thread's connection itself: ``django.db.connection`` is a proxy that
    # looks it up on every use (a tenth of an import's writing).
    own = connections[DEFAULT_DB_ALIAS]

    def convert(value: Any) -> Any:
        # Constants (the load's time stamp) repeat row after row: prepare them once.
        if value is last[0]:
            return last[1]
        prepared = None if value is None else field.get_db_prep_save(value, own)
        last[0], last[1] = value, prepared
        return prepared

    return convert


class Table:
    """Rows of one model, buffered and written with ``executemany``.

    ``add(row)`` takes the values by attribute name (``organisation_id``);
    fields left out get their default, and ``auto_now`` fields the load's
    time. The primary key is written when the model's rows are given ids
    (``explicit_ids``), left to the database otherwise (many-to-many rows).
    """

    def __init__(
        self,
        model: type[models.Model],
        sink: Sink,
        *,
        explicit_ids: bool = True,
        history: bool = True,
    ) -> None:
        self.model = model
        self.sink = sink
        self.label = model._meta.label
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if explicit_ids or not f.primary_key]
        self.columns = []
        for f in self.fields:
            self.columns.append((f.attname, _converter(f), _default(f, sink)))
        self.sql = insert_sql(model, self.fields) if sink.writes else ""
        self.rows: list[list] = []
        self.written = 0
        self.history = None
        historical = history_model(model) if history else None
        if historical is not None:
            tracked = {f.attname for f in historical.tracked_fields}
            hfields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
            position = {f.attname: i for i, f in enumerate(self.fields)}
            self.history = historical
            # Each history column: the value at this position of the record's row,
            # or (position -1) a constant: the date, the change reason, "+".
            self.history_plan = [
                (position[f.attname], None)
                if f.attname in tracked
                else (-1, _history_constant(f.attname, sink))
                for f in hfields
            ]
            self.history_sql = insert_sql(historical, hfields) if sink.writes else ""
            self.history_rows: list[list] = []
            self.history_written = 0

    def add(self, row: dict[str, Any]) -> None:
        values = []
        append = values.append
        get = row.get
        for attname, convert, default in self.columns:
            value = get(attname, _MISSING)
            if value is _MISSING:
                if default is None:
                    raise KeyError(f"{self.label}.{attname} needs a value")
                value = default()
            append(value if convert is None else convert(value))
        self.rows.append(values)
        if self.history is not None:
            self.history_rows.append(
                [values[i] if i >= 0 else constant for i, constant in self.history_plan]
            )
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.sink.write(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []
        if self.history is not None and self.history_rows:
            self.sink.write(self.history_sql, self.history_rows)
            self.history_written += len(self.history_rows)
            self.history_rows = []


def _default(field: models.Field, sink: Sink) -> Callable[[], Any] | None:
    """What a field left out of a row gets, or None when it must be given."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: sink.now
    if field.has_default():
        if callable(field.default):
            return field.get_default
        value = field.get_default()
        return lambda: value
    if field.null:
        return lambda: None
    return None


def _history_constant(attname: str, sink: Sink) -> Any:
    if attname == "history_date":
        return sink.prepared_now
    if attname == "history_type":
        return "+"
    if attname == "history_change_reason":
        return sink.reason
    if attname == "history_user_id":
        return sink.user_id
    return None  # anything else simple-history adds


class Sink:
    """Where tables write: the database (``writes``) or nowhere (a dry run)."""

    def __init__(self, *, now, reason: str, writes: bool = True, user_id: int | None = None):
        self.now = now
        self.reason = reason
        self.user_id = user_id  # the history's editor: nobody for a synthetic set
        self.writes = writes
        field = models.DateTimeField()
        self.prepared_now = field.get_db_prep_save(now, connection) if writes else now
        self.tables: dict[str, Table] = {}

    def table(self, model: type[models.Model], **options) -> Table:
        label = model._meta.label
        if label not in self.tables:
            self.tables[label] = Table(model, self, **options)
        return self.tables[label]

    def write(self, sql: str, rows: list[list]) -> None:
        if not self.writes:
            return
        with connection.cursor() as cursor:
            if sql.startswith("COPY "):
                copy_rows(cursor, sql, rows)
            else:
                cursor.executemany(sql, rows)

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def counts(self) -> dict[str, int]:
        """Rows written per table, history tables included."""
        out = {}
        for label, table in self.tables.items():
            out[label] = table.written
            if table.history is not None:
                out[table.history._meta.label] = table.history_written
        return out


def write_instances(sink: Sink, objects: list[models.Model]) -> None:
    """Add unsaved instances of one model to ``sink`` under ids from
    :func:`reserve_ids` (set on them, as ``save()`` would); their ``auto_now``
    fields take the sink's time."""
    if not objects:
        return
    model = type(objects[0])
    table = sink.table(model)
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    names = [f.attname for f in table.fields]
    table.flush()  # rows still buffered hold ids that SQLite's reservation must see
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
        for attname in stamped:
            setattr(obj, attname, sink.now)
        obj._state.adding = False
        table.add({name: getattr(obj, name) for name in names})


def reserve_ids(model: type[models.Model], count: int, conn=None) -> list[int]:
    """``count`` ids no other writer gets, for rows written with their ids, on
    ``conn`` (the thread's connection by default; the search index's writing
    thread passes the rebuild's own).

    PostgreSQL hands them out from the table's sequence (concurrent writers get
    others). On SQLite the transaction holds the database's write lock from its
    start (``transaction_mode`` IMMEDIATE in the settings), so the ids above
    every id used so far (the table, its history, and AUTOINCREMENT's counter)
    stay free until it commits; under a transaction that does not hold the lock
    yet, a writer in between makes this one fail as a whole, never write twice
    under one id.
    """
    if count <= 0:
        return []
    conn = conn or connection
    table = model._meta.db_table
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [conn.ops.quote_name(table), model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not conn.in_atomic_block:
            raise RuntimeError("reserve_ids() needs a transaction: the ids are held until it ends")
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        counter = cursor.fetchone()
    first = max(next_id(model), (counter[0] + 1) if counter else 1)
    return list(range(first, first + count))


def next_id(model: type[models.Model]) -> int:
    """The first id above every id the table has used, deleted records included
    (their ids live on in the history)."""
    top = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    historical = history_model(model)
    if historical is not None:
        top = max(top, historical._base_manager.aggregate(top=Max("id"))["top"] or 0)
    return top + 1


def reset_sequences(models_: list[type[models.Model]]) -> None:
    """After rows were written with explicit ids, PostgreSQL's sequences must
    move past them (SQLite's AUTOINCREMENT follows by itself)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def purge(model: type[models.Model], where: Q, counts: dict[str, int] | None = None) -> int:
    """Delete the rows of ``model`` matching ``where`` and what depends on them.

    Rows that reference them are deleted too when their foreign key cascades
    (or protects: a link row to a record that goes), and set to null when it
    says so; simple-history's rows point with ``DO_NOTHING`` and are left to
    the caller. No row is loaded and no signal is sent. Returns the number of
    rows deleted, dependents included, and adds them up per model in ``counts``.
    """
    deleted = 0
    selected = model._base_manager.filter(where)
    for rel in model._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ManyToOneRel):
            continue
        on_delete = rel.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        related = rel.related_model
        refers = Q(**{f"{rel.field.name}__in": selected.values("pk")})
        if on_delete in (models.CASCADE, models.PROTECT):
            deleted += purge(related, refers, counts)
        elif on_delete is models.SET_NULL:
            related._base_manager.filter(refers).update(**{rel.field.name: None})
        else:  # SET_DEFAULT, SET(...), RESTRICT: not used by unikom's models
            raise NotImplementedError(f"{related._meta.label}.{rel.field.name}: {on_delete}")
    own = selected._raw_delete(selected.db)
    if counts is not None and own:
        counts[model._meta.label] = counts.get(model._meta.label, 0) + own
    return deleted + own
