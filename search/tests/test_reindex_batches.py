"""The rebuild reads records in batches with grouped queries and writes in bulk;
the documents are exactly those the builders make from ordinary model instances."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from activities.models import Activity, ActivityOrganisation
from events.models import Event
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Membership, Partnership, Theme
from search import documents, service
from search import facets as facet_values
from search import signals as search_signals
from search.models import SearchDocument
from search.query import parse
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db

ORG = ("organisation__parent", "organisation__parent__parent")


def reference_documents() -> set[tuple]:
    """Documents as the builders make them from model instances with prefetched
    relations (how the index was built before batches), one record at a time."""
    sources = {
        "partnership": Partnership.objects.prefetch_related(
            "themes", Prefetch("memberships", Membership.objects.select_related(*ORG))
        ),
        "organisation": Organisation.objects.select_related("parent__parent").prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("partnership"))
        ),
        "activity": Activity.objects.filter(is_public=True).prefetch_related(
            "themes",
            "partnerships",
            Prefetch("organisation_roles", ActivityOrganisation.objects.select_related(*ORG)),
        ),
        "need": documents._sources()["need"][2](apps_model("needs.Need")),
        "event": Event.objects.filter(is_public=True)
        .select_related("partnership", "organiser__parent__parent")
        .prefetch_related("themes"),
        "person": Person.objects.filter(is_public=True).prefetch_related(
            Prefetch("affiliations", Affiliation.objects.select_related(*ORG))
        ),
    }
    builders = {kind: source[1] for kind, source in documents._sources().items()}
    out = set()
    for kind, queryset in sources.items():
        for record in queryset:
            doc = builders[kind](record)
            out.add(_stored(doc))
    return out


def apps_model(label):
    from django.apps import apps

    return apps.get_model(label)


def _stored(doc) -> tuple:
    return (doc.kind, doc.object_id, *documents._columns(doc).values())


def index_contents() -> set[tuple]:
    return {
        (
            d.kind,
            d.object_id,
            d.title,
            d.body,
            d.url,
            d.title_terms,
            d.terms,
            d.status,
            d.facets,
        )
        for d in SearchDocument.objects.all()
    }


@pytest.fixture
def varied():
    """Records with several of every relation, so the order of joined names matters."""
    usn, ntnu, drammen, skien = (
        Organisation.objects.get(slug=s) for s in ("usn", "ntnu", "drammen", "skien")
    )
    unit = Organisation.objects.create(
        slug="usn-helse", name="Fakultet for helse- og sosialvitenskap", kind="other", parent=usn
    )
    themes = list(Theme.objects.order_by("slug")[:3])
    ps = list(Partnership.objects.order_by("slug")[:3])
    for i in range(7):
        a = Activity.objects.create(
            title=f"Velferdsteknologi i sykehjemmene {i}",
            summary="Ansatte og pasienter prøver sensorer og medisinroboter.",
            activity_type="research_project",
            status="ongoing",
            start_date=date(2020 + i, 1, 1) if i % 3 else None,
        )
        a.themes.set(themes[: 1 + i % 3])
        a.partnerships.set(ps[: i % 4])
        for org, role in ((drammen, "partner"), (unit, "partner"), (ntnu, "owner"))[: 1 + i % 3]:
            ActivityOrganisation.objects.create(activity=a, organisation=org, role=role)
    Activity.objects.create(
        title="Skjult prosjekt", activity_type="research_project", is_public=False
    )
    person = Person.objects.create(name="Kari Nordmann", orcid="0000-0002-1825-0097")
    Affiliation.objects.create(
        person=person, organisation=unit, title="Professor", unit="Sykepleie"
    )
    Affiliation.objects.create(person=person, organisation=skien, title="Rådgiver")
    Affiliation.objects.create(
        person=person, organisation=ntnu, title="Professor II", valid_from=date(2019, 1, 1)
    )
    start = timezone.make_aware(datetime(2026, 3, 1, 10))
    e = Event.objects.create(
        title="Dialogmøte om velferdsteknologi",
        kind="dialogue_meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        organiser=drammen,
        location="Drammen bibliotek",
        partnership=ps[0],
    )
    e.themes.set(themes[:2])
    ps[1].move_to_trash(None)  # a trashed partnership is no facet of anything


def test_reindex_in_batches_gives_the_documents_of_plain_model_instances(varied):
    expected = reference_documents()
    assert {row[0] for row in expected} >= {"partnership", "organisation", "activity", "person"}
    for size in (1, 3, 1000):
        documents.reindex(batch_size=size)
        assert index_contents() == expected, size


def test_updating_records_in_batches_gives_the_same_documents(varied):
    documents.reindex()
    expected = index_contents()
    ids = list(Activity.objects.values_list("pk", flat=True))
    SearchDocument.objects.filter(kind="activity").update(title="stale", terms="", title_terms="")
    documents.update_records("activity", ids)
    assert index_contents() == expected
    # ... and the full-text structure follows the rows.
    assert service.run("medisinroboter").ids


def test_reindex_queries_do_not_grow_with_the_records():
    themes = list(Theme.objects.all()[:2])
    usn, ntnu = Organisation.objects.get(slug="usn"), Organisation.objects.get(slug="ntnu")

    def add(n):
        for i in range(n):
            a = Activity.objects.create(title=f"Prosjekt {i}", activity_type="research_project")
            a.themes.set(themes)
            a.partnerships.set(Partnership.objects.all()[:2])
            ActivityOrganisation.objects.create(activity=a, organisation=usn, role="partner")
            p = Person.objects.create(name=f"Forsker {i}")
            Affiliation.objects.create(person=p, organisation=ntnu)

    def reindex():
        documents.reindex(batch_size=10_000)

    add(2)
    few = count_queries(reindex)
    add(30)
    assert count_queries(reindex) == few


def test_full_text_structure_is_rebuilt_and_kept_current_after_a_reindex():
    documents.reindex()
    assert service.run("drammen").ids
    a = Activity.objects.create(title="Kystkultur i Lofoten", activity_type="research_project")
    assert service.run("kystkultur").ids == [
        SearchDocument.objects.get(kind="activity", object_id=a.pk).pk
    ]
    a.delete()
    assert service.run("kystkultur").ids == []
    assert get_backend_ids(parse("kystkultur")) == []


def get_backend_ids(query):
    from search.backends import get_backend

    return get_backend().search(query)


def test_an_organisation_in_more_than_a_thousand_partnerships_is_indexed():
    """x10 scale: Django 5.2's foreign-key prefetch ORs one condition per
    partnership, and SQLite refused more than about a thousand."""
    usn = Organisation.objects.get(slug="usn")
    with search_signals.paused():
        made = Partnership.objects.bulk_create(
            Partnership(slug=f"p-{i}", name=f"Samarbeid {i}", kind="cluster") for i in range(1100)
        )
        Membership.objects.bulk_create(
            Membership(partnership=p, organisation=usn, role="academic_partner") for p in made
        )
    documents.reindex()
    assert len(partnership_facets(usn)) >= 1100
    if connection.vendor == "sqlite":
        # The same through the signal path (one record).
        documents.update_records("organisation", [usn.pk])
        assert len(partnership_facets(usn)) >= 1100


def partnership_facets(organisation) -> list[str]:
    doc = SearchDocument.objects.get(kind="organisation", object_id=organisation.pk)
    return [v for f, v, _label in facet_values.decode(doc.kind, doc.facets) if f == "partnership"]


def test_a_rebuild_that_fails_half_way_leaves_the_index_as_it_was(monkeypatch):
    """On PostgreSQL batches are stored by a writing thread: its failure reaches
    the rebuild, which rolls back; on SQLite the write fails in the rebuild."""
    from search.backends import get_backend

    with search_signals.paused():
        Activity.objects.bulk_create(
            Activity(title=f"Kystkultur {i}", activity_type="research_project") for i in range(60)
        )
    documents.reindex()
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "title", "facets"))
    backend = type(get_backend())
    method = "_copy" if hasattr(backend, "_copy") else "insert_documents"
    original = getattr(backend, method)
    calls = []

    def fail_on_the_second_batch(self, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, rows)

    monkeypatch.setattr(backend, method, fail_on_the_second_batch)
    with pytest.raises(RuntimeError, match="disk full"):
        documents.reindex(batch_size=20)
    monkeypatch.undo()
    assert len(calls) == 2
    assert (
        sorted(SearchDocument.objects.values_list("kind", "object_id", "title", "facets")) == before
    )
    assert service.run("kystkultur").ids
