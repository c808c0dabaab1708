"""WCAG 2.1 AA basics checked on every public page: structure, labels, contrast."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/?kind=cluster",
    "/partnerships/usn-drammen/",
    "/partnerships/kunnskapskommunen-helseomsorg-vest/",
    "/organisations/",
    "/organisations/4601/",
    "/organisations/ntnu/",
    "/organisations/vestland/",
    "/compare/",
    "/compare/?p=usn-drammen&p=alesund",
    "/research-needs/",
    "/events/",
    "/activities/",
    "/people/",
    "/insights/gaps/",
    "/insights/motor-municipalities/",
    "/report/",
    "/accounts/login/",
]


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def parse(client, url) -> Page:
    page = Page()
    page.feed(client.get(url).content.decode())
    return page


@pytest.mark.parametrize("url", PAGES)
def test_structure_landmarks_and_headings(client, url):
    page = parse(client, url)
    names = [t for t, _a in page.tags]
    assert dict(page.tags)["html"].get("lang") == "nb"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names, landmark
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"


@pytest.mark.parametrize("url", PAGES)
def test_every_control_has_a_label_and_every_graphic_a_text(client, url):
    page = parse(client, url)
    labelled = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            assert attrs.get("id") in labelled or attrs.get("aria-label"), (tag, attrs)
        if tag == "svg":  # a group when its shapes are links (axe: nested-interactive)
            assert attrs.get("aria-hidden") == "true" or (
                attrs.get("role") in ("img", "group")
                and (attrs.get("aria-label") or attrs.get("aria-labelledby"))
            ), attrs
        if tag == "img":
            assert "alt" in attrs, attrs
        if tag == "a" and "href" in attrs:
            assert attrs["href"].strip(), attrs


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_have_aa_contrast():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "unikom.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    for text in ("text", "muted", "link", "accent"):
        for background in ("#ffffff", colours["bg-soft"]):
            assert contrast(colours[text], background) >= 4.5, (text, background)
    # white text on the header, graphics against their background (1.4.11: 3:1)
    assert contrast("#ffffff", colours["accent"]) >= 4.5
    assert contrast(colours["mark"], "#e4ebf1") >= 3
    assert contrast(colours["accent"], "#ffffff") >= 3
