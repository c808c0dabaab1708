"""/about-the-compilation/: the compilation's own numbers beside unikom's, and why they differ."""

from __future__ import annotations

import re

import pytest

from insights.compilation import COMPILATION
from partnerships.models import Partnership
from tests.support.testing import compilation

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def value(html: str, attribute: str, name: str) -> str:
    return re.search(rf'{attribute}="{name}">([^<]+)<', html).group(1)


def test_the_constants_match_the_facts_file():
    claims = compilation()["compilation_claims"]
    assert COMPILATION["partnerships_asked"] == claims["partnerships_asked"] == 16
    assert COMPILATION["partnerships_answered"] == claims["partnerships_giving_input"] == 15
    assert COMPILATION["municipalities"] == claims["municipalities"] == 34
    assert COMPILATION["academic_institutions"] == claims["academic_institutions"] == 16


def test_it_shows_the_compilations_numbers(english):
    html = english.get("/about-the-compilation/").content.decode()
    assert value(html, "data-claim", "partnerships_asked") == "16"
    assert value(html, "data-claim", "partnerships_answered") == "15"
    assert value(html, "data-claim", "municipalities") == "34"
    assert value(html, "data-claim", "academic_institutions") == "16"
    assert "KS" in html and "Universitetskommunen Trondheim TRD3.0" in html
    assert "Arena Unikom 2021" in html
    assert COMPILATION["source_url"] in html


def test_it_shows_unikoms_counts_computed_from_the_registry(english):
    html = english.get("/about-the-compilation/").content.decode()
    assert value(html, "data-unikom", "partnerships") == str(Partnership.objects.count()) == "15"
    assert value(html, "data-unikom", "municipalities-named") == "29"
    assert value(html, "data-unikom", "municipalities-stated") == "34"
    assert value(html, "data-unikom", "knowledge-institutions") == "17"
    assert "14 partnerships have a page of their own in the compilation." in html
    assert "Kunnskapskommunen HelseOmsorg Nord has 6 municipalities, 1 named" in html
    assert "Counted so, unikom's number is the compilation's." in html
    assert "15 universities, university colleges and research institutes, and 2 hospitals." in html
    assert "Steinkjer and Levanger" in html and "Kongsvinger" in html


def test_unikoms_side_follows_the_data(english):
    Partnership.objects.get(slug="usn-faerder").delete()
    html = english.get("/about-the-compilation/").content.decode()
    assert value(html, "data-unikom", "partnerships") == "14"
    assert value(html, "data-unikom", "municipalities-named") == "28"
    assert "Counted so, unikom's number is the compilation's." not in html
    assert value(html, "data-claim", "municipalities") == "34"  # the claim stays as stated
