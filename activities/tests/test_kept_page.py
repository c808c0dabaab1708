"""An activity's page is kept whole for visitors until the data changes
(core.cache.visitor_page)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def test_a_visitor_reads_the_kept_page_with_one_query(client, make_activity, person):
    activity = make_activity(people=[(person, "project_leader")])
    url = activity.get_absolute_url()
    responses = []
    fresh = count_queries(lambda: responses.append(client.get(url)))
    kept = count_queries(lambda: responses.append(client.get(url)))
    # The data version: the synthetic-data banner and the menus are kept with the page.
    assert kept == 1 < fresh
    first, again = (TOKEN.sub("", r.content.decode()) for r in responses)
    assert first == again and "Kari Nordmann" in again
    assert f"<title>{activity.title}" in again


def test_a_change_is_seen_by_the_next_visitor(client, make_activity, person):
    activity = make_activity(people=[(person, "project_leader")])
    url = activity.get_absolute_url()
    assert "kari@example.org" not in client.get(url).content.decode()
    activity.title = "Velferdsteknologi i hjemmetjenesten"
    activity.save()
    person.contact_public = True
    person.save()
    html = client.get(url).content.decode()
    assert "Velferdsteknologi i hjemmetjenesten" in html and "kari@example.org" in html
    activity.is_public = False
    activity.save()
    assert client.get(url).status_code == 404


def test_signed_in_readers_never_get_the_visitors_page(client, make_activity, person, coordinator):
    activity = make_activity(people=[(person, "project_leader")])
    url = activity.get_absolute_url()
    visitor = client.get(url).content.decode()
    assert "kari@example.org" not in visitor and "/edit/" not in visitor
    client.force_login(coordinator)
    html = client.get(url).content.decode()
    assert "kari@example.org" in html and f"{url}edit/" in html


def test_a_missing_activity_is_not_found_every_time(client):
    url = "/activities/00000000-0000-4000-8000-000000000000/"
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(make_activity):
    """The kept page's language form carries the reader's own token, and the
    cookie it belongs to; the form works with them (Django's CSRF check on)."""
    url = make_activity().get_absolute_url()
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [reader.get(url) for reader in readers]
    tokens = [TOKEN.search(page.content.decode()).group(0) for page in pages]
    assert "csrf-token-of-the-reader" not in pages[1].content.decode()
    assert tokens[0] != tokens[1]
    assert all(reader.cookies.get("csrftoken") for reader in readers)
    token = tokens[1].split('value="')[1].rstrip('"')
    form = {"language": "en", "csrfmiddlewaretoken": token, "next": url}
    answer = readers[1].post("/i18n/setlang/", form)
    assert answer.status_code == 302
    assert readers[1].cookies["django_language"].value == "en"
    english = readers[1].get(url).content.decode()
    assert '<html lang="en"' in english


def test_a_visitor_with_a_message_sees_it_on_the_page(client, make_activity):
    url = make_activity().get_absolute_url()
    client.get(url)  # the kept page, without a message
    storage = CookieStorage(RequestFactory().get("/"))
    response = HttpResponse()
    storage._store([Message(constants.INFO, "Takk for innspillet")], response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "Takk for innspillet" in client.get(url).content.decode()
    assert "Takk for innspillet" not in client.get(url).content.decode()  # shown once


def test_the_sign_in_link_returns_to_the_address_asked_for(client, make_activity):
    url = make_activity().get_absolute_url()
    assert f"?next={url}" in client.get(url).content.decode()
    assert f"?next={url}%3Ffra%3Dkart" in client.get(url + "?fra=kart").content.decode()
