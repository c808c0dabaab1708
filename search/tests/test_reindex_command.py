from io import StringIO

import pytest
from django.core.management import call_command

from search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_the_index_and_shows_progress():
    SearchDocument.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("search", "reindex", stdout=out, stderr=err)
    assert SearchDocument.objects.filter(kind="partnership").count() == 15
    assert "Indexed" in out.getvalue()
    assert "[" in err.getvalue() and "/" in err.getvalue()


def test_reindex_finds_what_was_missing():
    from search.tests.conftest import titles

    SearchDocument.objects.all().delete()
    assert titles("drammen") == []
    call_command("search", "reindex", "--no-progress", stdout=StringIO())
    assert titles("drammen")
