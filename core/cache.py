"""Results kept until the data they were computed from changes.

Every change made through the site, the API, an import or ``unikom synth``
writes a row to the history of the record it changed (simple-history). The
newest history id of a model is therefore a version number of its data, which
the database answers from the end of an index whatever the size of the table.
A cached value is stored under the versions of the models it was computed from,
so the first request after a change computes it afresh and every later one
reads it from the cache. A change that bypasses the history (raw SQL) is picked
up when the entry expires (``UNIKOM_CACHE_SECONDS``, ten minutes by default).

The default cache is a folder in the data directory that every server process
of the machine shares (``CACHE_URL`` points elsewhere); whichever cache it is, no
process serves a value older than the data it has seen change.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from core import permissions
from core.dates import local_today
from core.fingerprint import code_fingerprint

T = TypeVar("T")


def tracked_models() -> list[type[Model]]:
    """Every model whose changes are written to the history."""
    from simple_history.models import registered_models

    return sorted(registered_models.values(), key=lambda m: m._meta.label)


@functools.cache
def _version_query(models: tuple[type[Model], ...] | None, vendor: str) -> str:
    """The SQL of ``data_version``, built once per set of models: reading a model's
    history manager builds a class each time, a third of a kept page's time."""
    tables = [m.history.model._meta.db_table for m in (models or tracked_models())]
    quote = connection.ops.quote_name
    # Table names come from the models, never from a request.
    columns = ", ".join(f"(SELECT MAX(history_id) FROM {quote(t)})" for t in tables)  # noqa: S608
    return f"SELECT {columns}"


#: PostgreSQL statements prepared on each open connection (by the driver's
#: connection object; a new connection starts with none).
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def data_version(models: Iterable[type[Model]] | None = None) -> str:
    """The newest history id of each model (of all tracked ones by default), in one query."""
    sql = _version_query(tuple(models) if models else None, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(_once_planned(cursor, sql))
        return ".".join(str(v or 0) for v in cursor.fetchone())


def _once_planned(cursor, sql: str) -> str:
    """``sql``, or on PostgreSQL the ``EXECUTE`` of it prepared once per connection.

    PostgreSQL plans the query afresh each time Django sends it: for the versions
    of some twenty tables that took 1 of the 1.4 ms of the query, on every kept
    page. A prepared statement lives as long as its connection (a rollback does
    not undo it), so it is prepared the first time a connection runs the query.
    """
    if connection.vendor != "postgresql":
        return sql
    name = _statement_name(sql)
    done = _prepared.setdefault(connection.connection, set())
    if name not in done:
        cursor.execute(f"PREPARE {name} AS {sql}")
        done.add(name)
    return f"EXECUTE {name}"


@functools.cache
def _statement_name(sql: str) -> str:
    return "unikom_version_" + hashlib.sha256(sql.encode()).hexdigest()[:16]


def version_key(parts: Iterable, models: Iterable[type[Model]] | None = None) -> str:
    """A key for ``parts`` in the active language at the current data version,
    drawn by the running code (a deployment of new templates or translations
    does not serve what the old ones drew).

    Pages pass it to ``{% cache %}`` to keep a rendered fragment (a national
    list) until the data changes; the values inside the fragment are computed
    lazily, so a kept fragment costs only this one query.
    """
    key_parts = repr((tuple(parts), get_language(), data_version(models), code_fingerprint()))
    return hashlib.sha256(key_parts.encode()).hexdigest()


def remember(
    name: str,
    parts: Iterable,
    models: Iterable[type[Model]] | None,
    compute: Callable[[], T],
) -> T:
    """``compute()``, or its stored value while ``models``' data is unchanged.

    ``models=None`` stands for every tracked model: for the national analyses,
    which read nearly all of them. ``parts`` is everything else the value
    depends on (the filters, whether the reader is signed in, the day); the
    active language is added, for values holding text.
    """
    key = _key(name, parts, models)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.UNIKOM_CACHE_SECONDS)
    return value


def _key(name: str, parts: Iterable, models: Iterable[type[Model]] | None) -> str:
    return f"unikom:{name}:" + version_key(parts, models)


class Busy(Exception):
    """Another process of this machine is computing a value of the same name."""


@contextmanager
def alone(name: str) -> Iterator[bool]:
    """Whether this process holds the machine's lock called ``name`` (a file in
    ``UNIKOM_DATA_DIR/locks/``), held for the block; never waits for it."""
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remember_alone(
    name: str,
    parts: Iterable,
    models: Iterable[type[Model]] | None,
    compute: Callable[[], T],
) -> T:
    """``remember``, for a value so costly to compute (the national report as a
    PDF: over a minute, and a drawing process of 1.2 GB) that one computation at a time
    is enough for the machine: while one process computes any value of this
    ``name``, another that needs one gets ``Busy`` instead of starting the same
    work."""
    value = cache.get(_key(name, parts, models))
    if value is not None:
        return value
    with alone(name) as held:
        if not held:
            raise Busy(name)
        # Perhaps computed by another process meanwhile: remember() looks first.
        return remember(name, parts, models, compute)


#: Stands in a page kept for visitors where the reader's CSRF token goes (the
#: language form of every page): each request puts its own token there.
CSRF_HOLE = "csrf-token-of-the-reader"


def visitor_page(
    request, name: str, parts: Iterable, template: str, context: Callable[[], dict]
) -> HttpResponse:
    """``render(request, template, context())``, kept whole until the data changes
    when the reader is not signed in.

    A record's page is the same for every visitor in a language (no edit links,
    only public records and public contact data): the whole page, menus and footer
    included, is drawn once per change of the data, address (the sign-in link
    returns to it), language and day, and each request only puts its CSRF token
    into it. A signed-in reader's page, and a visitor's page that has a message to
    show, are drawn for them. An exception (a missing record: 404) is raised as
    ever and nothing is kept.
    """
    if permissions.roles(request.user).authenticated or len(get_messages(request)):
        return render(request, template, context())

    def draw() -> str:
        return render_to_string(template, {**context(), "csrf_token": CSRF_HOLE}, request)

    # The day too: what a page says of dates ("upcoming", ages) holds for a day.
    key_parts = (*parts, request.get_full_path(), local_today(), "visitor")
    html = remember(name, key_parts, None, draw)
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    return HttpResponse(html)


def kept_listing(
    name: str, request, keys: Iterable[str], compute: Callable[[], dict], parts: Iterable = ()
) -> dict:
    """Template context for a page that keeps its rendered list (``{% cache
    cache_seconds NAME listing_key %}``) until the data changes.

    The values of ``compute()`` (a dict with ``keys``) are lazy: a page whose
    kept list is current never computes them. The key holds the address's
    query, whether the reader is signed in, ``parts`` and the language, at the
    current data version.
    """
    values = functools.cache(compute)
    context: dict = {key: SimpleLazyObject(lambda key=key: values()[key]) for key in keys}
    context["listing_key"] = version_key(
        (
            name,
            tuple(parts),
            sorted(request.GET.lists()),
            permissions.roles(request.user).authenticated,
        )
    )
    context["cache_seconds"] = settings.UNIKOM_CACHE_SECONDS
    return context
