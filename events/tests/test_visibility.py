"""Anonymous visitors never see events that are not public."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_public_events_only(client, make_event):
    public = make_event(title="Åpent seminar")
    hidden = make_event(title="Internt arbeidsmøte", is_public=False)
    html = client.get("/events/").content.decode()
    assert public.title in html and hidden.title not in html
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/events/{hidden.public_id}/event.ics").status_code == 404
    assert client.get(f"/events/{hidden.public_id}/history/").status_code == 404


def test_signed_in_readers_see_non_public_events_marked_as_such(client, make_event, reader):
    hidden = make_event(title="Internt arbeidsmøte", is_public=False)
    client.force_login(reader)
    client.cookies["django_language"] = "en"
    assert hidden.title in client.get("/events/").content.decode()
    html = client.get(hidden.get_absolute_url()).content.decode()
    assert "Only signed-in users see this event" in html


def test_a_calendar_file_of_a_non_public_event_is_not_kept_by_shared_caches(
    client, make_event, reader
):
    public = make_event(title="Åpent seminar")
    hidden = make_event(title="Internt arbeidsmøte", is_public=False)
    client.force_login(reader)
    kept = client.get(f"/events/{public.public_id}/event.ics")
    assert "public" in kept["Cache-Control"] and "max-age=900" in kept["Cache-Control"]
    private = client.get(f"/events/{hidden.public_id}/event.ics")
    assert private.status_code == 200
    assert "public" not in private["Cache-Control"]
    assert "private" in private["Cache-Control"] and "no-store" in private["Cache-Control"]


def test_a_trashed_event_is_gone_from_pages(client, make_event, reader):
    event = make_event(title="Avlyst konferanse")
    event.move_to_trash(reader)
    client.force_login(reader)
    assert event.title not in client.get("/events/").content.decode()
    assert client.get(event.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("key", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_or_malformed_ids_answer_404(client, key):
    assert client.get(f"/events/{key}/").status_code == 404
    assert client.get(f"/events/{key}/history/").status_code == 404
