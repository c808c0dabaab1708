"""Related records for a batch of the large kinds, read without the ORM's per-row work.

``prefetch_related`` reads a batch's themes, partnerships and roles in a few
queries, but then builds a model instance for every related row and a
queryset for every record and relation: at national scale (200,000
activities, each with a few themes, partnerships and roles) that is where
most of an export's time went. For the kinds with many rows (activities,
needs, events, people, affiliations) a loader here does the same work more
cheaply and gives the column getters the same answers:

- organisations, partnerships and themes are few (hundreds) and nearly every
  row refers to them, so each is read once per export into a ``Table``;
- people (tens of thousands) are read per batch, only the fields the columns
  use;
- a to-many relation is one ``values_list`` query per batch over its link
  table, mapped through the tables and attached to each record as a list
  (``columns.related`` reads it), in the order the relation's manager would
  give;
- a foreign key is set in the record's field cache, where ``select_related``
  would have put it;
- the records themselves are made from their rows' values (``read``), without
  ``Model.__init__``, which cost as much as the rest of a row's work.

Which records count follows the ORM: a many-to-many leaves out related
records in the trash (their default manager hides them), a foreign key does
not (``select_related`` joins whatever is there, and the getters check
``deleted_at``). Tests compare every kind and format against the plain
prefetching querysets.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connections
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL

from activities.models import Activity, ActivityOrganisation
from core import permissions
from events.models import Event
from needs.models import Need
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Partnership, Theme

from .columns import ATTACHED

#: An activity's organisation in a role (``ActivityOrganisation``), a person's
#: current post (``Affiliation``) and an activity a need led to, as the getters read them.
Role = namedtuple("Role", "role organisation")
Post = namedtuple("Post", "organisation")
LedTo = namedtuple("LedTo", "public_id")


#: Fields no column reads, left unread (they stay available, deferred).
UNREAD = frozenset({"created", "updated"})


def among(keys: Iterable, using: str = "default"):
    """``keys`` for a ``__in`` lookup: whole-number keys as one query parameter
    (a JSON array on SQLite, an array on PostgreSQL) instead of one per key.
    Django prepares every parameter of an ``IN`` list on its own, which for the
    four lookups of 2,000 activities a batch cost a tenth of an export's time."""
    keys = list(keys)
    if not keys or any(type(k) is not int for k in keys):
        return keys
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(keys),))
    if vendor == "postgresql":
        # As an array's text, which psycopg sends as it is: handing it the list
        # made psycopg check and write each element in Python.
        return RawSQL("SELECT unnest(%s::bigint[])", ("{" + ",".join(map(str, keys)) + "}",))
    return keys


def read(queryset, keys: Iterable) -> dict:
    """The records of ``queryset`` with these primary keys, by key.

    Each record is made from its row of ``values_list`` (Django's own
    conversions: dates, UUIDs, decimals) by filling a bare instance, as
    ``Model.from_db`` would, without the per-field work of ``__init__``
    (these models have no ``pre_init``/``post_init`` receivers). The records
    behave as usual: fields, properties, methods, foreign keys; fields in
    ``UNREAD`` are deferred.
    """
    model = queryset.model
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in UNREAD]
    position = fields.index(model._meta.pk.attname)
    database = queryset.db
    new = model.__new__
    found = {}
    for row in queryset.filter(pk__in=among(keys, database)).values_list(*fields):
        record = new(model)
        values = record.__dict__
        values.update(zip(fields, row, strict=True))
        state = ModelState()
        state.adding = False
        state.db = database
        values["_state"] = state
        found[row[position]] = record
    return found


class Table:
    """Every record of a small model, by primary key, read in one query.

    ``ordered`` holds the keys in the model's default order, so that lists
    come out as the database would sort them (the collation of names differs
    between SQLite and PostgreSQL). ``live`` holds what the model's
    default manager shows (not in the trash).
    """

    def __init__(self, model) -> None:
        records = list(model._base_manager.all())
        self.by_pk = {r.pk: r for r in records}
        #: Every record's key, in the model's default order.
        self.ordered = [r.pk for r in records]
        self.live = set(model._default_manager.values_list("pk", flat=True))

    def get(self, pk):
        return self.by_pk.get(pk)

    def grouped(self, pairs: Iterable[tuple], *, live: bool = True) -> Iterator[tuple[Any, list]]:
        """``(record, [owner, ...])`` for each record that ``(owner, key)`` pairs
        point to, in the model's order; with ``live``, none in the trash.

        Lists filled from these come out in the model's order without sorting
        each of them: the pairs are grouped by key and the model's few hundred
        records gone through once a batch.
        """
        by_key: dict = {}
        for owner, pk in pairs:
            by_key.setdefault(pk, []).append(owner)
        for pk in self.ordered:
            owners = by_key.get(pk)
            if owners and (not live or pk in self.live):
                yield self.by_pk[pk], owners


