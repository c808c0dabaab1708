"""Facet values on the document's row (search.facets) and the migration that put
them there from the table of one row per value."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search import facets
from search.choices import Facet


def test_values_are_kept_once_cut_to_size_and_in_one_order():
    status, stored = facets.encode(
        [
            (Facet.THEME, "helse", "Helse og omsorg"),
            (Facet.STATUS, "open", "Åpen"),
            (Facet.THEME, "helse", "Helse og omsorg"),
            (Facet.PARTNERSHIP, "x" * 200, "L" * 300),
        ]
    )
    assert status == "open"
    values = facets.decode("need", stored)
    assert values[0] == ("kind", "need", "need")
    assert sorted(values[1:]) == [
        ("partnership", "x" * 120, "L" * 250),
        ("status", "open", "Åpen"),
        ("theme", "helse", "Helse og omsorg"),
    ]
    _status, again = facets.encode(reversed(values[1:]))
    assert again == stored  # the same values give the same text


def test_a_document_without_values_has_its_kind():
    assert facets.encode([]) == ("", "[]")
    assert facets.decode("event", "") == [("kind", "event", "event")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_the_values_over_and_back():
    before, after = (
        [("search", "0003_simple_configuration")],
        [("search", "0004_facets_on_the_document")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    document = old.get_model("search", "SearchDocument").objects.create(
        kind="need", object_id=7, title="Sykehjem", url="/x/", title_terms="sykehjem"
    )
    old.get_model("search", "SearchFacet").objects.bulk_create(
        old.get_model("search", "SearchFacet")(document=document, facet=f, value=v, label=label)
        for f, v, label in [
            ("kind", "need", "need"),
            ("status", "open", "Åpen"),
            ("theme", "helse", "Helse og omsorg"),
        ]
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    moved = new.get_model("search", "SearchDocument").objects.get(pk=document.pk)
    assert moved.status == "open"
    assert sorted(facets.decode(moved.kind, moved.facets)) == [
        ("kind", "need", "need"),
        ("status", "open", "Åpen"),
        ("theme", "helse", "Helse og omsorg"),
    ]
    if connection.vendor == "sqlite":  # the table was copied: its triggers made again
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert {"search_fts_ai", "search_fts_ad", "search_fts_au"} <= {
                r[0] for r in cursor.fetchall()
            }
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    back = executor.loader.project_state(before).apps
    assert sorted(
        back.get_model("search", "SearchFacet")
        .objects.filter(document_id=document.pk)
        .values_list("facet", "value", "label")
    ) == [
        ("kind", "need", "need"),
        ("status", "open", "Åpen"),
        ("theme", "helse", "Helse og omsorg"),
    ]
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
