"""Record pages kept whole for visitors (core.cache.visitor_page): the activity,
organisation and partnership pages. A kept page costs one query (the data
version), carries each reader's own CSRF token, shows the next change, and is
never what a signed-in reader gets."""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

import pytest

from activities.models import Activity
from core.cache import CSRF_HOLE
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(params=["activity", "organisation", "partnership"])
def page(request, drammen, partnership):
    """(address, a record whose name the page shows, the name's field)."""
    if request.param == "activity":
        activity = Activity.objects.create(
            title="Samskaping i hjemmetjenesten",
            activity_type="research_project",
            professional_owner=drammen,
        )
        activity.partnerships.set([partnership])
        return activity.get_absolute_url(), activity, "title"
    if request.param == "organisation":
        return drammen.get_absolute_url(), drammen, "name"
    return partnership.get_absolute_url(), partnership, "name"


def test_a_kept_page_costs_one_query_and_each_reader_gets_a_token_of_their_own(client, page):
    url, _record, _field = page
    first = client.get(url)
    again = []
    assert count_queries(lambda: again.append(client.get(url))) == 1
    html = [first.content.decode(), again[0].content.decode()]
    assert CSRF_HOLE not in html[1]
    tokens = [TOKEN.search(h).group(1) for h in html]
    assert tokens[0] != tokens[1]  # masked afresh for each request
    assert TOKEN.sub("", html[0]) == TOKEN.sub("", html[1])


def test_the_next_visitor_sees_a_change(client, page):
    url, record, field = page
    client.get(url)
    setattr(record, field, "Helt nytt navn på dette")
    record.save()
    assert "Helt nytt navn på dette" in client.get(url).content.decode()


def test_a_kept_page_is_drawn_again_the_next_day(client, page):
    url, _record, _field = page
    client.get(url)
    with mock.patch("core.cache.local_today", return_value=date(2099, 1, 1)):
        assert count_queries(lambda: client.get(url)) > 1


def test_a_signed_in_reader_never_gets_the_visitors_page(client, page, coordinator):
    url, _record, _field = page
    client.get(url)
    client.force_login(coordinator)
    assert count_queries(lambda: client.get(url)) > 1
    assert 'action="/accounts/logout/"' in client.get(url).content.decode()
