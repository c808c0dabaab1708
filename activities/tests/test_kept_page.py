"""An activity's page is kept for visitors until the data changes (core.cache.kept_for_visitors)."""

from __future__ import annotations

import re

import pytest

from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def test_a_visitor_reads_the_kept_page_with_two_queries(client, make_activity, person):
    activity = make_activity(people=[(person, "project_leader")])
    url = activity.get_absolute_url()
    responses = []
    fresh = count_queries(lambda: responses.append(client.get(url)))
    kept = count_queries(lambda: responses.append(client.get(url)))
    # The data version and the synthetic-data banner.
    assert kept == 2 < fresh
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
