import pytest

from search.tests.conftest import titles
from search.tests.helpers import activity
from search.text import index_text, stem, stems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "forms",
    [
        ["sykehjem", "sykehjemmet", "sykehjemmene", "sykehjems"],
        ["kommune", "kommunen", "kommunene", "kommunenes"],
        ["barnehage", "barnehagen", "barnehagene"],
        ["helsetjeneste", "helsetjenesten", "helsetjenester", "helsetjenestene"],
    ],
)
def test_inflected_forms_share_one_stem(forms):
    assert len({stem(word) for word in forms}) == 1


def test_norwegian_letters_are_kept_in_stems():
    assert stem("tromsø") == "tromsø"
    assert "sør" in index_text("Sør og nord")
    assert "sor" not in index_text("Sør og nord")


def test_stop_words_are_left_out():
    assert stems("og i på med") == []


def test_short_words_and_numbers_are_not_stemmed():
    assert stem("uia") == "uia"
    assert stem("2024") == "2024"


def test_searching_sykehjem_finds_the_definite_and_plural_forms():
    activity("Bemanning i sykehjemmet", "Om turnus.")
    activity("Mat i sykehjemmene", "Om ernæring.")
    activity("Skolemat", "Om matpakker.")
    found = titles("sykehjem")
    assert "Bemanning i sykehjemmet" in found
    assert "Mat i sykehjemmene" in found
    assert "Skolemat" not in found


def test_an_inflected_query_finds_the_base_form():
    activity("Nytt sykehjem i Bodø")
    assert "Nytt sykehjem i Bodø" in titles("sykehjemmene")
