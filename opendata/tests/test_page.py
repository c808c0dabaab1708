"""The open data page: downloads, data dictionary, licence and attribution."""

from __future__ import annotations

import pytest

from core.tests.test_accessibility import parse
from opendata.columns import KINDS

pytestmark = pytest.mark.django_db


def test_page_lists_downloads_dictionary_and_attribution(client):
    client.cookies["django_language"] = "en"
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/open-data/unikom-open-data.zip"' in html
    for kind in KINDS.values():
        assert f'href="/export/{kind.name}.csv"' in html
        assert f'id="dictionary-{kind.name}"' in html
        for column in kind.columns:
            assert f"<code>{column.name}</code>" in html
    assert 'href="/export/activities.jsonld"' in html
    assert "/export/memberships.jsonld" not in html
    assert "Statistisk sentralbyrå (SSB)" in html and "© Kartverket" in html
    assert 'href="/api/docs/"' in html


def test_open_data_is_in_the_navigation(client):
    html = client.get("/").content.decode()
    assert 'href="/open-data/"' in html


def test_structure_labels_and_headings(client):
    page = parse(client, "/open-data/")
    names = [t for t, _a in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, (before, after)
    headers = [a for t, a in page.tags if t == "th"]
    assert all(a.get("scope") in ("col", "row") for a in headers)
