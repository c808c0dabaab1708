import pytest
import Stemmer

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
        ["bruker", "brukeren", "brukerne", "brukerens", "brukernes"],
        ["innbygger", "innbyggeren", "innbyggerne"],
        ["arrangere", "arrangerer", "arrangerte", "arrangert"],
        ["offentlig", "offentlige"],
        ["sjukeheim", "sjukeheimen", "sjukeheimane"],
        ["drammen", "drammens"],
    ],
)
def test_inflected_forms_share_one_stem(forms):
    assert len({stem(word) for word in forms}) == 1


SNOWBALL = Stemmer.Stemmer("norwegian")


@pytest.mark.parametrize(
    "word",
    [
        "kommunene",
        "barnehagen",
        "helsetjenestene",
        "sykehjem",
        "arrangert",  # -ert becomes -er, as in "arrangerer"
        "offentlige",  # the derivational -lig goes
        "hellig",
        "samarbeidet",
        "fylkeskommunen",
        "sjukeheimane",
        "ålesunds",
        "tromsø",
        "kommunalt",
        "lærer",
    ],
)
def test_stems_are_snowball_norwegian(word):
    assert stem(word) == SNOWBALL.stemWord(word)


@pytest.mark.parametrize(
    ("word", "snowball", "ours"),
    [
        # A doubled final consonant is made single: the definite forms meet the bare word.
        ("sykehjemmet", "sykehjemm", "sykehjem"),
        ("sykehjemmene", "sykehjemm", "sykehjem"),
        ("drammen", "dramm", "dram"),
        ("grønn", "grønn", "grøn"),
        # The definite forms of nouns in -er are read as the -er form.
        ("brukeren", "bruker", "bruk"),
        ("brukerne", "brukern", "bruk"),
        ("forskernes", "forskern", "forsk"),
        ("innbyggeren", "innbygger", "innbyg"),
    ],
)
def test_our_two_rules_on_top_of_snowball(word, snowball, ours):
    assert (SNOWBALL.stemWord(word), stem(word)) == (snowball, ours)


def test_a_short_ending_in_er_is_not_read_as_a_definite_form():
    # "-erne" outside region R1 is part of the word: stjerne (star), hjerne (brain).
    assert stem("stjerne") == SNOWBALL.stemWord("stjerne") == "stjern"
    assert stem("hjerne") == "hjern"


def test_stems_are_cached():
    stem.cache_clear()
    stem("kommunene")
    stem("kommunene")
    assert stem.cache_info().hits == 1


def test_norwegian_letters_are_kept_in_stems():
    assert stem("tromsø") == "tromsø"
    assert "sør" in index_text("Sør og nord")
    assert "sor" not in index_text("Sør og nord")


def test_stop_words_are_left_out():
    assert stems("og i på med") == []


def test_short_words_and_numbers_are_not_stemmed():
    assert stem("uia") == "uia"
    assert stem("2024") == "2024"
    assert stem("covid19") == "covid19"
    assert stem("bøk") == "bøk"


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
