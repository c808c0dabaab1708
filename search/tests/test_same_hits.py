"""The same queries find the same records on SQLite and on PostgreSQL.

CI runs the suite on both databases (.ci/run); the hits expected here are
written down once, so each run must produce them. Order is left out: the two
engines rank with different formulas (bm25, ts_rank), but which records match
is theirs to agree on.
"""

import pytest

from search.models import SearchDocument
from search.tests.conftest import search_ids
from search.tests.helpers import activity

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "D1": ("Bemanning i sykehjemmet", "Turnus og arbeidstid for sykepleiere."),
    "D2": ("Mat i sykehjemmene", "Ernæring for eldre beboere."),
    "D3": ("Helse", "Omsorg i kommunen."),
    "D4": ("Helse og omsorg i Tromsø", "Samarbeid mellom kommunen og universitetet."),
    "D5": ("Brukerne i hjemmetjenesten", "Hva brukeren ønsker seg."),
    "D6": ("Barnevern og skole", "Barnevernstjenesten i Ålesund."),
    "D7": ("Sør-Norge og Nord-Norge", "Klimatilpasning langs kysten."),
    "D8": ("Arrangert dialogmøte", "Vi arrangerer møter hver vår."),
    "D9": ("Klimagassutslipp 2024", "Mindre CO₂ innen 2030, på 5 m² tak."),
    "D10": ("Skolemat", "Om matpakker."),
    "D11": ("Offentlige anskaffelser", "Offentlig innkjøp i fylkeskommunen."),
    "D12": ("Kvalsundvika havneprosjekt", "Ny kai."),
}

QUERIES = [
    ("sykehjem", {"D1", "D2"}),
    ("sykehjemmene", {"D1", "D2"}),
    ('"helse og omsorg"', {"D4"}),  # a phrase does not run from the title into the text
    ("helse omsorg", {"D3", "D4"}),
    ("bruker", {"D5"}),
    ("barnev*", {"D6"}),
    ("barnevern", {"D6"}),
    ("sør", {"D7"}),
    ("sor", set()),
    ("ålesund", {"D6"}),
    ('"nord-norge"', {"D7"}),
    ("arrangere", {"D8"}),
    ("2024", {"D9"}),
    ("co2", {"D9"}),  # CO₂ in the text: one word on both databases
    ("CO₂", {"D9"}),
    ("m2", {"D9"}),
    ("co", set()),
    ("offentlig anskaffelse", {"D11"}),
    ("kommunen", {"D3", "D4"}),
    ("fylkeskommune", {"D11"}),
    ("hjemmetjeneste*", {"D5"}),
    ("matpakke", {"D10"}),
    ("tromsø samarbeid", {"D4"}),
    ("OR NOT skole", {"D6"}),
    ("mat", {"D2"}),
    ("Kvalsundvka", {"D12"}),  # the typo fallback
    ("sykehjem -mat", {"D2"}),  # "-" is no NOT: a separator, and both words must occur
]


@pytest.fixture
def documents():
    return {activity(title, text).title: name for name, (title, text) in DOCUMENTS.items()}


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _e in QUERIES])
def test_a_query_finds_the_records_written_down(documents, query, expected):
    ids = search_ids(query, kind="activity").ids
    found = SearchDocument.objects.filter(pk__in=ids).values_list("title", flat=True)
    assert {documents[t] for t in found if t in documents} == expected
