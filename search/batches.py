"""Records for the document builders, read in bounded batches with grouped queries.

``unikom search reindex`` builds a document for every public, live record.
Read one by one, or with ``prefetch_related`` (which makes a queryset and
model instances for every related row, and for a foreign key ORs one
condition per target — SQLite refuses that beyond about a thousand), a
national data set takes minutes. Here each batch of records costs one query
for the records (keyset by primary key, with their foreign keys joined) and
one ``values_list`` query per many-valued relation, by the range of the
batch's ids; the related organisations, themes and partnerships come from
small caches filled as batches need them, and no ``IN`` list holds more than
one batch of ids.

The builders (search.documents) see what they always saw: ``record.themes.all()``
and the like answer from the lists, in the order the relation's own query
gives (the models' default ordering, done by the database, so member names
are joined in its collation order). Two answers are remembered because they
cost more than the rest of a document: ``get_<field>_display()`` per value,
and ``get_absolute_url()`` as a pattern per model, filled with the record's
``public_id`` or ``slug``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from django.apps import apps
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

ORG_CHAIN = ("parent", "parent__parent")

# get_absolute_url() built from one field alone (organisations are not: a
# municipality is linked by its number, the rest by slug).
URL_FIELDS = {
    "activities.Activity": "public_id",
    "needs.Need": "public_id",
    "events.Event": "public_id",
    "organisations.Person": "public_id",
    "partnerships.Partnership": "slug",
}


class Link(NamedTuple):
    """A membership or role row as the builders read it (``.organisation``)."""

    organisation: Any


class PartnerIn(NamedTuple):
    """An organisation's membership as the builders read it (``.partnership``)."""

    partnership: Any


class Post(NamedTuple):
    """An affiliation as the builders read it."""

    organisation: Any
    title: str
    unit: str


class _All:
    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items

    def all(self) -> list:
        return self.items


@dataclass(frozen=True)
class Many:
    """A many-valued relation: rows of ``model`` whose ``owner`` is in the batch.

    ``columns`` are read with ``values_list`` after the owner's id, in the
    model's default ordering; ``make(caches, *columns)`` turns them into what
    the builder reads.
    """

    name: str
    model: str
    owner: str
    columns: tuple[str, ...]
    make: Callable[..., Any]
    through: tuple[str, str] | None = None  # (model label, field) of a many-to-many


@dataclass
class Caches:
    """Organisations (with parent and grandparent), themes and partnerships by id."""

    organisations: dict[int, Any] = field(default_factory=dict)
    themes: dict[int, Any] = field(default_factory=dict)
    partnerships: dict[int, Any] = field(default_factory=dict)
    displays: dict[tuple, str] = field(default_factory=dict)
    urls: dict[tuple, tuple[str, str, str] | None] = field(default_factory=dict)
    # Labels and addresses depend on these; a Caches serves one run in one language.
    language: str | None = field(default_factory=get_language)
    urlconf: str | None = field(default_factory=get_urlconf)
    script_prefix: str = field(default_factory=get_script_prefix)

    def current(self) -> bool:
        return (self.language, self.urlconf, self.script_prefix) == (
            get_language(),
            get_urlconf(),
            get_script_prefix(),
        )

    def fill(self, organisations=(), themes=(), partnerships=()) -> None:
        Organisation = apps.get_model("organisations", "Organisation")
        Theme = apps.get_model("partnerships", "Theme")
        Partnership = apps.get_model("partnerships", "Partnership")
        for cache, ids, queryset in (
            (self.organisations, organisations, Organisation.objects.select_related(*ORG_CHAIN)),
            (self.themes, themes, Theme.objects.all()),
            (self.partnerships, partnerships, Partnership.all_objects.all()),
        ):
            missing = {i for i in ids if i is not None and i not in cache}
            if missing:
                cache.update(queryset.in_bulk(missing))


def _organisation(caches: Caches, organisation_id: int) -> Link:
    return Link(caches.organisations[organisation_id])


def _theme(caches: Caches, theme_id: int):
    return caches.themes[theme_id]


def _partnership(caches: Caches, partnership_id: int):
    return caches.partnerships[partnership_id]


def _partner_in(caches: Caches, partnership_id: int) -> PartnerIn:
    return PartnerIn(caches.partnerships[partnership_id])


def _post(caches: Caches, organisation_id: int, title: str, unit: str) -> Post:
    return Post(caches.organisations[organisation_id], title, unit)


# What each relation's ids point at, to fill the caches before building.
_TARGETS = {
    _organisation: "organisations",
    _post: "organisations",
    _theme: "themes",
    _partnership: "partnerships",
    _partner_in: "partnerships",
}


def themes(owner: str, label: str) -> Many:
    return Many("themes", "", owner, ("theme_id",), _theme, through=(label, "themes"))


