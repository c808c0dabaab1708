"""An export takes the same number of queries whatever its size (within one batch;
test_streaming checks that they grow with the number of batches only)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.tests.conftest import body
from organisations.models import Affiliation, Person
from tests.support.testing import add_partnerships, count_queries, get_ok

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json", "jsonld"]


def query_counts(client, url: str, *, grow) -> tuple[int, int]:
    """Queries ``url`` takes, its streamed body read to the end, before and after ``grow()``."""

    def fetch():
        body(get_ok(client, url))

    fetch()  # warm caches (content types, sessions) before counting
    small = count_queries(fetch)
    grow()
    return small, count_queries(fetch)


def _grow(make_activity, make_need, make_event, usn, skien, theme, n: int, partnerships=0):
    def grow():
        for i in range(n):
            person = Person.objects.create(name=f"Person {i}", email=f"p{i}@example.org")
            Affiliation.objects.create(person=person, organisation=usn)
            a = make_activity(
                title=f"Aktivitet {i}",
                start_date=date(2024, 1, 1),
                strategic_owner=usn,
                themes=[theme],
                roles=[(usn, "partner"), (skien, "funder")],
            )
            need = make_need(title=f"Behov {i}", contact=person)
            need.led_to.set([a])
            make_event(title=f"Møte {i}", themes=[theme])
        if partnerships:
            add_partnerships(partnerships)

    return grow


def add_partnerships_later(n: int):
    return lambda: add_partnerships(n, members=2)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "kind",
    ["activities", "needs", "events", "people", "partnerships", "organisations"],
)
def test_query_count_does_not_grow(
    client, reader, kind, fmt, make_activity, make_need, make_event, usn, skien, theme
):
    client.force_login(reader)
    _grow(make_activity, make_need, make_event, usn, skien, theme, 1)()
    grow = _grow(make_activity, make_need, make_event, usn, skien, theme, 4, partnerships=3)
    small, large = query_counts(client, f"/export/{kind}.{fmt}?q=", grow=grow)
    assert small == large, (kind, fmt, small, large)


@pytest.mark.parametrize("kind", ["memberships", "affiliations", "themes"])
def test_query_count_of_relation_exports(
    client, kind, make_activity, make_need, make_event, usn, skien, theme
):
    # One row first: an empty export reads no batch at all.
    _grow(make_activity, make_need, make_event, usn, skien, theme, 1)()
    grow = _grow(make_activity, make_need, make_event, usn, skien, theme, 3, partnerships=2)
    small, large = query_counts(client, f"/export/{kind}.csv", grow=grow)
    assert small == large


def test_open_data_page_and_archive_queries_do_not_grow(
    client, make_activity, make_need, make_event, usn, skien, theme
):
    _grow(make_activity, make_need, make_event, usn, skien, theme, 1)()
    grow = _grow(make_activity, make_need, make_event, usn, skien, theme, 3)
    small, large = query_counts(client, "/open-data/", grow=add_partnerships_later(5))
    assert small == large
    small, large = query_counts(client, "/open-data/unikom-open-data.zip", grow=grow)
    assert small == large


@pytest.mark.django_db
def test_a_batch_of_keys_is_one_query_parameter_and_finds_the_same_records():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opendata.batches import among
    from partnerships.models import Partnership

    keys = list(Partnership.objects.values_list("pk", flat=True))[:7]
    assert len(keys) == 7
    with CaptureQueriesContext(connection) as one:
        found = set(Partnership.objects.filter(pk__in=among(keys)).values_list("pk", flat=True))
    assert found == set(keys)
    # The keys travel as one parameter (an array), not as seven.
    sql = one[0]["sql"]
    assert ("json_each" in sql) if connection.vendor == "sqlite" else ("unnest" in sql)
    assert among([]) == [] and among(["a-slug"]) == ["a-slug"]
