"""Journeys through the site in a real browser (Debian's chromium through Playwright).

One site is set up and served for the whole module, as `make run` does it, with
the bundled dataset; PREPARE adds what the journeys need that the dataset lacks
(a researcher with a verified address, activities, a research need, an event)
and writes the facts the tests check the pages against (facts.json in the
site's data folder), read from the app's own data rather than typed in here.
Each step runs in ``screenshot_on_failure``, so a failure leaves
test-results/browser/<name>.png.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest

from tests.support.browser import PASSWORD, screenshot_on_failure, sign_in
from tests.support.testing import mail_settings, running_site, smtp_server

pytestmark = pytest.mark.browser

PREPARE = """
import datetime
import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from access.verification import mark_verified
from activities.models import Activity
from events.models import Event
from needs.models import Need
from organisations.models import Organisation, Person
from partnerships.models import Partnership, Theme

researcher = get_user_model().objects.create_user(
    "forsker", "forsker@example.no", "@PASSWORD@", first_name="Frida", last_name="Forsker"
)
mark_verified(researcher)

skien = Partnership.objects.get(slug="usn-skien")
drammen = Partnership.objects.get(slug="usn-drammen")
health = Theme.objects.get(slug="helse-og-omsorg")
welfare = Theme.objects.get(slug="velferd")
contact = Person.objects.create(name="Kari Kontakt", email="kari.kontakt@example.no")
need = Need.objects.create(
    title="Hvordan virker velferdsteknologi i hjemmetjenesten?",
    description="Kommunen vil vite hva digitalt tilsyn betyr for brukerne og de ansatte.",
    service_area=welfare,
    suited_for=["thesis", "project"],
    organisation=skien.lead,
    partnership=skien,
    contact=contact,
    deadline=timezone.localdate() + datetime.timedelta(days=90),
)
own = Activity.objects.create(
    title="Velferdsteknologi og digitalt tilsyn i Skien",
    summary="Følgeforskning på velferdsteknologi og digitalt tilsyn i hjemmetjenesten.",
    activity_type="research_project",
    status="ongoing",
)
own.partnerships.add(skien)
own.themes.add(health, welfare)
other = Activity.objects.create(
    title="Velferdsteknologi for eldre hjemmeboende i Drammen",
    summary="Sensorer og digitalt tilsyn for eldre som bor hjemme, med hjemmetjenesten.",
    activity_type="research_project",
    status="ongoing",
)
other.partnerships.add(drammen)
other.themes.add(health, welfare)
starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
event = Event.objects.create(
    title="Dialogmøte om velferdsteknologi",
    kind="dialogue_meeting",
    starts_at=starts,
    ends_at=starts + datetime.timedelta(hours=3),
    location="Skien rådhus",
    organiser=skien.lead,
    partnership=skien,
)

county = Organisation.objects.counties().get(slug="innlandet")
in_county = Partnership.objects.in_county(county).order_by("name")
facts = {
    "county": {"slug": county.slug, "name": county.name},
    "county_partnerships": {p.slug: p.name for p in in_county},
    "county_municipalities": list(
        Organisation.objects.municipalities().filter(parent=county).values_list("name", flat=True)
    ),
    "partnerships": Partnership.objects.count(),
    "search": {"activities": Activity.objects.filter(title__icontains="velferdsteknologi").count()},
    "need": {"title": need.title, "theme": welfare.slug, "contact": contact.email},
    "own": {"title": own.title, "partnership": skien.name},
    "other": {"title": other.title, "partnership": drammen.name},
    "event": {"title": event.title, "location": event.location},
}
Path(os.environ["UNIKOM_DATA_DIR"], "facts.json").write_text(json.dumps(facts), encoding="utf-8")
""".replace("@PASSWORD@", PASSWORD)


@pytest.fixture(scope="module")
def mail_server():
    with smtp_server() as (box, port):
        yield box, port


@pytest.fixture(scope="module")
def served(tmp_path_factory, site_refdata, mail_server):
    _box, port = mail_server
    environ = mail_settings(port)
    data_dir = tmp_path_factory.mktemp("site")
    with running_site(data_dir, site_refdata, prepare=PREPARE, environ=environ) as base:
        yield base, json.loads((data_dir / "facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(served):
    return served[0]


@pytest.fixture(scope="module")
def facts(served):
    return served[1]


def card_links(page) -> dict[str, str]:
    """The list's cards as {name: path}."""
    links = page.locator("ul.cards li.card h3 a")
    return {
        links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())
    }


