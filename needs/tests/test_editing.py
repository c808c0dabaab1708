"""Coordinators and organisation editors post, edit, trash and restore needs in the site."""

from __future__ import annotations

import pytest

from needs.models import Need
from organisations.models import Organisation

from .helpers import ADD, edit_data, post_data, urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_a_role_holder_goes_through_the_whole_life_of_a_need(
    client, request, role, partnership, drammen
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    data = post_data(
        organisation=drammen.pk, partnership=partnership.pk if role == "coordinator" else ""
    )
    assert client.post(ADD, data).status_code == 302
    need = Need.objects.get(title=data["title"])
    assert need.history.count() == 1 and need.history.first().history_user == user

    data = edit_data(client, urls(need)["edit"])
    data.update(title="Velferdsteknologi: hva virker?", status="in_dialogue")
    assert client.post(urls(need)["edit"], data).status_code == 302
    need.refresh_from_db()
    assert (need.title, need.status, need.version) == (
        "Velferdsteknologi: hva virker?",
        "in_dialogue",
        2,
    )

    history = client.get(urls(need)["history"]).content.decode()
    assert "Velferdsteknologi: hva virker?" in history and "In dialogue" in history
    assert user.username in history

    assert client.get(urls(need)["trash"]).status_code == 200
    assert client.post(urls(need)["trash"]).status_code == 302
    assert client.get(need.get_absolute_url()).status_code == 404
    assert need.title in client.get("/trash/").content.decode()

    assert client.post(f"/trash/needs/need/{need.pk}/restore/").status_code == 302
    assert client.get(need.get_absolute_url()).status_code == 200


def test_the_edit_links_show_only_to_those_who_may_edit(client, make_need, coordinator, reader):
    need = make_need()
    assert urls(need)["edit"] not in client.get(need.get_absolute_url()).content.decode()
    client.force_login(reader)
    assert urls(need)["edit"] not in client.get(need.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert urls(need)["edit"] in client.get(need.get_absolute_url()).content.decode()


def test_an_organisation_editor_edits_their_organisations_needs_and_keeps_the_partnership(
    client, make_need, editor, other_partnership, drammen
):
    need = make_need(partnership=other_partnership, organisation=drammen)
    client.force_login(editor)
    data = edit_data(client, urls(need)["edit"])
    data["description"] = "Ny tekst."
    assert client.post(urls(need)["edit"], data).status_code == 302
    need.refresh_from_db()
    assert need.description == "Ny tekst." and need.partnership == other_partnership


def test_a_coordinator_edits_the_partnerships_needs_posted_by_any_member(
    client, make_need, coordinator, partnership
):
    usn = Organisation.objects.get(slug="usn")
    need = make_need(partnership=partnership, organisation=usn)
    client.force_login(coordinator)
    data = edit_data(client, urls(need)["edit"])
    data["title"] = "Endret av koordinator"
    assert client.post(urls(need)["edit"], data).status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "editor", "reader"])
def test_records_out_of_scope_answer_404(
    client, request, role, make_need, other_partnership, skien
):
    need = make_need(partnership=other_partnership, organisation=skien)
    client.force_login(request.getfixturevalue(role))
    for url in (urls(need)["edit"], urls(need)["trash"]):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert client.post(f"/trash/needs/need/{need.pk}/restore/").status_code == 404
    need.refresh_from_db()
    assert not need.in_trash


def test_a_reader_may_not_post_needs(client, reader):
    client.force_login(reader)
    assert client.get(ADD).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, make_need):
    need = make_need()
    for url in (ADD, urls(need)["edit"], urls(need)["trash"]):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_offers_only_parties_and_people_the_user_may_use(
    client, coordinator, editor, drammen, contact
):
    client.force_login(coordinator)
    form = client.get(ADD).context["form"]
    assert list(form.fields["partnership"].queryset.values_list("slug", flat=True)) == [
        "usn-drammen"
    ]
    assert set(form.fields["organisation"].queryset.values_list("slug", flat=True)) == {
        "drammen",
        "usn",
    }
    assert list(form.fields["contact"].queryset) == [contact]
    client.force_login(editor)
    form = client.get(ADD).context["form"]
    # an organisation editor may tie records to partnerships their organisation is in
    assert list(form.fields["partnership"].queryset.values_list("slug", flat=True)) == [
        "usn-drammen"
    ]
    assert list(form.fields["organisation"].queryset) == [drammen]


def test_posting_for_another_partnership_is_refused(client, coordinator, other_partnership, skien):
    client.force_login(coordinator)
    data = post_data(organisation=skien.pk, partnership=other_partnership.pk)
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert {"organisation", "partnership"} <= set(response.context["form"].errors)
    assert not Need.objects.filter(title=data["title"]).exists()


def test_a_coordinator_cannot_post_for_a_member_without_the_partnership(
    client, coordinator, drammen
):
    client.force_login(coordinator)
    data = post_data(organisation=drammen.pk)
    assert client.post(ADD, data).status_code == 403
    assert not Need.objects.filter(title=data["title"]).exists()
