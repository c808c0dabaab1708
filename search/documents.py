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
from django.db.models import Prefetch

from search.choices import DocumentKind, Facet
from search.models import SearchDocument, SearchFacet
from search.text import index_text

BODY_MAX = 20_000


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
ORG_PATHS = tuple(f"organisation__{r}" for r in ORG_RELATED)


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


def _sources() -> dict[str, tuple[str, object]]:
    """kind -> (model label, builder, function giving the public live queryset)."""
    Membership = apps.get_model("partnerships", "Membership")
    ActivityOrganisation = apps.get_model("activities", "ActivityOrganisation")
    Affiliation = apps.get_model("organisations", "Affiliation")
    return {
        DocumentKind.PARTNERSHIP: (
            "partnerships.Partnership",
            partnership_doc,
            lambda m: m.objects.prefetch_related(
                "themes",
                Prefetch(
                    "memberships",
                    Membership.objects.select_related(*(f"organisation__{r}" for r in ORG_RELATED)),
                ),
            ),
        ),
        DocumentKind.ORGANISATION: (
            "organisations.Organisation",
            organisation_doc,
            lambda m: m.objects.select_related(*ORG_RELATED).prefetch_related(
                "memberships__partnership"
            ),
        ),
        DocumentKind.ACTIVITY: (
            "activities.Activity",
            activity_doc,
            lambda m: m.objects.filter(is_public=True).prefetch_related(
                "themes",
                "partnerships",
                Prefetch(
                    "organisation_roles",
                    ActivityOrganisation.objects.select_related(
                        *(f"organisation__{r}" for r in ORG_RELATED)
                    ),
                ),
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
            lambda m: (
                m.objects.filter(is_public=True)
                .select_related("partnership", *(f"organiser__{r}" for r in ORG_RELATED))
                .prefetch_related("themes")
            ),
        ),
        DocumentKind.PERSON: (
            "organisations.Person",
            person_doc,
            lambda m: m.objects.filter(is_public=True).prefetch_related(
                Prefetch(
                    "affiliations",
                    Affiliation.objects.select_related(*ORG_PATHS),
                )
            ),
        ),
    }


def kind_for_model(model) -> str | None:
    label = model._meta.label
    for kind, (model_label, _builder, _qs) in _sources().items():
        if model_label == label:
            return kind
    return None


def build_documents(kind: str, ids: Iterable[int] | None = None) -> Iterator[Doc]:
    model_label, builder, queryset = _sources()[kind]
    qs = queryset(apps.get_model(model_label))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for record in qs.iterator(chunk_size=500):
        yield builder(record)


def _write(docs: list[Doc]) -> None:
    for doc in docs:
        title = doc.title[:300]
        obj, _created = SearchDocument.objects.update_or_create(
            kind=doc.kind,
            object_id=doc.object_id,
            defaults={
                "title": title,
                "body": doc.body,
                "url": doc.url,
                "title_terms": index_text(title),
                "terms": index_text(doc.body),
            },
        )
        obj.facets.all().delete()
        facets, seen = [], set()
        for name, value, label in doc.facets:
            if (name, value) not in seen:
                seen.add((name, value))
                facets.append(
                    SearchFacet(document=obj, facet=name, value=value[:120], label=label[:250])
                )
        facets.append(SearchFacet(document=obj, facet=Facet.KIND, value=doc.kind, label=doc.kind))
        SearchFacet.objects.bulk_create(facets)


def update_records(kind: str, ids: Iterable[int]) -> None:
    """Index these records again, or take them out if no longer public and live."""
    ids = set(ids)
    with transaction.atomic():
        docs = list(build_documents(kind, ids))
        gone = ids - {d.object_id for d in docs}
        if gone:
            SearchDocument.objects.filter(kind=kind, object_id__in=gone).delete()
        _write(docs)


def remove_records(kind: str, ids: Iterable[int]) -> None:
    SearchDocument.objects.filter(kind=kind, object_id__in=list(ids)).delete()


def reindex(progress=None) -> int:
    """Rebuild the whole index; ``progress(done, total)`` is called as it goes."""
    sources = _sources()
    total = sum(sources[k][2](apps.get_model(sources[k][0])).count() for k in sources)
    done = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for kind in sources:
            batch: list[Doc] = []
            for doc in build_documents(kind):
                batch.append(doc)
                if len(batch) >= 200:
                    _write(batch)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(done, total)
            if batch:
                _write(batch)
                done += len(batch)
                if progress:
                    progress(done, total)
    return done