class Loader:
    """Attaches to each record of a batch what the columns and JSON-LD nodes read."""

    def __init__(self, user) -> None:
        self.user = user
        self._tables: dict[type, Table] = {}

    def table(self, model) -> Table:
        if model not in self._tables:
            self._tables[model] = Table(model)
        return self._tables[model]

    def __call__(self, records: list) -> None:
        raise NotImplementedError

    # -- helpers ----------------------------------------------------------------

    @staticmethod
    def attached(record) -> dict:
        return record.__dict__.setdefault(ATTACHED, {})

    def foreign(self, records: list, name: str, model) -> None:
        """Put each record's ``name`` in its field cache, as ``select_related`` would."""
        table = self.table(model)
        attname = f"{name}_id"
        for record in records:
            pk = getattr(record, attname)
            if pk is None:
                continue
            target = table.get(pk)
            if target is not None:  # else the descriptor reads it (never, with a foreign key)
                record._state.fields_cache[name] = target

    def people(self, records: list, name: str, fields: tuple[str, ...]) -> None:
        """The people ``name`` points to, one query for the batch (only ``fields``)."""
        attname = f"{name}_id"
        keys = {getattr(r, attname) for r in records} - {None}
        found = Person._base_manager.filter(pk__in=keys).only(*fields).in_bulk() if keys else {}
        for record in records:
            person = found.get(getattr(record, attname))
            if person is not None:
                record._state.fields_cache[name] = person

    def many(self, records: list, model, name: str) -> None:
        """A many-to-many to a small model, one query over its link table."""
        field = model._meta.get_field(name)
        table = self.table(field.related_model)
        link = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        keys = [r.id for r in records]
        pairs = link._default_manager.filter(**{f"{source}__in": among(keys)}).values_list(
            source, target
        )
        lists: dict = {key: [] for key in keys}
        for related, owners in table.grouped(pairs):
            for owner in owners:
                lists[owner].append(related)
        for record in records:
            self.attached(record)[name] = lists[record.id]


class ActivityLoader(Loader):
    def __call__(self, records: list) -> None:
        self.foreign(records, "professional_owner", Organisation)
        self.foreign(records, "strategic_owner", Organisation)
        self.many(records, Activity, "partnerships")
        self.many(records, Activity, "themes")
        organisations = self.table(Organisation)
        keys = [r.id for r in records]
        # As ActivityOrganisation.Meta.ordering: by role, then organisation name
        # (the organisations' order, so the query itself need not sort).
        rows = (
            ActivityOrganisation._default_manager.filter(activity__in=among(keys))
            .order_by()
            .values_list("activity", "role", "organisation")
        )
        by_role: dict = {}
        for activity, role, organisation in rows:
            by_role.setdefault(role, []).append((activity, organisation))
        roles: dict = {key: [] for key in keys}
        for role in sorted(by_role):
            for organisation, activities in organisations.grouped(by_role[role], live=False):
                entry = Role(role, organisation)
                for activity in activities:
                    roles[activity].append(entry)
        for record in records:
            self.attached(record)["organisation_roles"] = roles[record.id]


class NeedLoader(Loader):
    def __call__(self, records: list) -> None:
        self.foreign(records, "organisation", Organisation)
        self.foreign(records, "partnership", Partnership)
        self.foreign(records, "service_area", Theme)
        self.people(records, "contact", ("public_id", "name", "is_public", "deleted_at"))
        field = Need._meta.get_field("led_to")
        link = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        pairs = list(
            link._default_manager.filter(**{f"{source}__in": [r.id for r in records]}).values_list(
                source, target
            )
        )
        activities = {pk for _, pk in pairs}
        visible = dict(
            permissions.visible(self.user, Activity.objects.all())
            .filter(pk__in=activities)
            .values_list("pk", "public_id")
            if activities
            else ()
        )
        led_to: dict = {r.id: [] for r in records}
        for need, activity in pairs:
            if activity in visible:
                led_to[need].append(LedTo(visible[activity]))
        for record in records:
            record.visible_led_to = led_to[record.id]


class EventLoader(Loader):
    def __call__(self, records: list) -> None:
        self.foreign(records, "organiser", Organisation)
        self.foreign(records, "partnership", Partnership)
        self.many(records, Event, "themes")


class PersonLoader(Loader):
    def __call__(self, records: list) -> None:
        organisations = self.table(Organisation)
        keys = [r.id for r in records]
        rows = (
            Affiliation.objects.current()
            .filter(person__in=keys)
            .order_by()
            .values_list("person", "organisation")
        )
        # As listed_people's prefetch: ordered by organisation name.
        posts: dict = {key: [] for key in keys}
        for organisation, people in organisations.grouped(rows, live=False):
            entry = Post(organisation)
            for person in people:
                posts[person].append(entry)
        for record in records:
            record.current_affiliations = posts[record.id]


class AffiliationLoader(Loader):
    def __call__(self, records: list) -> None:
        self.people(records, "person", ("public_id", "name", "deleted_at"))
        self.foreign(records, "organisation", Organisation)


#: kind -> loader class, for the kinds with many rows; the others are read
#: with their querysets' own select_related and prefetch_related.
LOADERS: dict[str, Callable[..., Loader]] = {
    "activities": ActivityLoader,
    "needs": NeedLoader,
    "events": EventLoader,
    "people": PersonLoader,
    "affiliations": AffiliationLoader,
}
