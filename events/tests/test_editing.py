"""Coordinators and organisation editors add, edit, trash and restore events in the site."""

from __future__ import annotations

import pytest

from events.models import Event

from .helpers import edit_data, post_data

pytestmark = pytest.mark.django_db

ADD = "/events/add/"


def urls(event: Event) -> dict[str, str]:
    base = f"/events/{event.public_id}/"
    return {"edit": base + "edit/", "trash": base + "trash/", "history": base + "history/"}


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_a_role_holder_goes_through_the_whole_life_of_an_event(
    client, request, role, partnership, drammen
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    data = post_data(
        organiser=drammen.pk, partnership=partnership.pk if role == "coordinator" else ""
    )
    assert client.post(ADD, data).status_code == 302
    event = Event.objects.get(title="Nettverksmøte")
    assert event.history.count() == 1 and event.history.first().history_user == user

    data = edit_data(client, urls(event)["edit"])
    data["title"] = "Nettverksmøte om velferd"
    assert client.post(urls(event)["edit"], data).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.version, event.sequence) == ("Nettverksmøte om velferd", 2, 1)

    history = client.get(urls(event)["history"]).content.decode()
    assert "Nettverksmøte om velferd" in history and user.username in history

    assert client.get(urls(event)["trash"]).status_code == 200
    assert client.post(urls(event)["trash"]).status_code == 302
    assert client.get(event.get_absolute_url()).status_code == 404
    trash = client.get("/trash/").content.decode()
    assert "Nettverksmøte om velferd" in trash

    restore = f"/trash/events/event/{event.pk}/restore/"
    assert client.post(restore).status_code == 302
    assert client.get(event.get_absolute_url()).status_code == 200


def test_the_edit_links_show_only_to_those_who_may_edit(client, make_event, coordinator, reader):
    event = make_event()
    assert urls(event)["edit"] not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(reader)
    assert urls(event)["edit"] not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert urls(event)["edit"] in client.get(event.get_absolute_url()).content.decode()


def test_an_organisation_editor_edits_the_events_their_organisation_organises(
    client, make_event, editor, other_partnership, drammen
):
    event = make_event(partnership=other_partnership, organiser=drammen)
    client.force_login(editor)
    data = edit_data(client, urls(event)["edit"])
    data["location"] = "Papirbredden"
    assert client.post(urls(event)["edit"], data).status_code == 302
    event.refresh_from_db()
    assert event.location == "Papirbredden" and event.partnership == other_partnership


@pytest.mark.parametrize("role", ["coordinator", "editor", "reader"])
def test_records_out_of_scope_answer_404(
    client, request, role, make_event, other_partnership, skien
):
    event = make_event(partnership=other_partnership, organiser=skien)
    client.force_login(request.getfixturevalue(role))
    for url in (urls(event)["edit"], urls(event)["trash"]):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert client.post(f"/trash/events/event/{event.pk}/restore/").status_code == 404
    event.refresh_from_db()
    assert not event.in_trash


def test_a_reader_may_not_add_events(client, reader):
    client.force_login(reader)
    assert client.get(ADD).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, make_event):
    event = make_event()
    for url in (ADD, urls(event)["edit"], urls(event)["trash"]):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_offers_only_parties_the_user_may_use(client, coordinator, editor, drammen):
    client.force_login(coordinator)
    form = client.get(ADD).context["form"]
    assert list(form.fields["partnership"].queryset.values_list("slug", flat=True)) == [
        "usn-drammen"
    ]
    assert set(form.fields["organiser"].queryset.values_list("slug", flat=True)) == {
        "drammen",
        "usn",
    }
    client.force_login(editor)
    form = client.get(ADD).context["form"]
    # an organisation editor may tie records to partnerships their organisation is in
    assert list(form.fields["partnership"].queryset.values_list("slug", flat=True)) == [
        "usn-drammen"
    ]
    assert list(form.fields["organiser"].queryset) == [drammen]


def test_posting_for_another_partnership_is_refused(client, coordinator, other_partnership, skien):
    client.force_login(coordinator)
    data = post_data(organiser=skien.pk, partnership=other_partnership.pk)
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert {"organiser", "partnership"} <= set(response.context["form"].errors)
    assert not Event.objects.filter(title="Nettverksmøte").exists()


def test_a_coordinator_cannot_post_for_a_member_without_the_partnership(
    client, coordinator, drammen
):
    client.force_login(coordinator)
    response = client.post(ADD, post_data(organiser=drammen.pk))
    assert response.status_code == 403
    assert not Event.objects.filter(title="Nettverksmøte").exists()


def test_a_coordinator_cannot_move_an_event_to_another_partnership(
    client, coordinator, make_event, other_partnership
):
    event = make_event()
    client.force_login(coordinator)
    data = edit_data(client, urls(event)["edit"])
    data["partnership"] = other_partnership.pk
    assert client.post(urls(event)["edit"], data).status_code == 200
    event.refresh_from_db()
    assert event.partnership.slug == "usn-drammen"
