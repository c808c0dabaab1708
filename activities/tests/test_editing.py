"""A coordinator adds, edits, trashes and restores activities in the site, with history."""

from __future__ import annotations

import pytest

from activities.models import Activity, ActivityOrganisation, ActivityPerson

from .helpers import add_row, edit_data, new_data

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_an_activity_with_organisations_and_people(
    client, coordinator, partnership, drammen, usn, person, theme
):
    client.force_login(coordinator)
    data = new_data(
        partnerships=[partnership],
        themes=[theme.pk],
        professional_owner=usn,
        professional_owner_level="institute",
        strategic_owner=drammen,
        strategic_owner_level="administrative_top",
        funding_source="Forskningsrådet",
        funding_amount="12 000 000",
        cristin_project_id="2571234",
        nfr_project_number="https://prosjektbanken.forskningsradet.no/project/FORISS/321045",
        organisations=[(drammen, "owner"), (usn, "partner")],
        people=[(person, "project_leader")],
    )
    response = client.post("/activities/add/", data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title=data["title"])
    assert response["Location"] == activity.get_absolute_url()
    assert list(activity.partnerships.all()) == [partnership]
    assert list(activity.themes.all()) == [theme]
    assert activity.funding_amount == 12_000_000
    assert activity.nfr_project_number == "321045"
    assert activity.dually_anchored
    assert set(activity.organisation_roles.values_list("organisation__slug", "role")) == {
        ("drammen", "owner"),
        ("usn", "partner"),
    }
    assert list(activity.person_roles.values_list("person", "role")) == [
        (person.pk, "project_leader")
    ]


def test_the_add_page_preselects_the_partnership_of_the_portfolio(client, coordinator, partnership):
    client.force_login(coordinator)
    form = client.get(f"/activities/add/?partnership={partnership.slug}").context["form"]
    assert [p.pk for p in form.initial["partnerships"]] == [partnership.pk]


def test_the_form_page_shows_both_formsets_with_their_legends(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    response = client.get("/activities/add/")
    html = response.content.decode()
    assert [str(f.legend) for f in response.context["formsets"]] == [
        "Organisations in roles",
        "People in roles",
    ]
    assert 'name="organisations-TOTAL_FORMS"' in html and 'name="people-TOTAL_FORMS"' in html


def test_a_coordinator_edits_an_activity_and_its_roles(
    client, coordinator, make_activity, usn, person
):
    activity = make_activity(roles=[(usn, "partner")])
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    data = edit_data(client, url)
    data["title"] = "Nytt navn"
    data["organisations-0-DELETE"] = "on"
    add_row(data, "people", "person", person, "supervisor")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert activity.title == "Nytt navn" and activity.version == 2
    assert not activity.organisation_roles.exists()
    assert list(activity.person_roles.values_list("role", flat=True)) == ["supervisor"]


def test_history_shows_who_changed_which_field_and_the_roles(
    client, coordinator, make_activity, usn
):
    activity = make_activity()
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    data = edit_data(client, url)
    data["status"] = "completed"
    data["strategic_owner"] = usn.pk
    add_row(data, "organisations", "organisation", usn, "funder")
    assert client.post(url, data).status_code == 302
    html = client.get(f"/activities/{activity.public_id}/history/").content.decode()
    assert "coordinator" in html
    assert "Ongoing" in html and "Completed" in html
    assert f"Organisations in roles: {usn.name} (Funder)" in html
    assert f"Strategic owner: {usn.name}" in html


def test_an_invalid_row_saves_nothing(client, coordinator, make_activity, drammen):
    activity = make_activity()
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    data = edit_data(client, url)
    data["title"] = "Skal ikke lagres"
    data["organisations-0-organisation"] = str(drammen.pk)  # a row without a role
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["formsets"][0].forms[0].errors["role"]
    activity.refresh_from_db()
    assert activity.title == "Samskaping i hjemmetjenesten" and activity.version == 1
    assert not ActivityOrganisation.objects.filter(activity=activity).exists()


def test_a_failure_while_saving_the_rows_rolls_back_the_activity(
    client, coordinator, partnership, person, monkeypatch
):
    client.force_login(coordinator)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ActivityPerson, "save", fail)
    data = new_data(partnerships=[partnership], people=[(person, "contact")])
    client.raise_request_exception = False
    response = client.post("/activities/add/", data)
    assert response.status_code == 500
    assert not Activity.all_objects.filter(title=data["title"]).exists()


def test_trash_and_restore(client, coordinator, make_activity):
    activity = make_activity()
    client.force_login(coordinator)
    trash_url = f"/activities/{activity.public_id}/trash/"
    assert client.get(trash_url).status_code == 200
    response = client.post(trash_url)
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert activity.title in client.get("/trash/").content.decode()
    restore = f"/trash/activities/activity/{activity.pk}/restore/"
    response = client.post(restore)
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert client.get(activity.get_absolute_url()).status_code == 200


