"""The event form explains every mistake beside the field and never fails."""

from __future__ import annotations

import pytest

from events.models import Event

from .helpers import post_data

pytestmark = pytest.mark.django_db

ADD = "/events/add/"


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    return client


def errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def test_a_valid_event_is_saved(signed_in, partnership, drammen, theme):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk, themes=[theme.pk])
    response = signed_in.post(ADD, data)
    assert response.status_code == 302
    event = Event.objects.get(title="Nettverksmøte")
    assert list(event.themes.all()) == [theme]
    assert response["Location"] == event.get_absolute_url()


def test_the_end_must_not_be_before_the_start(signed_in, partnership, drammen):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk)
    data["ends_at"] = data["starts_at"].replace("T09:00", "T08:00")
    assert "ends_at" in errors(signed_in.post(ADD, data))


@pytest.mark.parametrize(
    "url",
    ["not a link", "javascript:alert(1)", "ftp://example.org/x", "http://", "https://exa mple"],
)
def test_the_online_link_must_be_a_web_address(signed_in, partnership, drammen, url):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk, online_url=url)
    assert "online_url" in errors(signed_in.post(ADD, data))


def test_a_web_address_without_a_scheme_gets_https(signed_in, partnership, drammen):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk, online_url="example.org/m")
    assert signed_in.post(ADD, data).status_code == 302
    assert Event.objects.get(title="Nettverksmøte").online_url == "https://example.org/m"


def test_a_place_or_an_online_link_is_required(signed_in, partnership, drammen):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk, location="")
    assert "location" in errors(signed_in.post(ADD, data))
    data["online_url"] = "https://example.org/meet"
    assert signed_in.post(ADD, data).status_code == 302


@pytest.mark.parametrize("name", ["title", "kind", "starts_at", "ends_at", "organiser"])
def test_required_fields_are_named(signed_in, partnership, drammen, name):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk)
    data[name] = ""
    form_errors = errors(signed_in.post(ADD, data))
    assert name in form_errors
    assert "This field is required." in form_errors[name]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("starts_at", "tomorrow"),
        ("starts_at", "2025-13-45T99:99"),
        ("starts_at", "0001-01-01T00:00"),
        ("ends_at", "9999-12-31T23:59"),
        ("kind", "party"),
        ("organiser", "drammen"),
        ("organiser", "99999999"),
        ("partnership", "usn-drammen"),
        ("themes", ["not-a-number"]),
        ("themes", ["99999999"]),
    ],
)
def test_wrong_types_are_refused_beside_the_field(signed_in, partnership, drammen, name, value):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk)
    data[name] = value
    assert name in errors(signed_in.post(ADD, data))
    assert not Event.objects.filter(title="Nettverksmøte").exists()


def test_very_long_text_is_refused(signed_in, partnership, drammen):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk)
    data.update(title="x" * 100_000, description="y" * 100_000, location="z" * 100_000)
    form_errors = errors(signed_in.post(ADD, data))
    assert {"title", "description", "location"} <= set(form_errors)


def test_script_tags_are_stored_as_text_and_shown_escaped(signed_in, partnership, drammen):
    script = "<script>alert(1)</script>"
    data = post_data(
        organiser=drammen.pk,
        partnership=partnership.pk,
        title=script,
        description=script,
        location='"><img src=x onerror=alert(1)>',
    )
    assert signed_in.post(ADD, data).status_code == 302
    event = Event.objects.get(title=script)
    html = signed_in.get(event.get_absolute_url()).content.decode()
    assert script not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert script not in signed_in.get("/events/").content.decode()


def test_a_nul_character_is_refused(signed_in, partnership, drammen):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk, title="a\x00b")
    assert "title" in errors(signed_in.post(ADD, data))


def test_dates_are_read_in_norwegian_time(signed_in, partnership, drammen):
    data = post_data(organiser=drammen.pk, partnership=partnership.pk)
    data.update(starts_at="2030-06-01T09:00", ends_at="2030-06-01 15:30")
    assert signed_in.post(ADD, data).status_code == 302
    event = Event.objects.get(title="Nettverksmøte")
    assert event.starts_at.isoformat() == "2030-06-01T07:00:00+00:00"
    assert event.ends_at.isoformat() == "2030-06-01T13:30:00+00:00"
