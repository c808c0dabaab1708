"""The front page shows the national overview, the findings, the charts and the map."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from insights.overview import national_overview
from organisations.models import Boundary
from tests.support.testing import add_partnerships, query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]+)<', html).group(1)


def test_it_shows_the_figures(client):
    data = national_overview()
    html = client.get("/").content.decode()
    assert figure(html, "partnerships") == str(data["partnerships"]) == "15"
    assert figure(html, "municipalities") == str(data["municipalities"]) == "29"
    assert figure(html, "municipalities-stated") == "34"
    assert figure(html, "knowledge_institutions") == str(data["knowledge_institutions"])
    assert figure(html, "clusters") == str(data["clusters"])
    assert figure(html, "earliest_roots") == "1988 (Vestvågøy)"


def test_it_says_why_the_municipality_counts_differ(english):
    html = english.get("/").content.decode()
    assert "Kunnskapskommunen HelseOmsorg Nord has 6 municipalities, 1 named" in html
    assert 'href="/about-the-compilation/#counts"' in html
    assert "and 2 hospitals that the compilation counts as knowledge institutions" in html


def test_it_states_the_findings_as_sentences(english):
    html = english.get("/").content.decode()
    for key in ("anchoring", "initiative", "agreements", "roots"):
        assert f'id="finding-{key}"' in html
    assert "recorded for 8 of 15 partnerships" in html
    assert "Most partnerships were started by the municipality or by both parties together: " in (
        html
    )
    assert "11 of 15." in html
    assert "and 5 of them in the pandemic years 2020–2021" in html
    assert "1988 (Vestvågøy) and tidlig 2000-tall (Kristiansand)" in html
    assert "The facts hold as of 2021" in html


def test_an_empty_registry_shows_no_findings(english):
    from partnerships.models import Partnership

    Partnership.objects.all().delete()
    html = english.get("/").content.decode()
    assert 'id="findings-heading"' not in html
    assert figure(html, "partnerships") == "0"
    assert figure(html, "earliest_roots") == "not recorded"


def test_it_names_the_pains_where_the_features_live(english):
    html = english.get("/").content.decode()
    section = html[html.index('id="pains-heading"') :]
    section = section[: section.index("</section>")]
    for url in ("/activities/", "/network/", "/events/", "/partnerships/"):
        assert f'href="{url}"' in section
    assert "Weak flow of information." in section
    assert "Too few suitable meeting places." in section


def test_the_initiative_chart_shows_no_parity(english):
    html = english.get("/").content.decode()
    chart = html[html.index("<figcaption>Who took the initiative") :]
    chart = chart[: chart.index("</figure>")]
    assert re.search(r"<th scope=\"row\">Initiated by academia</th><td>4</td>", chart)
    assert re.search(
        r"<th scope=\"row\">Initiated by the municipality or mutually</th><td>11</td>", chart
    )
    assert "the source does not say which of the two 6" in chart


def test_the_timeline_draws_the_early_2000s_as_a_period(english):
    html = english.get("/").content.decode()
    timeline = html[html.index('<figure class="timeline"') :]
    timeline = timeline[: timeline.index("</figure>")]
    row = timeline[timeline.index("Universitetsbyen Kristiansand") :]
    row = row[: row.index("</tr>")]
    assert "tidlig 2000-tall" in row and "(2000–2004)" in row
    assert 'class="bar roots period"' in row
    assert "about 22–26 years" in row


def test_terms_link_to_their_definitions(client):
    html = client.get("/").content.decode()
    for anchor in ("kinds", "initiative", "maturity", "anchoring", "roots"):
        assert f'href="/concepts/#{anchor}"' in html
    assert 'href="/about-the-compilation/"' in html


def test_the_list_sorts_by_roots_with_the_period_in_place(client):
    html = client.get("/", {"sort": "roots"}).content.decode()
    rows = re.findall(r'<tr data-partnership="([^"]+)"', html)
    assert rows[:2] == ["kunnskapskommunen-helseomsorg-nord", "kristiansand-uia"]
    assert len(rows) == 15
    assert 'aria-sort="ascending"><a href="?sort=-roots"' in html


def test_the_map_marks_every_member_municipality_with_a_link(client):
    html = client.get("/").content.decode()
    svg = html[html.index('<g class="members">') :]
    svg = svg[: svg.index("</g>")]
    assert svg.count("<a ") == national_overview()["municipalities"]
    assert 'href="/partnerships/kunnskapskommunen-helseomsorg-vest/"' in svg  # Bergen


def test_without_reference_data_it_says_the_map_is_missing(client):
    from organisations.models import Organisation

    Boundary.objects.all().delete()
    Organisation.objects.filter(record_source="refdata").update(record_source="manual")
    html = client.get("/").content.decode()
    assert '<div class="notice" role="note">' in html
    assert '<g class="members">' not in html


def test_it_credits_ssb_and_kartverket(client):
    html = client.get("/").content.decode()
    assert "Statistisk sentralbyrå" in html
    assert "Kartverket" in html


def test_it_serves_english_on_request(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Member municipalities named" in html


def test_the_query_count_does_not_grow_with_the_data(client):
    small, large = query_counts(client, "/", grow=lambda: add_partnerships(12))
    assert small == large


def test_bokmal_is_the_default_whatever_the_browser_asks(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb">' in html