def test_the_edit_and_trash_links_show_only_for_those_who_may_use_them(
    client, coordinator, reader, make_activity, other_partnership
):
    own = make_activity()
    other = make_activity(partnerships=[other_partnership], professional_owner=None)
    edit = f"/activities/{own.public_id}/edit/"
    assert edit not in client.get(own.get_absolute_url()).content.decode()
    client.force_login(reader)
    assert edit not in client.get(own.get_absolute_url()).content.decode()
    assert "/activities/add/" not in client.get("/activities/").content.decode()
    client.force_login(coordinator)
    assert edit in client.get(own.get_absolute_url()).content.decode()
    assert (
        f"/activities/{other.public_id}/edit/"
        not in client.get(other.get_absolute_url()).content.decode()
    )
    assert "/activities/add/" in client.get("/activities/").content.decode()


def test_another_partnerships_activity_is_out_of_scope(
    client, coordinator, make_activity, other_partnership
):
    other = make_activity(partnerships=[other_partnership], professional_owner=None)
    client.force_login(coordinator)
    for action in ("edit", "trash"):
        assert client.get(f"/activities/{other.public_id}/{action}/").status_code == 404
    assert client.post(f"/activities/{other.public_id}/trash/").status_code == 404
    assert Activity.objects.filter(pk=other.pk).exists()


def test_a_coordinator_cannot_add_to_another_partnership(client, coordinator, other_partnership):
    client.force_login(coordinator)
    response = client.post("/activities/add/", new_data(partnerships=[other_partnership]))
    assert response.status_code == 200
    assert "partnerships" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_activity_tied_to_nobody_is_refused_beside_the_partnerships(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/activities/add/", new_data())
    assert response.status_code == 200
    assert "partnerships" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_activity_tied_to_nobody_the_user_represents_is_refused(
    client, coordinator, partnership
):
    client.force_login(coordinator)
    member = partnership.memberships.first().organisation
    response = client.post("/activities/add/", new_data(professional_owner=member))
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_an_organisation_editor_adds_an_activity_their_organisation_owns(client, editor, drammen):
    client.force_login(editor)
    response = client.post(
        "/activities/add/", new_data(professional_owner=drammen, organisations=[(drammen, "owner")])
    )
    assert response.status_code == 302
    assert Activity.objects.get().professional_owner == drammen


def test_choices_are_limited_to_what_the_user_may_attach(
    client, coordinator, editor, partnership, drammen
):
    client.force_login(coordinator)
    form = client.get("/activities/add/").context["form"]
    assert list(form.fields["partnerships"].queryset) == [partnership]
    members = set(partnership.memberships.values_list("organisation", flat=True))
    assert set(form.fields["professional_owner"].queryset.values_list("pk", flat=True)) == members
    client.force_login(editor)
    response = client.get("/activities/add/")
    form = response.context["form"]
    assert list(form.fields["professional_owner"].queryset) == [drammen]
    assert [c[0] for c in response.context["formsets"][0].forms[0].fields["organisation"].choices][
        1:
    ] == [drammen.pk]


def test_readers_may_not_add_and_anonymous_visitors_must_sign_in(client, reader):
    response = client.get("/activities/add/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(reader)
    assert client.get("/activities/add/").status_code == 403
    assert client.post("/activities/add/", new_data()).status_code == 403


def test_editing_keeps_what_others_chose_even_outside_the_users_choices(
    client, coordinator, make_activity, partnership, other_partnership, skien
):
    activity = make_activity(
        partnerships=[partnership, other_partnership],
        professional_owner=skien,
        roles=[(skien, "funder")],
    )
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    data = edit_data(client, url)
    data["summary"] = "Oppdatert."
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert set(activity.partnerships.all()) == {partnership, other_partnership}
    assert activity.professional_owner == skien
    assert activity.organisation_roles.get().organisation == skien


def test_a_coordinator_cannot_move_an_activity_out_of_own_partnership(
    client, coordinator, make_activity, partnership, other_partnership
):
    activity = make_activity(partnerships=[partnership, other_partnership])
    url = f"/activities/{activity.public_id}/edit/"
    client.force_login(coordinator)
    data = edit_data(client, url)
    data["partnerships"] = [other_partnership.pk]
    data["professional_owner"] = ""
    assert client.post(url, data).status_code == 403
    assert set(activity.partnerships.all()) == {partnership, other_partnership}


def test_portfolio_pages_offer_adding_only_to_those_who_may(
    client, coordinator, editor, other_partnership
):
    own, other = "/partnerships/usn-drammen/portfolio/", "/partnerships/usn-skien/portfolio/"
    add = "/activities/add/?partnership="
    assert add not in client.get(own).content.decode()
    client.force_login(coordinator)
    assert f"{add}usn-drammen" in client.get(own).content.decode()
    assert add not in client.get(other).content.decode()
    client.force_login(editor)
    assert (
        "/activities/add/?organisation=drammen"
        in client.get("/organisations/3301/portfolio/").content.decode()
    )
    assert "/activities/add/" not in client.get("/organisations/skien/portfolio/").content.decode()
    form = client.get("/activities/add/?organisation=drammen").context["form"]
    assert form.initial["professional_owner"].slug == "drammen"


def test_an_organisation_editor_puts_an_activity_in_a_partnership_of_their_organisation(
    client, editor, drammen, partnership
):
    client.force_login(editor)
    data = new_data(partnerships=[partnership], professional_owner=drammen)
    assert client.post("/activities/add/", data).status_code == 302
    assert list(Activity.objects.get().partnerships.all()) == [partnership]
