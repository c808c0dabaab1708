"""The iCalendar feeds: valid RFC 5545 that calendar programs read back, with updates."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest

from partnerships.models import Theme
from tests.support.testing import query_counts

from .helpers import edit_data

pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_is_a_published_calendar(client, make_event):
    make_event(title="Kunnskapsløft for små kommuner: æøå " * 6)
    cal = parse(client.get("/events.ics"))
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//unikom//Meeting places//NB"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"])
    raw = client.get("/events.ics").content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines


def test_each_event_has_what_calendar_programs_need(client, make_event, theme):
    event = make_event(
        title="Dialogmøte, helse; omsorg",
        online_url="https://example.org/meet",
        themes=[theme],
        description="Linje én\nLinje to",
    )
    (vevent,) = parse(client.get("/events.ics")).walk("VEVENT")
    page = f"http://testserver/events/{event.public_id}/"
    assert str(vevent["UID"]) == f"{event.public_id}@unikom"
    assert vevent.decoded("DTSTART") == event.starts_at.astimezone(UTC).replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.astimezone(UTC).replace(microsecond=0)
    assert vevent.decoded("DTSTART").tzinfo is not None
    assert b"DTSTART:" in vevent.to_ical() and b"Z\r\n" in vevent.to_ical()
    assert vevent.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert str(vevent["SUMMARY"]) == "Dialogmøte, helse; omsorg"
    assert "Linje én\nLinje to" in str(vevent["DESCRIPTION"]) and page in str(vevent["DESCRIPTION"])
    assert str(vevent["LOCATION"]) == "Rådhuset, Drammen"
    assert str(vevent["URL"]) == page
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("LAST-MODIFIED") == event.updated.astimezone(UTC).replace(microsecond=0)
    assert theme.name in [str(c) for c in vevent["CATEGORIES"].cats]


def test_an_online_event_gives_its_link_as_the_location(client, make_event):
    make_event(location="", online_url="https://example.org/meet")
    (vevent,) = parse(client.get("/events.ics")).walk("VEVENT")
    assert str(vevent["LOCATION"]) == "https://example.org/meet"


def test_an_edit_keeps_the_uid_and_raises_the_sequence(client, make_event, coordinator):
    event = make_event(title="Før")
    before = vevents(parse(client.get("/events.ics")))[event.ical_uid]
    client.force_login(coordinator)
    url = f"/events/{event.public_id}/edit/"
    data = edit_data(client, url)
    data["title"] = "Etter"
    assert client.post(url, data).status_code == 302
    client.logout()
    after = vevents(parse(client.get("/events.ics")))[event.ical_uid]
    assert str(after["SUMMARY"]) == "Etter"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")


def test_trashed_and_non_public_events_are_left_out(client, make_event, reader):
    shown = make_event(title="Åpent")
    hidden = make_event(title="Internt", is_public=False)
    trashed = make_event(title="Avlyst")
    trashed.move_to_trash(reader)
    client.force_login(reader)  # even signed in, feeds hold public events only
    uids = set(vevents(parse(client.get("/events.ics"))))
    assert uids == {shown.ical_uid}
    assert hidden.ical_uid not in uids and trashed.ical_uid not in uids


def test_past_events_stay_in_the_feed_for_a_year(client, make_event):
    past = make_event(in_days=-100)
    long_ago = make_event(in_days=-400)
    uids = vevents(parse(client.get("/events.ics")))
    assert past.ical_uid in uids and long_ago.ical_uid not in uids


def test_a_feed_follows_a_change_at_once(client, make_event):
    first = make_event(in_days=3)
    assert first.ical_uid in vevents(parse(client.get("/events.ics")))
    second = make_event(in_days=4)
    assert {first.ical_uid, second.ical_uid} <= set(vevents(parse(client.get("/events.ics"))))
    second.move_to_trash(None)
    assert second.ical_uid not in vevents(parse(client.get("/events.ics")))


def test_the_partnership_feed_holds_that_partnerships_events(
    client, make_event, partnership, other_partnership
):
    ours = make_event(partnership=partnership)
    theirs = make_event(partnership=other_partnership)
    make_event(partnership=None)
    cal = parse(client.get(f"/partnerships/{partnership.slug}/events.ics"))
    assert set(vevents(cal)) == {ours.ical_uid}
    assert partnership.name in str(cal["X-WR-CALNAME"])
    assert set(vevents(parse(client.get("/partnerships/usn-skien/events.ics")))) == {
        theirs.ical_uid
    }


def test_a_partnerships_page_links_its_calendar_feed(client, make_event, partnership):
    ours = make_event(partnership=partnership)
    feed = f"/partnerships/{partnership.slug}/events.ics"
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert f'href="{feed}" type="text/calendar"' in page
    assert set(vevents(parse(client.get(feed)))) == {ours.ical_uid}


def test_the_theme_feed_holds_that_themes_events(client, make_event, theme):
    other = Theme.objects.exclude(pk=theme.pk).first()
    ours = make_event(themes=[theme, other])
    theirs = make_event(themes=[other])
    make_event()
    cal = parse(client.get(f"/themes/{theme.slug}/events.ics"))
    assert set(vevents(cal)) == {ours.ical_uid}
    assert theme.name in str(cal["X-WR-CALNAME"])
    assert set(vevents(parse(client.get(f"/themes/{other.slug}/events.ics")))) == {
        ours.ical_uid,
        theirs.ical_uid,
    }


def test_unknown_partnerships_and_themes_answer_404(client):
    assert client.get("/partnerships/no-such-thing/events.ics").status_code == 404
    assert client.get("/themes/no-such-thing/events.ics").status_code == 404


def test_an_empty_feed_is_still_a_valid_calendar(client):
    cal = parse(client.get("/themes/kultur/events.ics"))
    assert cal.walk("VEVENT") == []


def test_one_event_can_be_downloaded_on_its_own(client, make_event):
    event = make_event()
    assert set(vevents(parse(client.get(f"/events/{event.public_id}/event.ics")))) == {
        event.ical_uid
    }


def test_event_pages_link_the_feeds_for_subscription(client, make_event, theme, partnership):
    event = make_event(themes=[theme])
    html = client.get(event.get_absolute_url()).content.decode()
    for path in (
        "/events.ics",
        f"/partnerships/{partnership.slug}/events.ics",
        f"/themes/{theme.slug}/events.ics",
    ):
        assert f'href="webcal://testserver{path}"' in html
        assert f'href="http://testserver{path}"' in html


def test_hostile_text_comes_out_escaped_as_icalendar_text(client, make_event):
    make_event(title="Møte;\nBEGIN:VEVENT\r\nUID:evil", description="<script>,;\\")
    cal = parse(client.get("/events.ics"))
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]).startswith("Møte;")
    assert "<script>,;\\" in str(vevent["DESCRIPTION"])


@pytest.mark.parametrize(
    "url",
    ["/events.ics", "/partnerships/usn-drammen/events.ics", "/themes/helse-og-omsorg/events.ics"],
)
def test_feeds_take_the_same_number_of_queries_for_more_events(client, make_event, theme, url):
    make_event(themes=[theme])

    def grow():
        for i in range(20):
            make_event(title=f"Møte {i}", in_days=i, themes=Theme.objects.all()[: 1 + i % 3])

    small, large = query_counts(client, url, grow=grow)
    assert small == large


def test_line_breaks_in_names_and_titles_still_give_a_calendar(client, make_event):
    event = make_event(title="Linje\nskift\r\nto")
    partnership = event.partnership
    type(partnership).objects.filter(pk=partnership.pk).update(name="Navn\nmed linjeskift")
    for url in [
        "/events.ics",
        f"/partnerships/{partnership.slug}/events.ics",
        f"/events/{event.public_id}/event.ics",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = icalendar.Calendar.from_ical(response.content)
        assert "\n" not in str(calendar["x-wr-calname"])
        assert any("skift" in str(c.get("summary", "")) for c in calendar.walk("vevent"))