def test_a_visitor_finds_the_countys_partnerships_compares_two_and_switches_language(
    site, facts, page
):
    county = facts["county"]
    expected = facts["county_partnerships"]  # {slug: name}
    assert len(expected) >= 2  # something to compare

    with screenshot_on_failure(page, "journey-county-map"):
        page.goto(site + "/")
        labels = page.locator(".map .members a").evaluate_all(
            "links => links.map(a => a.getAttribute('aria-label'))"
        )
        on_the_map = {
            partnership
            for municipality, partnership in (label.split(": ", 1) for label in labels)
            if municipality in facts["county_municipalities"]
        }
        assert on_the_map == set(expected.values())

    with screenshot_on_failure(page, "journey-county-list"):
        page.locator('[data-group="registry"] > summary').click()
        page.locator('[data-group="registry"] a[href="/partnerships/"]').click()
        page.wait_for_url("**/partnerships/")
        page.select_option("#id_county", county["slug"])
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url(f"**/partnerships/?*county={county['slug']}*")
        assert card_links(page) == {
            name: f"/partnerships/{slug}/" for slug, name in expected.items()
        }
        assert page.locator("#results-heading").inner_text() == (
            f"{len(expected)} av {facts['partnerships']} partnerskap"
        )

    first_slug, second_slug = list(expected)[:2]
    with screenshot_on_failure(page, "journey-county-profile"):
        page.get_by_role("link", name=expected[first_slug], exact=True).click()
        page.wait_for_url(f"**/partnerships/{first_slug}/")
        assert page.get_by_role("heading", level=1).inner_text() == expected[first_slug]
        counties = page.locator("dl.facts div", has_text="Fylker").locator("dd").inner_text()
        assert county["name"] in counties

    with screenshot_on_failure(page, "journey-county-compare"):
        page.get_by_role("link", name="Sammenlign med andre partnerskap").click()
        page.wait_for_url(f"**/compare/?p={first_slug}")
        assert page.is_checked(f"#cmp-{first_slug}")
        page.check(f"#cmp-{second_slug}")
        page.get_by_role("button", name="Sammenlign", exact=True).click()
        page.wait_for_url("**/compare/?*")
        columns = page.locator("table.compare thead th")
        assert sorted(columns.all_inner_texts()) == sorted(
            [expected[first_slug], expected[second_slug]]
        )
        compared = page.url

    with screenshot_on_failure(page, "journey-county-language"):
        page.get_by_role("button", name="English").click()
        page.wait_for_url(compared)
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() == "Compare partnerships"
        assert page.locator("table.compare thead th").count() == 2
        page.get_by_role("button", name="Norsk").click()
        page.wait_for_url(compared)
        assert page.locator("html").get_attribute("lang") == "nb"
        assert page.get_by_role("heading", level=1).inner_text() == "Sammenlign partnerskap"
        assert page.locator("table.compare thead th").count() == 2


def test_a_visitor_searches_narrows_opens_related_work_and_subscribes_to_a_calendar(
    site, facts, page
):
    own, other, event = facts["own"], facts["other"], facts["event"]

    with screenshot_on_failure(page, "journey-search"):
        page.goto(site + "/")
        page.fill("#site-search-q", "velferdsteknologi")
        page.locator("form.site-search button[type=submit]").click()
        page.wait_for_url("**/search/?q=velferdsteknologi")
        titles = page.locator(".search-results li.card h3").all_inner_texts()
        assert own["title"] in titles and other["title"] in titles
        assert event["title"] in titles and facts["need"]["title"] in titles
        assert page.locator("#results-heading").inner_text() == f"{len(titles)} treff"

    with screenshot_on_failure(page, "journey-search-facet"):
        kind = page.locator('[data-facet="kind"]')
        link = page.get_by_role("link", name="Aktivitet", exact=True)
        count = kind.locator("li").filter(has=link).locator(".count").inner_text()
        assert count == f"({facts['search']['activities']})"
        kind.get_by_role("link", name="Aktivitet", exact=True).click()
        page.wait_for_url("**/search/?q=velferdsteknologi&kind=activity")
        cards = page.locator(".search-results li.card")
        assert cards.count() == facts["search"]["activities"]
        assert set(cards.evaluate_all("cs => cs.map(c => c.dataset.kind)")) == {"activity"}
        assert page.locator("#results-heading").inner_text() == f"{cards.count()} treff"
        assert kind.locator('a[aria-current="true"]').inner_text() == "Aktivitet"

    with screenshot_on_failure(page, "journey-related-work"):
        page.get_by_role("link", name=own["title"]).click()
        page.wait_for_url("**/activities/*/")
        assert page.get_by_role("heading", level=1).inner_text() == own["title"]
        related = page.locator("section.related-work")
        assert related.get_by_role("heading").first.inner_text() == "Beslektet arbeid andre steder"
        assert facts["need"]["title"] in related.inner_text()
        related.get_by_role("link", name=other["title"]).click()
        page.wait_for_url("**/activities/*/")
        assert page.get_by_role("heading", level=1).inner_text() == other["title"]
        assert other["partnership"] in page.locator("#partnerships + ul").inner_text()

    with screenshot_on_failure(page, "journey-calendar"):
        page.go_back()
        page.wait_for_url("**/activities/*/")
        assert page.get_by_role("heading", level=1).inner_text() == own["title"]
        page.locator("#partnerships + ul").get_by_role("link", name=own["partnership"]).click()
        page.wait_for_url("**/partnerships/*/")
        assert page.get_by_role("heading", level=1).inner_text() == own["partnership"]
        feed = page.get_by_role("link", name="Kalenderstrøm (iCalendar)")
        response = page.request.get(site + feed.get_attribute("href"))
        assert response.ok
        assert response.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.body())
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == event["title"]
        assert event["location"] in str(vevent["LOCATION"])


