"""Ids reserved for rows written with their ids (core.bulk): an import writes its
new activities, their roles and history this way (inside the test's transaction,
as an import runs inside its own)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from activities.models import Activity
from core import bulk

pytestmark = pytest.mark.django_db


def test_reserved_ids_are_new_even_for_records_gone_from_the_table(admin_user):
    kept = Activity.objects.create(title="Beholdt", activity_type="network")
    gone = Activity.objects.create(title="Borte", activity_type="network")
    gone_pk = gone.pk
    Activity.all_objects.filter(pk=gone_pk)._raw_delete(connection.alias)  # history stays
    first = bulk.reserve_ids(Activity, 3)
    second = bulk.reserve_ids(Activity, 2) if connection.vendor == "postgresql" else None
    assert len(set(first)) == 3
    assert min(first) > max(kept.pk, gone_pk)
    if second is not None:  # PostgreSQL's sequence: a second call gets others
        assert not set(first) & set(second)


def test_written_instances_get_their_ids_history_and_times(admin_user):
    sink = bulk.Sink(now=timezone.now(), reason="Bulk test", user_id=admin_user.pk)
    objects = [Activity(title=f"Skrevet i bulk {i}", activity_type="network") for i in range(3)]
    bulk.write_instances(sink, objects)
    more = [Activity(title="Skrevet etterpå", activity_type="network")]
    bulk.write_instances(sink, more)  # the first rows are still buffered
    sink.flush()
    pks = [obj.pk for obj in objects + more]
    assert len(set(pks)) == 4
    saved = Activity.objects.in_bulk(pks)
    assert [saved[pk].title for pk in pks] == [obj.title for obj in objects + more]
    for pk in pks:
        (entry,) = saved[pk].history.all()
        assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
            "+",
            admin_user,
            "Bulk test",
        )
        assert saved[pk].created == sink.now
    fresh = Activity.objects.create(title="Lagret vanlig", activity_type="network")
    assert fresh.pk > max(pks)
