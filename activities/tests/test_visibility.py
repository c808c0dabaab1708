"""Anonymous visitors see public activities only, and never private contact details."""

from __future__ import annotations

import pytest

from organisations.models import Person

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_do_not_see_non_public_activities(client, make_activity, reader):
    public = make_activity(title="Åpent prosjekt")
    hidden = make_activity(title="Internt prosjekt", is_public=False)
    html = client.get("/activities/").content.decode()
    assert public.title in html and hidden.title not in html
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/activities/{hidden.public_id}/history/").status_code == 404
    portfolio = client.get("/partnerships/usn-drammen/portfolio/").content.decode()
    assert public.title in portfolio and hidden.title not in portfolio
    assert hidden.title not in client.get("/organisations/drammen/portfolio/").content.decode()

    client.force_login(reader)
    assert hidden.title in client.get("/activities/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_counts_leave_out_what_the_visitor_may_not_see(client, make_activity, reader):
    make_activity(activity_type="phd")
    make_activity(activity_type="phd", is_public=False)
    assert client.get("/activities/").context["counted"] == 1
    client.force_login(reader)
    assert client.get("/activities/").context["counted"] == 2


def test_private_contact_details_are_hidden_from_anonymous_visitors(
    client, make_activity, person, reader
):
    public_contact = Person.objects.create(
        name="Ola Åpen", email="ola@example.org", contact_public=True
    )
    activity = make_activity(people=[(person, "project_leader"), (public_contact, "contact")])
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "Kari Nordmann" in html and "kari@example.org" not in html and "400 00" not in html
    assert "ola@example.org" in html
    assert f'href="{person.get_absolute_url()}"' in html
    client.force_login(reader)
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "kari@example.org" in html


def test_people_hidden_from_the_public_are_not_named_to_anonymous_visitors(
    client, make_activity, reader
):
    hidden = Person.objects.create(name="Skjult Person", is_public=False)
    activity = make_activity(people=[(hidden, "student")])
    assert "Skjult Person" not in client.get(activity.get_absolute_url()).content.decode()
    client.force_login(reader)
    assert "Skjult Person" in client.get(activity.get_absolute_url()).content.decode()


def test_people_in_the_trash_are_not_shown(client, make_activity, person):
    activity = make_activity(people=[(person, "student")])
    person.move_to_trash(None)
    assert "Kari Nordmann" not in client.get(activity.get_absolute_url()).content.decode()


def test_an_unknown_or_malformed_address_is_404(client):
    assert client.get("/activities/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/activities/not-a-uuid/").status_code == 404
    assert client.get("/partnerships/no-such/portfolio/").status_code == 404
    assert client.get("/organisations/no-such/portfolio/").status_code == 404