def test_a_researcher_finds_a_need_and_offers_help(site, facts, page, mail_server):
    inbox, _port = mail_server
    need = facts["need"]
    message = "Jeg forsker på velferdsteknologi og kan veilede en masteroppgave om dette."

    with screenshot_on_failure(page, "journey-need-list"):
        sign_in(page, site, "forsker")
        assert "forsker" in page.locator("header").inner_text().lower()
        page.goto(site + "/research-needs/")
        page.select_option("#id_service_area", need["theme"])
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url(f"**/research-needs/?*service_area={need['theme']}*")
        assert list(card_links(page)) == [need["title"]]

    with screenshot_on_failure(page, "journey-need-offer"):
        page.get_by_role("link", name=need["title"], exact=True).click()
        page.wait_for_url("**/research-needs/*/")
        need_url = page.url
        offer = page.locator("section[aria-labelledby=offer-help]")
        assert offer.get_by_role("heading").inner_text() == "Jeg kan bidra"
        assert "forsker@example.no" in offer.inner_text()
        offer.locator("textarea").fill(message)
        offer.get_by_role("button", name="Send").click()
        page.wait_for_url(need_url)
        shown = page.locator(".messages").inner_text()
        assert shown.startswith("Takk! Meldingen din er sendt til kontaktpersonen for behovet")

    (mail,) = inbox.to(need["contact"])
    assert need["title"] in inbox.subject(mail)
    assert str(mail["Reply-To"]) == "forsker@example.no"
    body = inbox.body(mail)
    assert message in body and need_url in body


def pdf_text(content: bytes) -> str:
    """The PDF's text (poppler's pdftotext), its whitespace run together."""
    path = shutil.which("pdftotext")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext is not installed (Debian: apt-get install poppler-utils)")
    out = subprocess.run([path, "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_a_visitor_downloads_the_national_report_as_a_pdf(site, facts, page):
    with screenshot_on_failure(page, "journey-report-page"):
        page.goto(site + "/")
        page.locator('[data-group="insights"] > summary').click()
        page.locator('[data-group="insights"] a[href="/report/"]').click()
        page.wait_for_url("**/report/")
        title = page.get_by_role("heading", level=1).inner_text()
        assert title == "Nasjonal erfaringssamling"
        assert page.locator('[data-figure="partnerships"]').inner_text() == str(
            facts["partnerships"]
        )
        participants = page.locator("#participants > p").first.inner_text()
        sentence = " ".join(participants.split()).split(". ")[0] + "."
        assert sentence.startswith(f"Rapporten omfatter {facts['partnerships']} partnerskap, med")

    with screenshot_on_failure(page, "journey-report-pdf"):
        link = page.locator('.report-header a[href="/report/pdf/"]')
        assert link.inner_text() == "Rapport (PDF)"
        with page.expect_download(timeout=120_000) as download:
            link.click()
        assert download.value.suggested_filename == "unikom-report.pdf"
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(b"%PDF")
        # The same address, asked again, answers at once with the kept file.
        response = page.request.get(site + link.get_attribute("href"))
        assert response.headers["content-type"] == "application/pdf"
        assert response.body() == content
        text = pdf_text(content)
        assert title in text
        assert sentence in text
