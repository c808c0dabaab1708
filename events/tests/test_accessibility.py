"""The event pages pass the same WCAG basics as every public page."""

from __future__ import annotations

import pytest

from core.tests.test_accessibility import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(make_event, theme):
    event = make_event(themes=[theme], online_url="https://example.org/meet")
    make_event(in_days=-10)
    return [
        "/events/",
        "/events/?when=past",
        "/events/?kind=seminar",
        event.get_absolute_url(),
        f"{event.get_absolute_url()}history/",
    ], event


def check(client, url):
    page = parse(client, url)
    names = [t for t, _a in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names, (url, landmark)
    assert page.headings.count(1) == 1, url
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, (url, before, after)
    labelled = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            assert attrs.get("id") in labelled or attrs.get("aria-label"), (url, tag, attrs)
        if tag == "a" and "href" in attrs:
            assert attrs["href"].strip(), (url, attrs)


def test_public_pages_have_landmarks_headings_and_labels(client, pages):
    urls, _event = pages
    for url in urls:
        check(client, url)


def test_the_forms_have_a_label_for_every_field(client, pages, coordinator):
    _urls, event = pages
    client.force_login(coordinator)
    for url in (
        "/events/add/",
        f"{event.get_absolute_url()}edit/",
        f"{event.get_absolute_url()}trash/",
    ):
        check(client, url)
