"""Anonymous visitors never see non-public needs, nor private contact details."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_public_needs_only(client, make_need):
    public = make_need(title="Åpent behov")
    hidden = make_need(title="Internt behov", is_public=False)
    html = client.get("/research-needs/").content.decode()
    assert public.title in html and hidden.title not in html
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"{hidden.get_absolute_url()}history/").status_code == 404


def test_signed_in_readers_see_non_public_needs(client, make_need, reader):
    hidden = make_need(title="Internt behov", is_public=False)
    client.force_login(reader)
    assert hidden.title in client.get("/research-needs/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_private_contact_details_are_for_signed_in_users_only(client, make_need, contact, reader):
    need = make_need(contact=contact)
    html = client.get(need.get_absolute_url()).content.decode()
    assert contact.name in html
    assert contact.email not in html and contact.phone not in html
    client.force_login(reader)
    html = client.get(need.get_absolute_url()).content.decode()
    assert contact.email in html and contact.phone in html


def test_public_contact_details_are_shown_to_everyone(client, make_need, contact):
    contact.contact_public = True
    contact.save()
    html = client.get(make_need(contact=contact).get_absolute_url()).content.decode()
    assert contact.email in html and contact.phone in html


def test_a_person_who_is_not_public_is_not_named_to_anonymous_visitors(
    client, make_need, contact, reader
):
    contact.is_public = False
    contact.contact_public = True
    contact.save()
    need = make_need(contact=contact)
    html = client.get(need.get_absolute_url()).content.decode()
    assert contact.name not in html and contact.email not in html
    client.force_login(reader)
    assert contact.name in client.get(need.get_absolute_url()).content.decode()


def test_a_trashed_need_is_gone_from_pages(client, make_need, reader):
    need = make_need(title="Trukket behov")
    need.move_to_trash(reader)
    assert need.title not in client.get("/research-needs/").content.decode()
    assert client.get(need.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("key", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_or_malformed_ids_answer_404(client, key):
    assert client.get(f"/research-needs/{key}/").status_code == 404
    assert client.get(f"/research-needs/{key}/history/").status_code == 404
