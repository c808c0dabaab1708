"""Which records an export holds: each list page's filters, for the requesting user.

``queryset(kind, params, user)`` calls the same function as the kind's list
page (``listed_partnerships``, ``listed_organisations``, ``listed_people``,
``listed_activities``, ``listed_needs``, ``listed_events`` in the owning
apps), so an export of ``/activities/?type=phd`` holds exactly the activities
that page lists, across all its pages. On top, the querysets prefetch what
``opendata.columns`` reads.

**Reading in batches.** A national export holds hundreds of thousands of
rows, too many to load at once. ``Selection`` reads them in two steps:

1. the primary keys of every row, in the list's own order, by one query
   (kept as a compact array: 8 bytes a row);
2. the records, ``batch_size`` keys at a time (``UNIKOM_EXPORT_BATCH_SIZE``,
   default 2,000): one query for the batch, then a few grouped queries for
   what the columns read of other tables, put back in the list's order. For
   the kinds with many rows a loader in ``opendata.batches`` reads those
   (themes, partnerships, roles, contacts ...); the small kinds use their
   querysets' own prefetches, run per batch. On PostgreSQL the next batch
   is read in a thread of its own while the writer uses one (``read_ahead``).

So the queries grow with the number of batches, never with the rows, and
a writer holds one batch of records in memory at a time (two when reading
ahead), whatever the size. Keyset paging on the primary key alone would lose
the list's order (by date, title ...), and paging on the order's own columns breaks on ties
and empty values; the list of keys keeps the order exact at a small cost.
Each batch query keeps the list's filters, so a record changed or trashed
while an export streams is left out rather than exported in a state the
list no longer shows.

A few parameters exist only here, for the bulk archive and the portfolios:
``organisations?scope=all`` (every organisation, not only partnership
members), ``events?when=all`` (upcoming and past), and
``activities?organisation=<slug>`` for an organisation without activities
(an empty portfolio exports empty, not everything).
"""

from __future__ import annotations

import queue
import threading
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from activities.filtersets import listed_activities
from activities.models import Activity, ActivityOrganisation
from core import permissions
from events.filtersets import UPCOMING, listed_events
from needs.filtersets import listed_needs
from organisations.listing import listed_organisations
from organisations.models import Affiliation, Organisation, Person
from organisations.people_views import listed_people
from partnerships.filtersets import listed_partnerships
from partnerships.models import Membership, Theme

from . import sqlvalues
from .batches import LOADERS, read
from .columns import KINDS, ExportContext, row_values

#: Parameters that choose a page of a list, never which records it holds.
NOT_FILTERS = frozenset({"page", "bom"})


#: Records read per query when none is configured (``UNIKOM_EXPORT_BATCH_SIZE``).
DEFAULT_BATCH_SIZE = 2000