MANY: dict[str, tuple[Many, ...]] = {
    "partnership": (
        themes("partnership_id", "partnerships.Partnership"),
        Many(
            "memberships",
            "partnerships.Membership",
            "partnership_id",
            ("organisation_id",),
            _organisation,
        ),
    ),
    "organisation": (
        Many(
            "memberships",
            "partnerships.Membership",
            "organisation_id",
            ("partnership_id",),
            _partner_in,
        ),
    ),
    "activity": (
        themes("activity_id", "activities.Activity"),
        Many(
            "partnerships",
            "",
            "activity_id",
            ("partnership_id",),
            _partnership,
            through=("activities.Activity", "partnerships"),
        ),
        Many(
            "organisation_roles",
            "activities.ActivityOrganisation",
            "activity_id",
            ("organisation_id",),
            _organisation,
        ),
    ),
    "need": (),
    "event": (themes("event_id", "events.Event"),),
    "person": (
        Many(
            "affiliations",
            "organisations.Affiliation",
            "person_id",
            ("organisation_id", "title", "unit"),
            _post,
        ),
    ),
}


def _rows(many: Many, ids: list[int], span: tuple[int, int] | None) -> list[tuple]:
    """The relation's rows for the batch: by the range of its ids when it holds
    every record in that range (a keyset page), else by the ids themselves."""
    if many.through:
        label, name = many.through
        model = getattr(apps.get_model(label), name).through
    else:
        model = apps.get_model(many.model)
    if span is not None:
        where = {f"{many.owner}__gte": span[0], f"{many.owner}__lte": span[1]}
    else:
        where = {f"{many.owner}__in": ids}
    return list(model._default_manager.filter(**where).values_list(many.owner, *many.columns))


class Record:
    """A model instance whose many-valued relations answer from lists.

    The instance's field values are copied in, so reading them is a plain
    attribute lookup; anything else (related objects, methods) is asked of
    the instance.
    """

    def __init__(self, instance: Any, many: dict[str, list], caches: Caches) -> None:
        self.__dict__.update(instance.__dict__)
        for name, items in many.items():
            self.__dict__[name] = _All(items)
        self.__dict__.update(pk=instance.pk, _instance=instance, _caches=caches)

    def __getattr__(self, name: str) -> Any:
        instance = self.__dict__["_instance"]
        caches = self.__dict__["_caches"]
        if name.startswith("get_") and name.endswith("_display"):
            return partial(display_of, instance, name, caches.displays, caches.language)
        if name == "get_absolute_url":
            return partial(url_of, instance, caches.urls, caches.language)
        return getattr(instance, name)


def display_of(instance: Any, method: str, labels: dict, language: str | None = None) -> str:
    """``instance.get_<field>_display()``, kept in ``labels`` per value and language
    (``language``: the active one, when the caller knows it; asking costs more
    than the rest of this function)."""
    key = (type(instance), method, getattr(instance, method[4:-8]), language or get_language())
    label = labels.get(key)
    if label is None:
        label = labels[key] = str(getattr(instance, method)())
    return label


def url_of(instance: Any, patterns: dict, language: str | None = None) -> str:
    """``instance.get_absolute_url()``, from one pattern per model and language
    (kept in ``patterns``) filled with the field the address is built from
    (``URL_FIELDS``); other models ask the instance."""
    model = type(instance)
    key = (model, language or get_language())
    if key not in patterns:
        patterns[key] = None
        attr = URL_FIELDS.get(model._meta.label)
        if attr:
            marker = uuid.UUID(int=0) if attr == "public_id" else "search-url-marker"
            url = model(**{attr: marker}).get_absolute_url()
            if url.count(str(marker)) == 1:
                patterns[key] = (url, str(marker), attr)
    pattern = patterns[key]
    if pattern is None:
        return instance.get_absolute_url()
    url, marker, attr = pattern
    return url.replace(marker, str(getattr(instance, attr)))


def records(
    kind: str,
    queryset,
    *,
    ids: Iterable[int] | None = None,
    size: int,
    caches: Caches | None = None,
) -> Iterator[list[Record]]:
    """The records of ``queryset`` (of ``kind``) in batches of at most ``size``.

    All of them: keyset pages by primary key (``pk > last``), so the
    thousandth batch costs what the first does. Given ``ids``: those,
    ``size`` at a time.
    """
    if caches is None or not caches.current():
        caches = Caches()
    queryset = queryset.order_by("pk")
    if ids is not None:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), size):
            batch = list(queryset.filter(pk__in=wanted[start : start + size]))
            if batch:
                yield _attach(kind, batch, caches, span=None)
    else:
        for batch in _keyset(queryset, size):
            yield _attach(kind, batch, caches, span=(batch[0].pk, batch[-1].pk))


def _keyset(queryset, size: int) -> Iterator[list]:
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _attach(kind: str, batch: list, caches: Caches, span: tuple[int, int] | None) -> list[Record]:
    ids = [r.pk for r in batch]
    lists: dict[str, dict[int, list]] = {}
    for many in MANY[kind]:
        rows = _rows(many, ids, span)
        caches.fill(**{_TARGETS[many.make]: [row[1] for row in rows]})
        grouped: dict[int, list] = defaultdict(list)
        for owner, *columns in rows:
            grouped[owner].append(many.make(caches, *columns))
        lists[many.name] = grouped
    return [
        Record(r, {name: grouped.get(r.pk, []) for name, grouped in lists.items()}, caches)
        for r in batch
    ]
