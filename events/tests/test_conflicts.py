"""Two people editing the same event cannot overwrite each other."""

from __future__ import annotations

import pytest

from events.models import Event

from .helpers import edit_data

pytestmark = pytest.mark.django_db


def test_the_second_save_of_the_same_version_is_refused_and_keeps_the_typing(
    client, coordinator, editor, make_event
):
    event = make_event()
    url = f"/events/{event.public_id}/edit/"
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    first = edit_data(client, url)
    second = edit_data(client, url)
    assert first["version"] == second["version"] == 1

    first["title"] = "Først lagret"
    assert client.post(url, first).status_code == 302

    second["title"] = "Skrevet samtidig"
    second["location"] = "Et annet sted"
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it" in html
    assert 'value="Skrevet samtidig"' in html and 'value="Et annet sted"' in html

    event = Event.objects.get(pk=event.pk)
    assert (event.title, event.version, event.sequence) == ("Først lagret", 2, 1)


def test_a_form_without_a_version_is_refused(client, coordinator, make_event):
    event = make_event()
    url = f"/events/{event.public_id}/edit/"
    client.force_login(coordinator)
    data = edit_data(client, url)
    del data["version"]
    assert client.post(url, data).status_code == 409
