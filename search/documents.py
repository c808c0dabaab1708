"""What goes into the index: one document per public, live record.

Each builder turns a record into a title, a body (shown in snippets), a URL
and facet values. Only public data is read: people give their name, ORCID and
affiliations — never e-mail or phone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from search import batches, vocabulary
from search import facets as facet_values
from search.backends import get_backend
from search.choices import DocumentKind, Facet
from search.models import SearchDocument
from search.text import index_text

BODY_MAX = 20_000
BATCH = 1000  # records read per batch (and ids in any IN list)
WRITE_BATCH = 1000  # rows per bulk insert (Django splits further to fit the database)


@dataclass
class Doc:
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    facets: list[tuple[str, str, str]] = field(default_factory=list)


def _county(org) -> tuple[str, str, str] | None:
    if org is None:
        return None
    county = org if org.kind == "county" else None
    if county is None and org.parent_id:
        parent = org.parent
        county = parent if parent.kind == "county" else getattr(parent, "parent", None)
        if county is not None and county.kind != "county":
            county = None
    return (Facet.COUNTY, county.slug, county.name) if county else None


def _themes(themes) -> list[tuple[str, str, str]]:
    return [(Facet.THEME, t.slug, t.name) for t in themes]


def _partnerships(partnerships) -> list[tuple[str, str, str]]:
    return [(Facet.PARTNERSHIP, p.slug, p.name) for p in partnerships if p.deleted_at is None]


def _year(value) -> list[tuple[str, str, str]]:
    return [(Facet.YEAR, str(value), str(value))] if value else []


def _status(record) -> list[tuple[str, str, str]]:
    status = getattr(record, "status", "")
    if not status:
        return []
    return [(Facet.STATUS, status, str(record.get_status_display()))]


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)[:BODY_MAX]


ORG_RELATED = ("parent", "parent__parent")


# -- builders ---------------------------------------------------------------


def partnership_doc(p) -> Doc:
    orgs = [m.organisation for m in p.memberships.all()]
    facets = [*_themes(p.themes.all()), *_status(p), *_year(p.agreement_year or p.roots_year)]
    facets += [(Facet.PARTNERSHIP, p.slug, p.name)]
    facets += [c for c in map(_county, orgs) if c]
    body = _join(
        p.summary,
        p.purpose,
        " · ".join(map(str, p.focus_areas or [])),
        " · ".join(map(str, p.aliases or [])),
        ", ".join(o.name for o in orgs),
    )
    return Doc(DocumentKind.PARTNERSHIP, p.pk, p.name, body, p.get_absolute_url(), facets)


def organisation_doc(o) -> Doc:
    facets = [c for c in [_county(o)] if c]
    facets += _partnerships(m.partnership for m in o.memberships.all())
    body = _join(o.official_name, o.name_en, o.short_name, o.get_kind_display())
    return Doc(DocumentKind.ORGANISATION, o.pk, o.name, body, o.get_absolute_url(), facets)


def activity_doc(a) -> Doc:
    orgs = [r.organisation for r in a.organisation_roles.all()]
    facets = [*_themes(a.themes.all()), *_status(a), *_partnerships(a.partnerships.all())]
    facets += _year(a.start_date.year if a.start_date else None)
    facets += [c for c in map(_county, orgs) if c]
    body = _join(a.summary, a.get_activity_type_display(), ", ".join(o.name for o in orgs))
    return Doc(DocumentKind.ACTIVITY, a.pk, a.title, body, a.get_absolute_url(), facets)


def need_doc(n) -> Doc:
    facets = [*_status(n), *_year(n.created.year if n.created else None)]
    if n.service_area:
        facets += _themes([n.service_area])
    if n.partnership:
        facets += _partnerships([n.partnership])
    facets += [c for c in [_county(n.organisation)] if c]
    body = _join(n.description, n.organisation.name if n.organisation else "")
    return Doc(DocumentKind.NEED, n.pk, n.title, body, n.get_absolute_url(), facets)


def event_doc(e) -> Doc:
    facets = [*_themes(e.themes.all()), *_year(e.starts_at.year)]
    if e.partnership:
        facets += _partnerships([e.partnership])
    facets += [c for c in [_county(e.organiser)] if c]
    body = _join(e.description, e.location, e.organiser.name if e.organiser else "")
    return Doc(DocumentKind.EVENT, e.pk, e.title, body, e.get_absolute_url(), facets)


def person_doc(p) -> Doc:
    affiliations = list(p.affiliations.all())
    facets = [c for c in (_county(a.organisation) for a in affiliations) if c]
    body = _join(
        *(f"{a.title} {a.unit} {a.organisation.name}".strip() for a in affiliations), p.orcid
    )
    return Doc(DocumentKind.PERSON, p.pk, p.name, body, p.get_absolute_url(), facets)


# -- sources ------------------------------------------------------------------


def _sources() -> dict[str, tuple[str, object, object]]:
    """kind -> (model label, builder, function giving the public live queryset).

    The querysets join the record's own foreign keys; many-valued relations
    (themes, memberships, roles, affiliations) are read per batch by
    search.batches.
    """
    return {
        DocumentKind.PARTNERSHIP: (
            "partnerships.Partnership",
            partnership_doc,
            lambda m: m.objects,
        ),
        DocumentKind.ORGANISATION: (
            "organisations.Organisation",
            organisation_doc,
            lambda m: m.objects.select_related(*ORG_RELATED),
        ),
        DocumentKind.ACTIVITY: (
            "activities.Activity",
            activity_doc,
            # Only what activity_doc reads: an index holds many activities.
            lambda m: m.objects.filter(is_public=True).only(
                "public_id", "title", "summary", "activity_type", "status", "start_date"
            ),
        ),
        DocumentKind.NEED: (
            "needs.Need",
            need_doc,
            lambda m: m.objects.filter(is_public=True).select_related(
                "service_area", "partnership", *(f"organisation__{r}" for r in ORG_RELATED)
            ),
        ),
        DocumentKind.EVENT: (
            "events.Event",
            event_doc,
            lambda m: m.objects.filter(is_public=True).select_related(
                "partnership", *(f"organiser__{r}" for r in ORG_RELATED)
            ),
        ),
        DocumentKind.PERSON: (
            "organisations.Person",
            person_doc,
            lambda m: m.objects.filter(is_public=True).only("public_id", "name", "orcid"),
        ),
    }


def kind_for_model(model) -> str | None:
    label = model._meta.label
    for kind, (model_label, _builder, _qs) in _sources().items():
        if model_label == label:
            return kind
    return None


def _batches(
    kind: str, ids: Iterable[int] | None = None, size: int = BATCH, caches=None
) -> Iterator[list]:
    """The public, live records of ``kind`` in batches of ``size`` (search.batches)."""
    model_label, _builder, queryset = _sources()[kind]
    return batches.records(
        kind, queryset(apps.get_model(model_label)), ids=ids, size=size, caches=caches
    )


def build_documents(kind: str, ids: Iterable[int] | None = None) -> Iterator[Doc]:
    builder = _sources()[kind][1]
    for batch in _batches(kind, ids):
        yield from map(builder, batch)


def _columns(doc: Doc) -> dict:
    title = doc.title[:300]
    status, facets = facet_values.encode(doc.facets)
    return {
        "title": title,
        "body": doc.body,
        "url": doc.url,
        "title_terms": index_text(title),
        "terms": index_text(doc.body),
        "status": status,
        "facets": facets,
    }


def _insert(docs: list[Doc]) -> None:
    """Add documents not in the index yet (one statement per batch)."""
    rows = []
    for d in docs:
        c = _columns(d)
        rows.append(
            (
                d.kind,
                d.object_id,
                c["title"],
                c["body"],
                c["url"],
                c["title_terms"],
                c["terms"],
                c["status"],
                c["facets"],
            )
        )
    get_backend().insert_documents(rows)


def _write(docs: list[Doc]) -> None:
    """Store these documents, replacing any of the same records (their ids are kept)."""
    by_kind: dict[str, list[Doc]] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind, []).append(doc)
    for kind, group in by_kind.items():
        existing = dict(
            SearchDocument.objects.filter(
                kind=kind, object_id__in=[d.object_id for d in group]
            ).values_list("object_id", "pk")
        )
        fresh = [d for d in group if d.object_id not in existing]
        for doc in group:
            if doc.object_id in existing:
                SearchDocument.objects.filter(pk=existing[doc.object_id]).update(**_columns(doc))
        if fresh:
            _insert(fresh)


def update_records(kind: str, ids: Iterable[int]) -> None:
    """Index these records again, or take them out if no longer public and live."""
    ids = set(ids)
    builder = _sources()[kind][1]
    built: set[int] = set()
    with transaction.atomic():
        for batch in _batches(kind, ids):
            docs = [builder(record) for record in batch]
            built.update(d.object_id for d in docs)
            _write(docs)
        gone = sorted(ids - built)
        for start in range(0, len(gone), BATCH):
            remove_records(kind, gone[start : start + BATCH])
        vocabulary.changed()


def remove_records(kind: str, ids: Iterable[int]) -> None:
    SearchDocument.objects.filter(kind=kind, object_id__in=list(ids)).delete()
    vocabulary.changed()


def restem(model=SearchDocument, batch_size: int = 1000) -> int:
    """Stem every document's stored title and text again; the number of documents changed.

    For a new stemmer (search.text): the stems are made from the title and text
    the document already holds, as ``reindex`` makes them, so the records are
    not read and ``model`` may be a migration's historical model. Documents are
    read in batches by id and only those whose stems differ are written (the
    backends' triggers keep the full-text index in step); an empty index costs
    one query.
    """
    changed, last = 0, 0
    fields = ["id", "title", "body", "title_terms", "terms"]
    while True:
        batch = list(
            model._base_manager.filter(pk__gt=last).order_by("pk").only(*fields)[:batch_size]
        )
        if not batch:
            break
        last = batch[-1].pk
        stale = []
        for doc in batch:
            title_terms, terms = index_text(doc.title), index_text(doc.body)
            if (title_terms, terms) != (doc.title_terms, doc.terms):
                doc.title_terms, doc.terms = title_terms, terms
                stale.append(doc)
        model._base_manager.bulk_update(stale, ["title_terms", "terms"])
        changed += len(stale)
    if changed:
        vocabulary.changed()
    return changed


def _count(kind: str) -> int:
    model_label, _builder, queryset = _sources()[kind]
    return queryset(apps.get_model(model_label)).count()


def reindex(progress=None, batch_size: int = BATCH) -> int:
    """Rebuild the whole index; ``progress(done, total)`` is called as it goes.

    One transaction. Records are read in keyset batches with their relations
    (a fixed number of queries per batch), documents (with their facet values)
    are written with bulk inserts, and the backend rebuilds its full-text structure in one
    pass at the end (search.backends).

    The kinds are written interleaved, each in proportion to its size (a
    round of about ``batch_size`` documents holds some of every kind), so
    document ids follow the records' own order within each kind and mix the
    kinds evenly: "the newest documents holding a word" (discovery.backends)
    then means the newest of every kind, not the kind written last.
    """
    kinds = list(_sources())
    counts = {k: _count(k) for k in kinds}
    total = sum(counts.values())
    sizes = {k: max(1, -(-batch_size * counts[k] // max(total, 1))) for k in kinds}
    caches = batches.Caches()
    done = 0
    written = dict.fromkeys(kinds, 0)

    def write(docs: list[Doc]) -> None:
        nonlocal done
        if docs:
            _insert(docs)
            done += len(docs)
            if progress:
                progress(done, total)

    with transaction.atomic(), get_backend().bulk_load():
        streams = {k: _batches(k, size=sizes[k], caches=caches) for k in kinds}
        built: list[Doc] = []
        while streams:
            # A round's records are read before the round before is written: a
            # backend that writes in the background (PostgreSQL) then stores
            # those while these are built, instead of holding up the reading.
            read = []
            for kind in list(streams):
                batch = next(streams[kind], None)
                if batch is None:
                    del streams[kind]
                else:
                    read.append((kind, batch))
            write(built)
            round_docs: list[tuple[float, Doc]] = []
            for kind, batch in read:
                builder = _sources()[kind][1]
                for record in batch:
                    # Where in its kind this record lies (0–1): the order of the round.
                    place = (written[kind] + 0.5) / max(counts[kind], 1)
                    round_docs.append((place, builder(record)))
                    written[kind] += 1
            round_docs.sort(key=lambda pair: pair[0])
            built = [doc for _place, doc in round_docs]
        write(built)
    vocabulary.changed()
    return done
