"""Stems made again after a change of stemmer (migration search.0005)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from search.backends import get_backend
from search.documents import restem
from search.models import SearchDocument
from search.query import parse
from search.tests.helpers import activity

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("search.migrations.0005_snowball_stems")


def _made_by_an_older_stemmer(record) -> SearchDocument:
    """The record's document with the stems the stemmer before Snowball made."""
    document = SearchDocument.objects.get(kind="activity", object_id=record.pk)
    SearchDocument.objects.filter(pk=document.pk).update(
        title_terms="arrang dialogmøt", terms="invit bruk"
    )
    return document


def test_the_stems_are_made_again_from_the_documents_text():
    record = activity("Arrangert dialogmøte", "Inviterte brukere.")
    document = _made_by_an_older_stemmer(record)
    assert document.pk not in get_backend().search(parse("arrangerer"))
    assert restem() == 1  # only the stale document is written
    document.refresh_from_db()
    assert document.title_terms == "arranger dialogmøt" and "inviter bruker" in document.terms
    assert document.pk in get_backend().search(parse("arrangerer"))  # the index follows
    assert restem() == 0


def test_an_empty_index_costs_one_query(django_assert_num_queries):
    SearchDocument.objects.all().delete()
    with django_assert_num_queries(1):
        assert restem() == 0


def test_the_migration_restems_with_its_own_model():
    record = activity("Arrangert dialogmøte", "Inviterte brukere.")
    document = _made_by_an_older_stemmer(record)
    state = MigrationLoader(connection).project_state(("search", "0005_snowball_stems"))
    MIGRATION.forwards(state.apps, None)
    document.refresh_from_db()
    assert document.title_terms == "arranger dialogmøt"
