"""The list of meeting places: upcoming first, past on their own tab, filters."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from events import views
from partnerships.models import Theme
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/events/[^/]+/">([^<]+)</a></h3>', response.content.decode())


def test_upcoming_events_come_soonest_first_and_past_ones_are_apart(client, make_event):
    make_event(title="Om tre uker", in_days=21)
    make_event(title="I morgen", in_days=1)
    make_event(title="Forrige måned", in_days=-30)
    make_event(title="I fjor", in_days=-365)
    assert titles(client.get("/events/")) == ["I morgen", "Om tre uker"]
    assert titles(client.get("/events/?when=past")) == ["Forrige måned", "I fjor"]


def test_an_event_under_way_is_still_upcoming(client, make_event):
    event = make_event(title="Pågår nå", in_days=-1)
    event.ends_at = event.starts_at + timedelta(days=2)
    event.save()
    assert titles(client.get("/events/")) == ["Pågår nå"]


def test_filters_by_kind_partnership_and_theme(client, make_event, other_partnership, theme):
    make_event(title="Konferanse", kind="conference", themes=[theme])
    make_event(title="Kurs", kind="course", partnership=other_partnership)
    assert titles(client.get("/events/?kind=course")) == ["Kurs"]
    assert titles(client.get("/events/?partnership=usn-skien")) == ["Kurs"]
    assert titles(client.get(f"/events/?theme={theme.slug}")) == ["Konferanse"]


def test_hostile_query_strings_do_not_break_the_list(client, make_event):
    make_event()
    for query in ["?kind=%3Cscript%3E", "?theme=%00", "?page=-1", "?when=" + "x" * 5000]:
        assert client.get("/events/" + query).status_code == 200


def test_the_list_links_the_calendar_feed(client):
    html = client.get("/events/").content.decode()
    assert 'href="webcal://testserver/events.ics"' in html
    assert 'href="http://testserver/events.ics"' in html


@pytest.mark.parametrize("when", ["", "?when=past"])
def test_the_list_takes_the_same_number_of_queries_for_more_events(
    client, make_event, other_partnership, theme, reader, when
):
    client.force_login(reader)
    days = -5 if when else 5
    make_event(in_days=days, themes=[theme])

    def grow():
        for i in range(15):
            make_event(
                title=f"Møte {i}",
                in_days=days * (i + 2),
                themes=[theme],
                partnership=other_partnership if i % 2 else None,
            )

    small, large = query_counts(client, "/events/" + when, grow=grow)
    assert small == large


def test_the_detail_page_takes_the_same_number_of_queries_for_more_themes(
    client, make_event, theme
):
    event = make_event(themes=[theme])
    small, large = query_counts(
        client, event.get_absolute_url(), grow=lambda: event.themes.set(Theme.objects.all())
    )
    assert small == large


def test_long_lists_are_split_into_pages(client, make_event, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        make_event(title=f"Møte {i}", in_days=i + 1)
    first = client.get("/events/").content.decode()
    assert 'href="?page=2"' in first
    assert titles(client.get("/events/?page=3")) == ["Møte 4"]


def test_filtering_the_past_tab_stays_on_the_past_tab(client):
    html = client.get("/events/?when=past&kind=seminar").content.decode()
    assert '<input type="hidden" name="when" value="past">' in html
    assert 'href="/events/?when=past"' in html  # "Clear filters" keeps the tab
    upcoming = client.get("/events/?kind=seminar").content.decode()
    assert 'name="when"' not in upcoming and 'href="/events/"' in upcoming
