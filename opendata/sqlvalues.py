"""A kind's export values worked out by the database, for the largest kind.

An export row costs about 50 µs in Python when its values come from model
records: the record made from the driver's row, the related lists put
together, and 23 getters (``columns.row_values``). For the activities, the
database can give each row's values itself, in the row it already reads: the
slugs and names of the owners by a join, the lists of partnerships, themes
and roles by a subquery each, the empty text as NULL. Python then only sorts
the lists, reads SQLite's dates and fills in the page address, so the
writers get the same dictionaries as ``row_values`` gives, in a fraction of
the time.

``VALUES`` holds, for each kind done this way, every column's expression and
the conversion its value needs on each database. It is a second definition of
those columns beside ``opendata.columns``; ``opendata/tests/test_sqlvalues.py``
compares the two on every record of a data set made to find differences
(trashed partnerships, formula characters, empty text, several
roles...) on SQLite and on PostgreSQL, and checks that every column is here.
A kind without an entry, or a database other than SQLite and PostgreSQL, is
read through ``row_values``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connections, transaction
from django.db.models import BigIntegerField, CharField, F, Func, Q, Value
from django.db.models.expressions import Case, RawSQL, When
from django.db.models.functions import Cast, NullIf

from activities.models import Activity, ActivityOrganisation

from .batches import among
from .columns import KINDS, ExportContext

#: Between the items of a list as the database joins them: a character no
#: slug, role or name holds (ASCII's unit separator).
SEPARATOR = "\x1f"

#: The databases whose SQL is written here.
VENDORS = ("sqlite", "postgresql")


class UUIDText(Func):
    """A UUID field as its canonical text (``1f0e…-…``), the form exports show.

    SQLite keeps Django's UUIDs as 32 hex digits, PostgreSQL as ``uuid``.
    """

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        parts = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]
        text = " || '-' || ".join(f"substr({sql}, {start}, {length})" for start, length in parts)
        return f"({text})", params * len(parts)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::text", params


def _text(name: str):
    """A text field, NULL where it is empty (``row_values`` gives None for "")."""
    return NullIf(F(name), Value(""), output_field=CharField())


def _related(foreign_key: str, field: str):
    """A field of a foreign key's record, NULL when there is none or it is in
    the trash (as ``columns.slug_of`` and ``name_of`` read them)."""
    target = Activity._meta.get_field(foreign_key).related_model
    value = F(f"{foreign_key}__{field}")
    if any(f.name == "deleted_at" for f in target._meta.concrete_fields):
        value = Case(
            When(Q(**{f"{foreign_key}__deleted_at__isnull": True}), then=value),
            default=Value(None),
            output_field=CharField(),
        )
    return NullIf(value, Value(""), output_field=CharField())


def _joined(vendor: str, item: str, tables: str, where: str) -> RawSQL:
    """The items of a to-many relation joined by SEPARATOR, in no particular
    order (Python sorts them), or NULL when there are none. The SQL is made
    of the models' own table and column names only; it takes no values."""
    join = "string_agg({}, chr(31))" if vendor == "postgresql" else "group_concat({}, char(31))"
    sql = f"(SELECT {join.format(item)} FROM {tables} WHERE {where})"  # noqa: S608
    return RawSQL(sql, (), output_field=CharField())  # noqa: S611 - names, no values


def _joined_over(connection, link, owner: str, target: str, item: str, where: str = "") -> RawSQL:
    """``item`` of each record that the ``link`` model's rows join an activity to:
    ``link``'s ``owner`` field points to the activity, its ``target`` field to
    the record (``unikom_t``); ``unikom_link`` is the link's own row."""
    q = connection.ops.quote_name
    links = link._meta
    related = links.get_field(target).related_model._meta
    activity = Activity._meta
    tables = (
        f"{q(links.db_table)} AS unikom_link JOIN {q(related.db_table)} AS unikom_t "
        f"ON unikom_t.{q(related.pk.column)} = unikom_link.{q(links.get_field(target).column)}"
    )
    condition = (
        f"unikom_link.{q(links.get_field(owner).column)} = "
        f"{q(activity.db_table)}.{q(activity.pk.column)}{where}"
    )
    return _joined(connection.vendor, item, tables, condition)


def _many(connection, name: str, *, live: bool) -> RawSQL:
    """The slugs of an activity's many-to-many ``name``; with ``live``, leaving
    out those in the trash."""
    field = Activity._meta.get_field(name)
    return _joined_over(
        connection,
        field.remote_field.through,
        field.m2m_field_name(),
        field.m2m_reverse_field_name(),
        "unikom_t.slug",
        " AND unikom_t.deleted_at IS NULL" if live else "",
    )


