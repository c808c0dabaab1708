"""Related work reads a bounded part of the index: per key term its newest
postings, and document frequencies counted up to a cap (then estimated)."""

from __future__ import annotations

import pytest
from django.db import connection

from discovery import backends, related, similarity
from discovery.tests.helpers import activity, need
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_bounds(monkeypatch):
    """Bounds small enough for a test database to exceed them."""
    monkeypatch.setattr(backends, "SCAN_TOTAL", 12)
    monkeypatch.setattr(backends, "MIN_SCAN", 6)
    monkeypatch.setattr(backends, "KEEP", 4)
    monkeypatch.setattr(backends, "DF_CAP", 2 * 2 * backends.PARTS)


def test_a_common_term_contributes_only_its_newest_documents(small_bounds):
    common = [
        activity(f"Fellesprosjekt {i}", "Hverdagsrehabilitering i kommunen.") for i in range(12)
    ]
    found = backends.candidates({"hverdagsrehabilitering": 1.0}, ["activity"], limit=80)
    assert {c.object_id for c in found} == {a.pk for a in common[-backends.KEEP :]}


def test_a_rare_term_is_read_in_full_however_common_the_others(small_bounds):
    rare = activity("Tareskog og kystkultur", "Tareskog langs kysten.")
    for i in range(12):
        activity(f"Fellesprosjekt {i}", "Kystkultur i kommunen.")
    source = activity("Tareskog i fjorden", "Tareskog og kystkultur i fjorden.")
    titles = [r.title for r in related.related_work(source)]
    assert "Tareskog og kystkultur" in titles
    assert rare.pk in {r.object_id for r in related.related_work(source)}


def test_document_frequencies_are_exact_below_the_cap_and_estimated_above(small_bounds):
    for i in range(3):
        activity(f"Sjeldent {i}", "Tareskog.")
    for i in range(60):
        activity(f"Prosjekt {i}", "Hverdagsrehabilitering." if i % 2 else "Annet.")
    df, total = backends.document_frequencies(["tareskog", "hverdagsrehabilitering", "zzqx"])
    assert total == SearchDocument.objects.count()
    assert df["tareskog"] == 3
    assert "zzqx" not in df
    if connection.vendor == "sqlite":
        # 30 documents: two counted from each end of each part, the rest
        # estimated from their density.
        assert 20 <= df["hverdagsrehabilitering"] <= 45
    else:
        # Counted up to the cap; the planner's statistics (none yet in a test
        # database) would give the rest.
        assert df["hverdagsrehabilitering"] >= backends.DF_CAP


def test_candidates_never_include_the_record_itself_or_other_kinds(small_bounds):
    a = activity("Tareskog i fjorden", "Tareskog.")
    n = need("Tareskog trenger kunnskap", "Tareskog.")
    found = backends.candidates({"tareskog": 1.0}, ["need"], exclude=("activity", a.pk))
    assert [(c.kind, c.object_id) for c in found] == [("need", n.pk)]
    found = backends.candidates({"tareskog": 1.0}, ["activity", "need"], exclude=("activity", a.pk))
    assert ("activity", a.pk) not in {(c.kind, c.object_id) for c in found}


def test_more_like_this_costs_the_same_queries_however_many_documents_match():
    from tests.support.testing import count_queries

    source = activity("Velferdsteknologi i sykehjem", "Sensorer og medisinroboter.")
    profile = similarity.profile_of(*related.source_text(source))

    def run():
        similarity.more_like_this(profile, ["activity", "need"], exclude=("activity", source.pk))

    few = count_queries(run)
    for i in range(30):
        activity(f"Sykehjem {i}", "Velferdsteknologi, sensorer og medisinroboter.")
    assert count_queries(run) == few
    # Document frequencies and candidates (PostgreSQL: each in a transaction
    # that switches JIT off for it).
    assert few == 2 if connection.vendor == "sqlite" else few <= 8
