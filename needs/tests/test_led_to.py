"""A need links the activities it led to; pages show those the visitor may see."""

from __future__ import annotations

import pytest

from activities.models import Activity
from tests.support.testing import query_counts

from .helpers import edit_data, urls

pytestmark = pytest.mark.django_db


def activity(title: str, **values) -> Activity:
    return Activity.objects.create(title=title, activity_type="student_thesis", **values)


def test_a_coordinator_records_the_activities_a_need_led_to(
    client, coordinator, make_need, partnership
):
    need = make_need(status="in_dialogue")
    thesis = activity("Masteroppgave om sykepleiere")
    thesis.partnerships.set([partnership])
    client.force_login(coordinator)
    data = edit_data(client, urls(need)["edit"])
    data.update(status="matched", led_to=[thesis.pk])
    assert client.post(urls(need)["edit"], data).status_code == 302
    need.refresh_from_db()
    assert (need.status, list(need.led_to.all())) == ("matched", [thesis])
    html = client.get(need.get_absolute_url()).content.decode()
    assert thesis.get_absolute_url() in html and thesis.title in html


def test_anonymous_visitors_see_only_public_activities_it_led_to(client, make_need, reader):
    need = make_need()
    shown = activity("Offentlig oppgave")
    hidden = activity("Intern oppgave", is_public=False)
    need.led_to.set([shown, hidden])
    html = client.get(need.get_absolute_url()).content.decode()
    assert shown.title in html and hidden.title not in html
    client.force_login(reader)
    assert hidden.title in client.get(need.get_absolute_url()).content.decode()


def test_a_trashed_activity_is_not_shown(client, make_need, reader):
    need = make_need()
    gone = activity("Slettet oppgave")
    need.led_to.set([gone])
    gone.move_to_trash(reader)
    assert gone.title not in client.get(need.get_absolute_url()).content.decode()


def test_the_need_page_takes_the_same_number_of_queries_for_more_activities(
    client, make_need, contact, theme
):
    need = make_need(contact=contact, service_area=theme)
    need.led_to.set([activity("Første")])

    def grow():
        need.led_to.add(*[activity(f"Oppgave {i}") for i in range(10)])

    small, large = query_counts(client, need.get_absolute_url(), grow=grow)
    assert small == large


def test_the_form_offers_the_users_own_activities_and_keeps_those_linked(
    client, editor, make_need, partnership, other_partnership
):
    ours = activity("Vår oppgave", professional_owner=make_need().organisation)
    theirs = activity("Deres oppgave")
    theirs.partnerships.set([other_partnership])
    need = make_need(partnership=None)
    need.led_to.set([theirs])
    client.force_login(editor)
    offered = set(client.get(urls(need)["edit"]).context["form"].fields["led_to"].queryset)
    assert offered == {ours, theirs}
    data = edit_data(client, urls(need)["edit"])
    data["led_to"] = [ours.pk, theirs.pk]
    assert client.post(urls(need)["edit"], data).status_code == 302
    assert set(need.led_to.all()) == {ours, theirs}
    other = activity("Annen oppgave")
    data = edit_data(client, urls(need)["edit"])
    data["led_to"] = [other.pk]
    assert "led_to" in client.post(urls(need)["edit"], data).context["form"].errors
