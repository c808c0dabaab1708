"""The front page shows the national overview, the charts and the map."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.testing import add_partnerships, query_counts
from insights.overview import national_overview
from organisations.models import Boundary

pytestmark = pytest.mark.django_db


def test_it_shows_the_figures(client):
    data = national_overview()
    html = client.get("/").content.decode()
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert figures["Partnerskap"] == str(data["partnerships"])
    assert figures["Medlemskommuner"] == str(data["municipalities"])
    assert figures["Kunnskapsinstitusjoner"] == str(data["knowledge_institutions"])
    assert figures["Klynger"] == str(data["clusters"])


def test_the_map_marks_every_member_municipality_with_a_link(client):
    html = client.get("/").content.decode()
    svg = html[html.index('<g class="members">') :]
    svg = svg[: svg.index("</g>")]
    assert svg.count("<a ") == national_overview()["municipalities"]
    assert 'href="/partnerships/kunnskapskommunen-helseomsorg-vest/"' in svg  # Bergen


def test_without_reference_data_it_says_how_to_load_it(client):
    from organisations.models import Organisation

    Boundary.objects.all().delete()
    Organisation.objects.filter(record_source="refdata").update(record_source="manual")
    html = client.get("/").content.decode()
    assert "unikom refdata load" in html
    assert '<g class="members">' not in html


def test_it_credits_ssb_and_kartverket(client):
    html = client.get("/").content.decode()
    assert "Statistisk sentralbyrå" in html
    assert "Kartverket" in html


def test_it_serves_english_on_request(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Member municipalities" in html


def test_the_query_count_does_not_grow_with_the_data(client):
    small, large = query_counts(client, "/", grow=lambda: add_partnerships(12))
    assert small == large


def test_bokmal_is_the_default_whatever_the_browser_asks(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb">' in html
