"""The Event model keeps its dates in order, a place or link, and a growing SEQUENCE."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from events.models import Event

pytestmark = pytest.mark.django_db


def test_an_event_cannot_end_before_it_starts(make_event):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at - timedelta(minutes=1))


def test_an_event_may_end_when_it_starts(make_event):
    event = make_event()
    event.ends_at = event.starts_at
    event.save()


def test_an_event_needs_a_place_or_an_online_link(make_event):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(location="", online_url="")
    make_event(location="", online_url="https://example.org/meet")


def test_an_unknown_kind_is_refused_by_the_database(make_event):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(kind="party")


def test_every_edit_bumps_the_sequence_but_the_trash_does_not(make_event, reader):
    event = make_event()
    assert event.sequence == 0
    event.title = "Nytt navn"
    event.save()
    event.save()
    assert Event.objects.get(pk=event.pk).sequence == 2
    event.move_to_trash(reader)
    event.restore(reader)
    assert Event.all_objects.get(pk=event.pk).sequence == 2


def test_the_uid_is_the_public_id_and_never_changes(make_event):
    event = make_event()
    uid = event.ical_uid
    event.title = "Endret"
    event.save()
    assert uid == f"{event.public_id}@unikom" == Event.objects.get(pk=event.pk).ical_uid


def test_an_event_reads_as_its_title_and_links_by_public_id(make_event):
    event = make_event(title="Forskningskonferansen")
    assert str(event) == "Forskningskonferansen"
    assert event.get_absolute_url() == f"/events/{event.public_id}/"


def test_the_trash_hides_an_event_from_the_default_manager(make_event, reader):
    event = make_event()
    event.move_to_trash(reader)
    assert not Event.objects.filter(pk=event.pk).exists()
    assert Event.all_objects.filter(pk=event.pk).exists()


def test_the_history_leaves_out_the_sequence(make_event):
    event = make_event()
    event.title = "Endret"
    event.save()
    newest, oldest = event.history.order_by("-history_id")[:2]
    changed = {c.field for c in newest.diff_against(oldest).changes}
    assert changed == {"title"}
