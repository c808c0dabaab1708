"""The need form explains every mistake beside the field and never fails."""

from __future__ import annotations

import pytest

from needs.models import Need
from organisations.models import Person

from .helpers import ADD, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def valid(partnership, drammen):
    return post_data(organisation=drammen.pk, partnership=partnership.pk)


def errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def test_a_valid_need_is_saved_with_its_kinds_of_work_in_order(signed_in, valid, theme, contact):
    valid.update(suited_for=["phd", "thesis", "phd"], service_area=theme.pk, contact=contact.pk)
    response = signed_in.post(ADD, valid)
    assert response.status_code == 302
    need = Need.objects.get(title=valid["title"])
    assert need.suited_for == ["thesis", "phd"]
    assert (need.service_area, need.contact, need.status) == (theme, contact, "open")
    assert response["Location"] == need.get_absolute_url()


@pytest.mark.parametrize("name", ["title", "description", "organisation", "suited_for", "status"])
def test_required_fields_are_named(signed_in, valid, name):
    del valid[name]
    assert name in errors(signed_in.post(ADD, valid))


def test_a_blank_title_is_not_a_title(signed_in, valid):
    valid["title"] = "   "
    assert "title" in errors(signed_in.post(ADD, valid))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("organisation", "drammen"),
        ("organisation", "99999999"),
        ("partnership", "usn-drammen"),
        ("service_area", "helse"),
        ("contact", "Kari"),
        ("suited_for", ["party"]),
        ("suited_for", "1"),
        ("deadline", "tomorrow"),
        ("deadline", "2025-02-30"),
        ("status", "forgotten"),
        ("led_to", ["abc"]),
        ("led_to", ["99999999"]),
    ],
)
def test_wrong_types_are_refused_beside_the_field(signed_in, valid, name, value):
    valid[name] = value
    assert name in errors(signed_in.post(ADD, valid))
    assert not Need.objects.filter(title=valid["title"]).exists()


def test_very_long_text_is_refused(signed_in, valid):
    valid.update(title="x" * 100_000, description="y" * 100_000)
    assert {"title", "description"} <= set(errors(signed_in.post(ADD, valid)))


def test_script_tags_are_stored_as_text_and_shown_escaped(signed_in, valid):
    script = "<script>alert(1)</script>"
    valid.update(title=script, description=f'{script}\n"><img src=x onerror=alert(1)>')
    assert signed_in.post(ADD, valid).status_code == 302
    need = Need.objects.get(title=script)
    assert need.description.startswith(script)
    for url in (need.get_absolute_url(), "/research-needs/", f"{need.get_absolute_url()}history/"):
        html = signed_in.get(url).content.decode()
        assert script not in html and "&lt;script&gt;" in html
        assert "<img src=x" not in html


def test_a_nul_character_is_refused(signed_in, valid):
    valid["description"] = "a\x00b"
    assert "description" in errors(signed_in.post(ADD, valid))


def test_a_contact_must_be_among_the_people_offered(signed_in, valid):
    stranger = Person.objects.create(name="Ukjent person")
    valid["contact"] = stranger.pk
    assert "contact" in errors(signed_in.post(ADD, valid))
