"""The search index for records written in bulk, built in bulk.

``bulk_create`` sends no signals, so nothing indexes the synthetic records as
they are written. Reading them back for ``unikom search reindex`` would load
every activity with its organisations, themes and partnerships and write
each document on its own. Instead, the generator hands each public record to
:class:`Indexer` while it still has it in memory, with its related records
attached, and the document is made by the search app's own builders
(``search.documents.activity_doc`` and the rest) — so it is the document
``reindex`` would make (a test checks this) — and written with the other rows.

Stemming is the slow part (``search.text.index_text`` normalises and stems
every word). Generated text repeats a limited vocabulary, so the stems of each
whitespace-separated token are remembered: the index text of a string is the
index text of its tokens joined, because no word spans whitespace.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any, NamedTuple

from django.db.models import Q

from core.bulk import Sink, next_id, purge
from organisations.models import Organisation
from partnerships.models import Membership
from search import documents
from search import facets as facet_values
from search.batches import display_of, url_of
from search.models import SearchDocument
from search.text import index_text


class _All:
    """Stands in for a related manager whose rows are already at hand."""

    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items

    def all(self) -> list:
        return self.items


class View:
    """A model instance with its many-valued relations given as lists.

    The search builders read ``record.themes.all()`` and the like; an unsaved
    instance has no rows to read, so these names answer from the lists.

    Two answers are remembered, as they cost more than the rest of a document:
    ``get_<field>_display()`` (Django rebuilds the choices and translates the
    label on every call) per value and language, and ``get_absolute_url()``
    (a ``reverse``) as a pattern per model and language, filled with the
    record's key (``public_id`` or ``slug``).
    """

    __slots__ = ("_instance", "_many")
    _displays: dict[tuple, str] = {}
    _urls: dict[tuple, tuple[str, str, str] | None] = {}

    def __init__(self, instance: Any, **many: list) -> None:
        self._instance = instance
        self._many = {name: _All(items) for name, items in many.items()}

    def __getattr__(self, name: str) -> Any:
        many = object.__getattribute__(self, "_many")
        if name in many:
            return many[name]
        instance = object.__getattribute__(self, "_instance")
        if name.startswith("get_") and name.endswith("_display"):
            return partial(display_of, instance, name, View._displays)
        if name == "get_absolute_url":
            return partial(url_of, instance, View._urls)
        return getattr(instance, name)


class Terms:
    """``search.text.index_text`` with the stems of each token remembered."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        cache = self.cache
        out = []
        for token in text.split():
            stems = cache.get(token)
            if stems is None:
                stems = cache[token] = index_text(token)
            if stems:
                out.append(stems)
        return " ".join(out)


BUILDERS = {
    "partnership": documents.partnership_doc,
    "activity": documents.activity_doc,
    "need": documents.need_doc,
    "event": documents.event_doc,
    "person": documents.person_doc,
    "organisation": documents.organisation_doc,
}


class Indexer:
    """Documents of records (with their facet values), written as rows through a
    :class:`Sink`."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.documents = sink.table(SearchDocument, history=False)
        self.next_id = next_id(SearchDocument) if sink.writes else 1
        self.terms = Terms()
        self.count = 0

    def add(self, kind: str, record: Any) -> None:
        self.add_doc(BUILDERS[kind](record))

    def add_doc(self, doc: documents.Doc) -> None:
        """One document, as ``search.documents._write`` stores it."""
        doc_id = self.next_id
        self.next_id += 1
        title = doc.title[:300]
        status, facets = facet_values.encode(doc.facets)
        self.documents.add(
            {
                "id": doc_id,
                "kind": doc.kind,
                "object_id": doc.object_id,
                "title": title,
                "body": doc.body,
                "url": doc.url,
                "title_terms": self.terms(title),
                "terms": self.terms(doc.body),
                "status": status,
                "facets": facets,
            }
        )
        self.count += 1

    def reindex_organisations(self) -> int:
        """Index every organisation again: their partnership facets follow the
        memberships.

        Their memberships are read in one query rather than with the search
        app's ``prefetch_related("memberships__partnership")``: on SQLite,
        Django 5.2 prefetches a foreign key with one ``OR`` per distinct target,
        and more than about a thousand partnerships exceed SQLite's expression
        depth ("Expression tree is too large") — as at the x10 scale.
        """

        self.sink.flush()
        purge(SearchDocument, Q(kind="organisation"))
        memberships = defaultdict(list)
        rows = Membership.objects.order_by("partnership__name", "role", "pk").values_list(
            "organisation_id", "partnership__slug", "partnership__name", "partnership__deleted_at"
        )
        for organisation_id, slug, name, deleted_at in rows:
            memberships[organisation_id].append(_Membership(_Partnership(slug, name, deleted_at)))
        n = 0
        for o in Organisation.objects.select_related("parent__parent").order_by("pk"):
            self.add("organisation", View(o, memberships=memberships.get(o.pk, [])))
            n += 1
        return n


class _Partnership(NamedTuple):
    slug: str
    name: str
    deleted_at: Any


class _Membership(NamedTuple):
    partnership: _Partnership
