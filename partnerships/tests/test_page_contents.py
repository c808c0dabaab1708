"""The profile's table of contents ("On this page") and its wide tables' scroll regions."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def toc_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "the profile has no table of contents"
    return re.findall(r'<a href="#([^"]+)"', nav.group(1))


@pytest.mark.parametrize("with_statements", [True, False])
def test_every_link_of_the_table_of_contents_leads_to_a_heading_on_the_page(
    client, with_statements
):
    p = Partnership.objects.filter(statements__isnull=not with_statements).first()
    html = client.get(p.get_absolute_url()).content.decode()
    links = toc_links(html)
    headings = re.findall(r'<h2 id="([^"]+)"', html)
    assert len(links) >= 12
    assert len(links) == len(set(links))
    assert set(links) <= set(headings), set(links) - set(headings)
    # every section's heading is listed, in the order of the page
    sections = [h for h in headings if h != "toc-heading"]
    assert links == sections
    assert ("statements" in links) == with_statements


def test_the_table_of_contents_is_named_in_each_language(client):
    p = Partnership.objects.first()
    html = client.get(p.get_absolute_url()).content.decode()
    heading = re.search(r'<h2 id="toc-heading">([^<]+)</h2>', html)
    assert heading
    assert heading.group(1) == "Innhold på siden"
    client.cookies["django_language"] = "en"
    html = client.get(p.get_absolute_url()).content.decode()
    assert '<h2 id="toc-heading">On this page</h2>' in html


def test_a_wide_table_sits_in_a_named_focusable_scroll_region_with_its_hint():
    html = Template(
        '{% load unikom %}{% tablescroll _("Separate groups") %}<table><tr><td>1</td></tr>'
        "</table>{% endtablescroll %}"
    ).render(Context())
    region = re.match(r'<div class="table-scroll"([^>]*)>(.*)</div>\s*$', html.strip(), re.S)
    assert region, html
    attributes, inside = region.groups()
    assert 'tabindex="0"' in attributes
    assert 'role="region"' in attributes
    assert 'aria-label="Adskilte grupper"' in attributes  # the label, translated
    assert re.search(r'<p class="scroll-hint" aria-hidden="true">', inside)
    assert inside.endswith("<table><tr><td>1</td></tr></table>")


def test_the_profile_s_tables_are_scroll_regions(client):
    p = Partnership.objects.filter(anchorings__isnull=False).first()
    html = client.get(p.get_absolute_url()).content.decode()
    tables = html.count("<table")
    visually_hidden = html.count('<table class="visually-hidden"')
    assert tables > visually_hidden
    assert html.count('<div class="table-scroll" tabindex="0" role="region"') == (
        tables - visually_hidden
    )