def _activity_roles(connection) -> RawSQL:
    """``role:organisation-slug`` of each organisation in a role
    (as ``columns.activity_organisations`` reads them)."""
    item = "unikom_link.role || ':' || unikom_t.slug"
    return _joined_over(connection, ActivityOrganisation, "activity", "organisation", item)


# -- conversions of a value as the database gives it ------------------------------------------


def _a_list(text: str | None) -> list[str]:
    return sorted(text.split(SEPARATOR)) if text else []


def _a_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _activities(connection) -> dict[str, Any]:
    """Every column of ``columns.ACTIVITIES`` but ``url`` (filled in from ``id``):
    name -> (expression, conversion or None)."""
    sqlite = connection.vendor == "sqlite"
    as_date = _a_date if sqlite else None
    return {
        "id": (UUIDText(F("public_id")), None),
        "title": (_text("title"), None),
        "activity_type": (_text("activity_type"), None),
        "thesis_level": (_text("thesis_level"), None),
        "status": (_text("status"), None),
        "start_date": (Cast(F("start_date"), CharField()) if sqlite else F("start_date"), as_date),
        "end_date": (Cast(F("end_date"), CharField()) if sqlite else F("end_date"), as_date),
        "summary": (_text("summary"), None),
        "partnerships": (_many(connection, "partnerships", live=True), _a_list),
        "themes": (_many(connection, "themes", live=False), _a_list),
        "funding_source": (_text("funding_source"), None),
        "funding_amount": (Cast(F("funding_amount"), BigIntegerField()), None),
        "cristin_project_id": (_text("cristin_project_id"), None),
        "nfr_project_number": (_text("nfr_project_number"), None),
        "professional_owner": (_related("professional_owner", "slug"), None),
        "professional_owner_level": (_text("professional_owner_level"), None),
        "strategic_owner": (_related("strategic_owner", "slug"), None),
        "strategic_owner_level": (_text("strategic_owner_level"), None),
        "organisations": (_activity_roles(connection), _a_list),
        "is_public": (
            Cast(F("is_public"), BigIntegerField()) if sqlite else F("is_public"),
            bool if sqlite else None,
        ),
        "professional_owner_name": (_related("professional_owner", "name"), None),
        "strategic_owner_name": (_related("strategic_owner", "name"), None),
    }


#: kind -> function of the database connection giving its columns' expressions.
VALUES: dict[str, Callable[[Any], dict[str, Any]]] = {"activities": _activities}


@contextmanager
def without_jit(using: str) -> Iterator[None]:
    """On PostgreSQL, queries in this block are not compiled by its JIT.

    A batch's query is estimated above ``jit_above_cost`` (three subqueries
    a row), and PostgreSQL then spent about 20 ms of its 64 compiling it
    (EXPLAIN ANALYZE, 2,000 national activities), which a query of 40 ms
    never earns back. ``SET LOCAL`` holds until the transaction ends: the
    block's own, or the one it is in.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def supported(kind: str, using: str) -> bool:
    return kind in VALUES and connections[using].vendor in VENDORS


def reader(kind: str, queryset, ctx: ExportContext) -> Callable[[Any], dict[Any, dict]]:
    """``read(keys)``: the values of the records of ``queryset`` with these
    primary keys (``row_values``'s dictionaries), by key, in one query.

    The page address (``url``) is the only column made here rather than in
    SQL, from the row's ``id`` (``ExportContext.url_of``, as for records).
    """
    model = queryset.model
    spec = VALUES[kind](connections[queryset.db])
    names = KINDS[kind].names
    assert [n for n in names if n != "url"] == list(spec), "out of step with opendata.columns"
    url_at = names.index("url")
    id_at = names.index("id")
    aliases = {f"unikom_{name}": expression for name, (expression, _) in spec.items()}
    fields = ["pk", *aliases]
    conversions = [(i, convert) for i, (_, convert) in enumerate(spec.values()) if convert]
    base = queryset.order_by().select_related(None).prefetch_related(None).annotate(**aliases)

    def read(keys) -> dict[Any, dict]:
        found = {}
        with without_jit(queryset.db):
            rows = list(base.filter(pk__in=among(keys, queryset.db)).values_list(*fields))
        for pk, *values in rows:
            for i, convert in conversions:
                values[i] = convert(values[i])
            values.insert(url_at, ctx.url_of(model, values[id_at]))
            found[pk] = dict(zip(names, values, strict=True))
        return found

    return read
