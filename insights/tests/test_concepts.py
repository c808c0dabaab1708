"""/concepts/ defines every term the site uses, built from the choices so it cannot drift."""

from __future__ import annotations

import re

import pytest

from insights import compilation
from partnerships.choices import (
    AnchoringLevel,
    Initiative,
    InitiativeGroup,
    Maturity,
    PartnershipKind,
)

pytestmark = pytest.mark.django_db

ANCHORS = ["kinds", "maturity", "motor-municipality", "anchoring", "initiative"]


@pytest.fixture
def page(client) -> str:
    client.cookies["django_language"] = "en"
    response = client.get("/concepts/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("choices", "definitions"),
    [
        (PartnershipKind, compilation.KIND_DEFINITIONS),
        (Maturity, compilation.MATURITY_DEFINITIONS),
        (AnchoringLevel, compilation.LEVEL_DEFINITIONS),
        (Initiative, compilation.INITIATIVE_DEFINITIONS),
        (InitiativeGroup, compilation.INITIATIVE_GROUP_DEFINITIONS),
    ],
)
def test_every_choice_has_a_definition(choices, definitions):
    assert set(definitions) == set(choices.values)
    assert all(str(d).strip() for d in definitions.values())


def test_the_anchors_other_pages_link_to_exist(page):
    for anchor in [*ANCHORS, "roots", "knowledge-institutions", "results", "vintage"]:
        assert f'<section id="{anchor}"' in page


@pytest.mark.parametrize(
    ("anchor", "choices", "prefix"),
    [
        ("kinds", PartnershipKind, "kind"),
        ("maturity", Maturity, "maturity"),
        ("anchoring", AnchoringLevel, "level"),
        ("initiative", Initiative, "initiative"),
        ("initiative", InitiativeGroup, "initiative-group"),
    ],
)
def test_every_choice_is_listed_with_its_label_and_definition(page, anchor, choices, prefix):
    from django.utils import translation

    text = section(page, anchor)
    definitions = {
        PartnershipKind: compilation.KIND_DEFINITIONS,
        Maturity: compilation.MATURITY_DEFINITIONS,
        AnchoringLevel: compilation.LEVEL_DEFINITIONS,
        Initiative: compilation.INITIATIVE_DEFINITIONS,
        InitiativeGroup: compilation.INITIATIVE_GROUP_DEFINITIONS,
    }[choices]
    with translation.override("en"):
        for value, label in choices.choices:
            block = text[text.index(f'id="{prefix}-{value}"') :]
            block = block[: block.index("</div>")]
            assert f"<strong>{label}</strong>" in block
            first_words = str(definitions[value]).split(",")[0][:30]
            assert first_words.replace("'", "&#x27;") in block


def test_anchoring_levels_are_grouped_by_side_top_first(page):
    text = section(page, "anchoring")
    order = re.findall(r'id="level-([a-z_]+)"', text)
    assert order == [
        "political",
        "administrative_top",
        "sector_management",
        "service_level",
        "board",
        "rectorate",
        "faculty",
        "institute",
        "research_group",
        "other",
    ]
    assert text.index("Municipal side") < text.index("Academic side") < text.index("Either side")


def test_motor_municipality_gives_ksfs_definition_and_its_source(page):
    text = section(page, "motor-municipality")
    assert "<ol>" in text and text.count("<li>", text.index("<ol>"), text.index("</ol>")) == 3
    assert "April 2019" in text and "page 40" in text
    assert "final report" in text
    assert compilation.OVERVIEW_URL in text
    assert "Bergen" in text and "Kristiansand" in text
    assert 'href="/insights/motor-municipalities/"' in text


def test_kinds_link_to_the_partnerships_of_each_kind(page):
    text = section(page, "kinds")
    assert 'href="/partnerships/?kind=bilateral">10 partnerships</a>' in text
    assert 'href="/partnerships/?kind=cluster">3 partnerships</a>' in text


def test_in_bokmal_the_norwegian_term_is_not_repeated(client):
    html = client.get("/concepts/").content.decode()
    assert '<i lang="nb">motorkommune</i>' not in html
    client.cookies["django_language"] = "en"
    assert '<i lang="nb">motorkommune</i>' in client.get("/concepts/").content.decode()
