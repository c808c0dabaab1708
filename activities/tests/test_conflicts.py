"""Two people editing the same activity cannot overwrite each other."""

from __future__ import annotations

import pytest

from activities.models import Activity

from .helpers import add_row, edit_data

pytestmark = pytest.mark.django_db


def test_the_second_save_of_an_old_version_is_refused_and_keeps_the_typing(
    client, coordinator, make_activity, usn
):
    activity = make_activity()
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    first, second = edit_data(client, url), edit_data(client, url)
    assert first["version"] == second["version"] == 1

    first["title"] = "Først lagret"
    assert client.post(url, first).status_code == 302

    second["title"] = "Skrevet samtidig"
    second["summary"] = "Et sammendrag som ikke må gå tapt."
    add_row(second, "organisations", "organisation", usn, "funder")
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it" in html
    assert 'value="Skrevet samtidig"' in html
    assert "Et sammendrag som ikke må gå tapt." in html
    row = response.context["formsets"][0].forms[0]
    assert row["organisation"].value() == str(usn.pk) and row["role"].value() == "funder"

    activity.refresh_from_db()
    assert activity.title == "Først lagret" and activity.version == 2
    assert not activity.organisation_roles.exists()


def test_a_save_after_reloading_the_new_version_succeeds(client, coordinator, make_activity):
    activity = make_activity()
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    first = edit_data(client, url)
    first["title"] = "Versjon to"
    assert client.post(url, first).status_code == 302
    again = edit_data(client, url)
    assert again["version"] == 2
    again["title"] = "Versjon tre"
    assert client.post(url, again).status_code == 302
    assert Activity.objects.get(pk=activity.pk).version == 3
