"""Offers of help ("Jeg kan bidra"): a verified researcher writes to a need's contact
through the need's page, end to end through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext

from access.verification import mark_verified
from accounts.models import Assignment, Role
from core.dates import local_today
from needs import offers
from needs.models import NeedResponse
from needs.views import SENT
from tests.support.testing import Inbox

pytestmark = pytest.mark.django_db

MESSAGE = "Jeg forsker på rekruttering i helsetjenesten og kan veilede en masteroppgave."


def account(username: str, *, verified: bool = True, **names):
    user = get_user_model().objects.create_user(username, f"{username}@uni.example.no", **names)
    if verified:
        mark_verified(user)
    return user


@pytest.fixture
def researcher():
    return account("forsker", first_name="Randi", last_name="Forsker")


def offer_url(need) -> str:
    return f"{need.get_absolute_url()}offer/"


def offer(client, need, message: str = MESSAGE):
    return client.post(offer_url(need), {"message": message})


def test_a_verified_researcher_offers_help_and_the_contact_gets_it(
    client, inbox, make_need, contact, researcher
):
    need = make_need(contact=contact)
    client.force_login(researcher)
    page = client.get(need.get_absolute_url()).content.decode()
    assert f'action="{offer_url(need)}"' in page and "csrfmiddlewaretoken" in page
    assert researcher.email in page  # the sender is told what is sent with the message

    response = offer(client, need)

    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    (message,) = inbox.to(contact.email)
    assert need.title in Inbox.subject(message)
    assert message["Reply-To"] == researcher.email
    body = Inbox.body(message)
    assert MESSAGE in body and "Randi Forsker" in body and researcher.email in body
    assert f"http://testserver{need.get_absolute_url()}" in body
    assert len(inbox.messages) == 1
    (recorded,) = NeedResponse.objects.all()
    assert (recorded.need, recorded.user, recorded.message) == (need, researcher, MESSAGE)
    confirmation = client.get(need.get_absolute_url()).content.decode()
    assert escape(str(SENT[offers.TO_CONTACT])) in confirmation


def test_the_confirmation_never_names_the_recipients_address(
    client, inbox, make_need, coordinator, researcher
):
    """Without a contact, the partnership's coordinators get the offer; their
    addresses appear neither on the page nor in the confirmation."""
    coordinator.email = "koordinator.hemmelig@usn.example.no"
    coordinator.save()
    mark_verified(coordinator)
    need = make_need(contact=None)
    client.force_login(researcher)
    response = offer(client, need)
    assert response.status_code == 302
    (message,) = inbox.to(coordinator.email)
    assert message["Reply-To"] == researcher.email
    page = client.get(need.get_absolute_url()).content.decode()
    assert escape(str(SENT[offers.TO_COORDINATORS])) in page
    assert coordinator.email not in page


def test_a_contact_without_an_address_sends_the_offer_to_the_coordinators(
    client, inbox, make_need, contact, coordinator, researcher
):
    contact.email = ""
    contact.save()
    coordinator.email = "koordinator@usn.example.no"
    coordinator.save()
    mark_verified(coordinator)
    client.force_login(researcher)
    assert offer(client, make_need(contact=contact)).status_code == 302
    assert [m["To"] for m in inbox.messages] == [coordinator.email]


def test_nobody_to_reach_shows_no_form(client, inbox, make_need, researcher):
    need = make_need(contact=None)
    client.force_login(researcher)
    page = client.get(need.get_absolute_url()).content.decode()
    assert gettext("Nobody can be reached through unikom about this need yet.") in page
    assert offer_url(need) not in page
    assert offer(client, need).status_code == 409
    assert not inbox.messages and not NeedResponse.objects.exists()


def test_an_unverified_user_is_refused(client, inbox, make_need, contact):
    need = make_need(contact=contact)
    client.force_login(account("uverifisert", verified=False))
    page = client.get(need.get_absolute_url()).content.decode()
    assert offer_url(need) not in page
    assert 'href="/access/email/"' in page  # how to verify
    response = offer(client, need)
    assert response.status_code == 403
    assert not inbox.messages and not NeedResponse.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, make_need, contact):
    need = make_need(contact=contact)
    page = client.get(need.get_absolute_url()).content.decode()
    assert gettext("Sign in to offer help") in page
    assert f"/accounts/login/?next={need.get_absolute_url()}" in page
    assert offer_url(need) not in page
    assert contact.email not in page  # contact details are not public
    response = offer(client, need)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not NeedResponse.objects.exists()


def test_anonymous_visitors_see_how_to_reach_a_public_contact(client, make_need, contact):
    contact.contact_public = True
    contact.save()
    page = client.get(make_need(contact=contact).get_absolute_url()).content.decode()
    assert gettext("Sign in to offer help") in page
    assert f"mailto:{contact.email}" in page
    assert gettext("Or write to the contact person directly, at the address above.") in page


@pytest.mark.parametrize(
    "values",
    [{"status": "closed"}, {"status": "matched"}, {"deadline": "past"}],
    ids=["closed", "matched", "deadline-passed"],
)
def test_a_need_that_takes_no_offers_shows_no_form_and_refuses(
    client, inbox, make_need, contact, researcher, values
):
    if values.get("deadline") == "past":
        values = {"deadline": local_today() - timedelta(days=1)}
    need = make_need(contact=contact, **values)
    client.force_login(researcher)
    page = client.get(need.get_absolute_url()).content.decode()
    assert offer_url(need) not in page and gettext("I can help") not in page
    assert offer(client, need).status_code == 409
    assert not inbox.messages and not NeedResponse.objects.exists()


def test_the_message_is_required_and_limited(client, inbox, make_need, contact, researcher):
    need = make_need(contact=contact)
    client.force_login(researcher)
    for message in ("", "   ", "x" * 2001):
        response = offer(client, need, message)
        assert response.status_code == 200
        assert response.context["offer_form"].errors["message"]
    assert offer(client, need, "x" * 2000).status_code == 302
    assert len(inbox.messages) == 1


def test_offers_are_limited_per_user_and_hour(
    client, inbox, settings, make_need, contact, researcher
):
    settings.UNIKOM_NEED_OFFERS_PER_HOUR = 2
    need = make_need(contact=contact)
    client.force_login(researcher)
    assert offer(client, need).status_code == 302
    assert offer(client, need).status_code == 302
    refused = offer(client, need)
    assert refused.status_code == 429
    assert "2" in [str(m) for m in refused.context["messages"]][-1]
    assert len(inbox.messages) == 2 and NeedResponse.objects.count() == 2
    # Another user is not held back, and an hour later the first may write again.
    other = Client()
    other.force_login(account("kollega"))
    assert offer(other, need).status_code == 302
    NeedResponse.objects.filter(user=researcher).update(
        created=NeedResponse.objects.first().created - timedelta(hours=1, minutes=1)
    )
    assert offer(client, need).status_code == 302


def test_the_form_is_csrf_protected(make_need, contact, researcher, inbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    need = make_need(contact=contact)
    assert offer(client, need).status_code == 403
    assert not inbox.messages


def test_a_failed_send_records_nothing(client, settings, make_need, contact, researcher):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    client.force_login(researcher)
    response = offer(client, make_need(contact=contact))
    assert response.status_code == 503
    assert not NeedResponse.objects.exists()


def test_the_count_of_offers_is_for_those_who_may_edit_the_need(
    client, inbox, make_need, contact, researcher, coordinator, editor, reader, other_partnership
):
    need = make_need(contact=contact)
    client.force_login(researcher)
    offer(client, need)
    offer(client, need, "Jeg kan også hjelpe.")
    other_coordinator = get_user_model().objects.create_user("annen")
    Assignment.objects.create(
        user=other_coordinator, role=Role.COORDINATOR, partnership=other_partnership
    )
    counted = "2 "  # "2 tilbud om hjelp …" / "2 offers of help …"
    for user, sees in [
        (None, False),
        (reader, False),
        (researcher, False),
        (other_coordinator, False),
        (coordinator, True),
        (editor, True),
    ]:
        viewer = Client()
        if user is not None:
            viewer.force_login(user)
        response = viewer.get(need.get_absolute_url())
        assert (response.context["offer_count"] == 2) is sees, user
        assert (response.context["offer_count"] is None) is not sees, user
    viewer = Client()
    viewer.force_login(coordinator)
    assert counted in viewer.get(need.get_absolute_url()).content.decode()
