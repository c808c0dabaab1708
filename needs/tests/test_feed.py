"""The Atom feeds of open needs: valid Atom, the list's filters, public data only,
and a fixed number of queries whatever the number of needs."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - our own output, parsed in a test
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from needs.models import Need
from partnerships.models import Theme
from tests.support.testing import count_queries, get_ok

pytestmark = pytest.mark.django_db

FEED = "/research-needs/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output


def entry_titles(client, url: str) -> list[str]:
    feed = parse(client.get(url))
    return [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]


@pytest.fixture
def needs(make_need, theme, other_partnership, skien, contact):
    """Public open needs of two partnerships, newest last; a closed one and a
    hidden one that no feed may show."""
    other_theme = Theme.objects.exclude(pk=theme.pk).first()
    made = {
        "Eldst": make_need(title="Eldst", service_area=theme, contact=contact),
        "Skien": make_need(
            title="Skien",
            organisation=skien,
            partnership=other_partnership,
            service_area=other_theme,
            suited_for=["phd"],
        ),
        "Nyest": make_need(title="Nyest", service_area=theme, suited_for=["phd", "thesis"]),
        "Lukket": make_need(title="Lukket", status="closed"),
        "Skjult": make_need(title="Skjult", is_public=False),
    }
    start = timezone.now() - timedelta(days=10)
    for i, need in enumerate(made.values()):
        Need.all_objects.filter(pk=need.pk).update(created=start + timedelta(days=i))
    return made


def test_the_feed_is_valid_atom_with_the_open_public_needs_newest_first(client, needs):
    feed = parse(client.get(FEED))
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{name}"), name
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == f"http://testserver{FEED}"
    assert links["alternate"] == "http://testserver/research-needs/"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Nyest", "Skien", "Eldst"]
    first = entries[0]
    need = needs["Nyest"]
    assert first.findtext(f"{ATOM}id") == f"urn:uuid:{need.public_id}"
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver{need.get_absolute_url()}"
    for name in ("updated", "published", "summary"):
        assert first.findtext(f"{ATOM}{name}"), name
    assert first.find(f"{ATOM}author").findtext(f"{ATOM}name") == need.organisation.name
    terms = {c.get("term") for c in first.findall(f"{ATOM}category")}
    assert need.service_area.name in terms


def test_the_feed_holds_no_personal_contact_data(client, needs, contact):
    contact.contact_public = True  # even public contact details stay on the need's page
    contact.save()
    text = client.get(FEED).content.decode()
    assert "Eldst" in text
    for secret in (contact.name, contact.email, contact.phone):
        assert secret not in text


def test_markup_in_a_description_stays_text(client, make_need):
    make_need(title="Markup", description="Bruk <script>alert(1)</script> & co.")
    (entry,) = parse(client.get(FEED)).findall(f"{ATOM}entry")
    summary = entry.findtext(f"{ATOM}summary")
    assert "<script>" not in summary and "&lt;script&gt;" in summary


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?service_area=helse-og-omsorg", ["Nyest", "Eldst"]),
        ("?partnership=usn-skien", ["Skien"]),
        ("?suited_for=phd", ["Nyest", "Skien"]),
        ("?suited_for=phd&partnership=usn-drammen", ["Nyest"]),
        ("?organisation=skien", ["Skien"]),
        ("?q=eldst", ["Eldst"]),
        ("?status=closed", ["Nyest", "Skien", "Eldst"]),  # always the open needs
        ("?partnership=no-such-partnership", ["Nyest", "Skien", "Eldst"]),
    ],
)
def test_the_feed_takes_the_lists_filters(client, needs, query, expected):
    assert entry_titles(client, FEED + query) == expected


def test_signed_in_users_get_the_public_feed_too(client, needs, reader):
    client.force_login(reader)
    assert "Skjult" not in entry_titles(client, FEED)


def test_a_partnerships_feed(client, needs, other_partnership):
    url = f"/partnerships/{other_partnership.slug}/needs.atom"
    feed = parse(client.get(url))
    assert other_partnership.name in feed.findtext(f"{ATOM}title")
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Skien"]
    assert client.get("/partnerships/no-such-partnership/needs.atom").status_code == 404


def test_a_partnerships_page_announces_and_links_its_feed(client, other_partnership):
    page = client.get(other_partnership.get_absolute_url()).content.decode()
    feed = f"/partnerships/{other_partnership.slug}/needs.atom"
    head, body = page.split("</head>")
    assert (
        f'type="application/atom+xml" title="{gettext("Open research needs (Atom)")}" href="{feed}"'
        in head
    )
    assert f'href="{feed}"' in body
    assert parse(client.get(feed)).findtext(f"{ATOM}title")


def test_the_list_links_the_feed_of_its_filters(client, needs):
    page = client.get("/research-needs/?service_area=helse-og-omsorg&page=1").content.decode()
    feed = escape(f"{FEED}?service_area=helse-og-omsorg")
    head = page.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head  # where readers look
    assert f'href="{feed}"' in head
    assert gettext("Subscribe (Atom)") in page
    plain = client.get("/research-needs/").content.decode()
    assert f'href="{FEED}"' in plain


def test_the_feed_takes_the_same_number_of_queries_for_more_needs(
    client,
    make_need,
    django_assert_num_queries,
    theme,
    partnership,
    other_partnership,
    skien,
    contact,
):
    make_need(service_area=theme, contact=contact)
    filtered = FEED + "?service_area=helse-og-omsorg&partnership=usn-drammen&suited_for=thesis"
    urls = [FEED, filtered, f"/partnerships/{partnership.slug}/needs.atom"]
    small = {}
    for url in urls:
        get_ok(client, url)  # warm the content types and the like
        cache.clear()  # count the feed written afresh, the dearer case
        small[url] = count_queries(lambda url=url: get_ok(client, url))
    for i in range(30):
        make_need(
            title=f"Behov {i}",
            service_area=theme,
            organisation=skien if i % 3 else contact.affiliations.first().organisation,
            partnership=partnership if i % 2 else other_partnership,
            contact=contact,
        )
    for url in urls:
        cache.clear()
        with django_assert_num_queries(small[url]):
            assert len(parse(client.get(url)).findall(f"{ATOM}entry")) > 10


def test_the_feed_is_kept_until_the_needs_change(client, make_need, django_assert_num_queries):
    make_need(title="Først")
    get_ok(client, FEED)
    with django_assert_num_queries(1):  # the data version
        assert "Først" in get_ok(client, FEED).content.decode()
    make_need(title="Så")
    assert entry_titles(client, FEED) == ["Så", "Først"]
