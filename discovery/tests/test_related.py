"""Related work: the obviously related record is found, explained, and nothing private leaks."""

from __future__ import annotations

import pytest

from discovery.related import related_work
from discovery.tests.helpers import activity, need

pytestmark = pytest.mark.django_db


@pytest.fixture
def sykehjem():
    """An activity in Drammen about welfare technology in nursing homes."""
    return activity(
        "Velferdsteknologi på sykehjem",
        "Hvordan tas sensorer og digitalt tilsyn i bruk på sykehjemmene? Vi følger ansatte "
        "og beboere gjennom innføringen.",
        partnerships=["usn-drammen"],
        themes=["helse-og-omsorg"],
        organisations=["usn"],
    )


@pytest.fixture
def noise():
    """Activities on other subjects, so that document frequencies mean something."""
    return [
        activity("Klimatilpasning i arealplanleggingen", "Overvann, flom og grønne tak."),
        activity("Lesing i barnehagen", "Språkutvikling og lesing for de minste barna."),
        activity("Bærekraftige innkjøp", "Klimakrav i offentlige anskaffelser."),
    ]


def titles(items):
    return [r.title for r in items]


def test_finds_the_same_topic_in_another_partnership_and_says_why(sykehjem, noise):
    other = activity(
        "Digitalt tilsyn på sykehjem i Skien",
        "Erfaringer med sensorteknologi og velferdsteknologi blant beboere på sykehjem.",
        partnerships=["usn-skien"],
        themes=["helse-og-omsorg"],
        organisations=["usn"],
    )
    found = related_work(sykehjem)
    assert titles(found)[0] == other.title
    first = found[0]
    assert "sykehjem" in first.terms
    assert first.themes == ["Helse og omsorg"]
    assert first.organisations == ["USN"]
    assert first.partnerships == []  # different partnerships: the point of the feature
    assert "Universitetskommunen Skien (USN)" in first.place
    # Unrelated subjects are not offered, and the record never finds itself.
    assert not set(titles(found)) & {n.title for n in noise}
    assert sykehjem.title not in titles(found)


def test_needs_are_related_work_too(sykehjem, noise):
    posted = need(
        "Sensorer i sykehjem",
        "Vi trenger kunnskap om digitalt tilsyn og velferdsteknologi for beboere.",
        by="skien",
    )
    found = related_work(sykehjem)
    assert [(r.kind, r.title) for r in found] == [("need", posted.title)]


def test_text_outweighs_a_shared_theme(sykehjem, noise):
    close = activity("Sensorer og digitalt tilsyn på sykehjem", "Velferdsteknologi for beboere.")
    same_theme_only = activity(
        "Ernæring blant eldre", "Kosthold for eldre i hjemmetjenesten.", themes=["helse-og-omsorg"]
    )
    found = titles(related_work(sykehjem))
    assert found[0] == close.title
    assert same_theme_only.title not in found


def test_trashed_and_private_records_are_left_out(client, sykehjem, noise):
    trashed = activity("Velferdsteknologi og sensorer på sykehjem", "Digitalt tilsyn.")
    private = activity(
        "Sykehjem med digitalt tilsyn", "Velferdsteknologi og sensorer.", is_public=False
    )
    private_need = need("Sensorer på sykehjem", "Velferdsteknologi.", is_public=False)
    before = titles(related_work(sykehjem))
    assert trashed.title in before
    # Related work reads the public index: private records are never offered.
    assert private.title not in before and private_need.title not in before
    trashed.move_to_trash(None)
    assert trashed.title not in titles(related_work(sykehjem))
    page = client.get(sykehjem.get_absolute_url()).content.decode()
    for hidden in (trashed, private, private_need):
        assert hidden.get_absolute_url() not in page


def test_the_page_shows_related_work_with_reasons(english, sykehjem, noise):
    other = activity(
        "Digitalt tilsyn på sykehjem",
        "Sensorteknologi og velferdsteknologi.",
        themes=["helse-og-omsorg"],
        partnerships=["usn-skien"],
    )
    page = english.get(sykehjem.get_absolute_url()).content.decode()
    assert 'id="related-work"' in page
    assert other.get_absolute_url() in page
    assert "Shared key terms" in page and "Same theme" in page


@pytest.mark.parametrize(
    "title, summary",
    [
        ("Og i det at en", ""),  # only stop words
        ("Tomt", ""),  # no summary
        ("Lang tekst", "velferdsteknologi sykehjem " * 4000),
        ("Rar \x07 tekst \u202e\u0301 😀 ǅ ﬁ", "Σίσυφος ＦＵＬＬ ẞ \ufeff\u200b sykehjem"),
        ("x", "1 2 3 2024 4000"),
    ],
)
def test_odd_text_never_breaks_related_work(client, sykehjem, title, summary):
    odd = activity(title, summary)
    assert client.get(odd.get_absolute_url()).status_code == 200
    related_work(odd)
    posted = need(title, summary or "–")
    assert client.get(posted.get_absolute_url()).status_code == 200