def batch_size() -> int:
    return max(1, int(getattr(settings, "UNIKOM_EXPORT_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


@dataclass
class Selection:
    """The records of one export, and the filters that chose them (for ``meta``).

    ``queryset`` is not evaluated as a whole: ``count`` reads the keys, and
    ``records()`` / ``batches()`` read the records a batch at a time (module
    docstring).
    """

    kind: str
    queryset: QuerySet
    filters: dict[str, str]
    user: Any = None
    size: int = field(default_factory=batch_size)

    @cached_property
    def keys(self) -> array | list:
        """Primary keys of every record, in the list's order (one query)."""
        keys = self.queryset.prefetch_related(None).values_list("pk", flat=True)
        try:
            return array("q", keys)
        except TypeError:  # a key that is not an integer
            return list(keys)

    @property
    def count(self) -> int:
        return len(self.keys)

    def batches(self) -> Iterator[list]:
        """The records, ``size`` at a time, each batch in the list's order.

        On PostgreSQL the next batch is read while this one is used
        (``read_ahead``), when there is more than one.
        """
        yield from self._in_batches(self._record_reader())

    def values(self, ctx: ExportContext) -> Iterator[dict[str, Any]]:
        """Every row's values (``columns.row_values``), one batch in memory at a time.

        For the kinds ``opendata.sqlvalues`` knows, the database works them
        out in the query that reads the batch, and no record is made.
        """
        if sqlvalues.supported(self.kind, self.queryset.db):
            for batch in self._in_batches(sqlvalues.reader(self.kind, self.queryset, ctx)):
                yield from batch
        else:
            kind = self.kind
            for record in self.records():
                yield row_values(kind, record, ctx)

    def _in_batches(self, read: Callable[[Any], dict]) -> Iterator[list]:
        """What ``read(keys)`` gives by key, ``size`` keys at a time, each batch
        in the list's order, read ahead where ``reads_ahead`` says so."""
        keys = self.keys  # in the caller's thread: which records, in which order
        batches = self._batches(keys, read)
        if len(keys) > self.size and reads_ahead(self.queryset.db):
            batches = read_ahead(batches)
        yield from batches

    def _batches(self, keys, read: Callable[[Any], dict]) -> Iterator[list]:
        for start in range(0, len(keys), self.size):
            chunk = keys[start : start + self.size]
            found = read(chunk)
            yield [found[key] for key in chunk if key in found]

    def _record_reader(self) -> Callable[[Any], dict]:
        """``read(keys)`` for the records, with what their columns read of other tables."""
        base = self.queryset.order_by()
        if self.kind not in LOADERS:
            return lambda keys: {record.pk: record for record in base.filter(pk__in=list(keys))}
        # The loader reads the related records instead (opendata.batches).
        base = base.select_related(None).prefetch_related(None)
        load = LOADERS[self.kind](self.user)

        def records(keys) -> dict:
            found = read(base, keys)
            load(list(found.values()))
            return found

        return records

    def records(self) -> Iterator:
        """Every record, one batch in memory at a time."""
        for batch in self.batches():
            yield from batch


def filters_of(params: QueryDict) -> dict[str, str]:
    return {k: v for k, v in params.items() if k not in NOT_FILTERS and v != ""}


def _partnerships(params: QueryDict, user):
    return listed_partnerships(params)[1]


def _organisations(params: QueryDict, user):
    return listed_organisations(params, members_only=params.get("scope") != "all")


def _people(params: QueryDict, user):
    return listed_people(params, user)[1]


def _activities(params: QueryDict, user):
    filterset, activities = listed_activities(params, user)
    key = params.get("organisation")
    if (
        key
        and "organisation" in filterset.errors
        and Organisation.objects.filter(slug=key).exists()
    ):
        # An organisation with no visible activity is not offered as a filter
        # on the page; its portfolio is empty, and so is its export.
        activities = activities.none()
    return activities.prefetch_related(
        Prefetch(
            "organisation_roles",
            queryset=ActivityOrganisation.objects.select_related("organisation"),
        )
    )


def _needs(params: QueryDict, user):
    visible_activities = permissions.visible(user, Activity.objects.all())
    return (
        listed_needs(params, user)[1]
        .select_related("contact")
        .prefetch_related(Prefetch("led_to", queryset=visible_activities, to_attr="visible_led_to"))
    )


def _events(params: QueryDict, user):
    return listed_events(params, user, when=params.get("when", UPCOMING))[1]


def _memberships(params: QueryDict, user):
    queryset = Membership.objects.filter(partnership__deleted_at__isnull=True).select_related(
        "partnership", "organisation"
    )
    if params.get("partnership"):
        queryset = queryset.filter(partnership__slug=params["partnership"])
    if params.get("organisation"):
        queryset = queryset.filter(organisation__slug=params["organisation"])
    if params.get("current") == "1":
        queryset = queryset.current()
    return queryset.order_by("partnership__name", "role", "organisation__name", "valid_from", "pk")


def _affiliations(params: QueryDict, user):
    people = permissions.visible(user, Person.objects.all())
    queryset = Affiliation.objects.filter(person__in=people.values("pk")).select_related(
        "person", "organisation"
    )
    if params.get("organisation"):
        queryset = queryset.filter(organisation__slug=params["organisation"])
    return queryset.order_by("person__name", "person__pk", "valid_from", "pk")


def _themes(params: QueryDict, user):
    return Theme.objects.order_by("name")


QUERYSETS = {
    "partnerships": _partnerships,
    "memberships": _memberships,
    "organisations": _organisations,
    "people": _people,
    "affiliations": _affiliations,
    "activities": _activities,
    "needs": _needs,
    "events": _events,
    "themes": _themes,
}
assert set(QUERYSETS) == set(KINDS)

#: The list page each kind's filters come from (URL name), for the open data page.
LIST_PAGES = {
    "partnerships": "partnerships:list",
    "organisations": "organisations:list",
    "people": "organisations:person_list",
    "activities": "activities:list",
    "needs": "needs:list",
    "events": "events:list",
}


def as_querydict(params: QueryDict | dict | None) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query[key] = value
    return query


def queryset(kind: str, params: QueryDict | dict | None, user: Any):
    """The kind's records as its list page would show them to ``user`` (unevaluated)."""
    return QUERYSETS[kind](as_querydict(params), user)


def select(
    kind: str, params: QueryDict | dict | None, user: Any, prepare=None, size: int | None = None
) -> Selection:
    """The records of an export, ready to be read in batches (nothing is read yet).

    ``prepare(kind, queryset)`` may add prefetches a format needs (JSON-LD);
    ``size`` overrides the batch size.
    """
    params = as_querydict(params)
    records = queryset(kind, params, user)
    if prepare is not None:
        records = prepare(kind, records)
    selection = Selection(kind=kind, queryset=records, filters=filters_of(params), user=user)
    if size is not None:
        selection.size = max(1, size)
    return selection


# -- reading ahead --------------------------------------------------------------------


def reads_ahead(using: str) -> bool:
    """Whether exports from this database read the next batch in a thread of
    their own (``UNIKOM_EXPORT_READ_AHEAD``, on by default; PostgreSQL only).

    PostgreSQL runs a query in its own process, and a thread waiting for the
    answer lets the writer go on with the batch before: a national CSV went
    from 58-64 to 51-56 µs a row. SQLite runs in this process and holds the
    interpreter while it reads, so a thread gained nothing there (measured:
    docs/benchmarks.md).
    """
    return (
        getattr(settings, "UNIKOM_EXPORT_READ_AHEAD", True)
        and connections[using].vendor == "postgresql"
    )


def read_ahead(batches: Iterator[list]) -> Iterator[list]:
    """``batches``, each read in a thread of its own while the one before is
    being used: at most one batch ahead, so two are in memory instead of one.

    The thread has its own database connection (Django's are per thread),
    closed when it ends. An error in it is raised here, where the batch would
    have come; closing this generator early (a client that went away) stops
    the thread after the batch it is reading.
    """
    found: queue.Queue = queue.Queue()
    wanted = threading.Semaphore(0)
    stop = threading.Event()

    def read() -> None:
        try:
            while True:
                wanted.acquire()
                if stop.is_set():
                    return
                batch = next(batches, None)
                found.put(("end", None) if batch is None else ("batch", batch))
                if batch is None:
                    return
        except BaseException as error:  # noqa: BLE001 (raised again in the caller's thread)
            found.put(("error", error))
        finally:
            connections.close_all()  # this thread's own

    reader = threading.Thread(target=read, name="unikom-export-reader", daemon=True)
    reader.start()
    try:
        wanted.release()
        while True:
            what, value = found.get()
            if what == "error":
                raise value
            if what == "end":
                return
            wanted.release()  # the next, while this one is written
            yield value
    finally:
        stop.set()
        wanted.release()  # a reader waiting for the next sees the stop at once
        reader.join()
