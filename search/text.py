"""Text handling shared by both search backends: tokens, stop words, stemming.

Neither SQLite FTS5 nor our need for identical behaviour on both databases is
served by a database stemmer, so words are stemmed here, in Python, with the
Snowball Norwegian stemmer (PyStemmer) and two rules of our own on top (the
definite forms of nouns in -er, a doubled final consonant made single):
documents and queries go through the same function, so "sykehjem",
"sykehjemmet" and "sykehjemmene" meet at one stem. See docs/search.md for its
rules and limits.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

# Letters and digits, Unicode-aware; everything else separates words.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_CHARS = 500
MAX_TERMS = 12

_STOP_WORDS = """
    og i jeg det at en et den til er som på de med han av ikke ikkje der så var
    meg seg men ett har om vi min mitt ha hadde hun nå over da ved fra du ut sin
    dem oss opp man kan hans hvor eller hva skal selv sjøl her alle vil bli ble
    blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned
    skulle denne for deg si sine sitt mot å meget hvorfor dette disse uten hvordan
    ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors
    dei då eg ein eit eitt elles honom hoss ho hjå korleis kva kvar me mi mykje
    no nokon noka nokor og sidan so somt upp um verte vore vort
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# The vowels of Snowball Norwegian (its region R1; a doubled final vowel stays).
_VOWELS = frozenset("aeêioóòuyæåø")
# Definite forms of nouns in -er (brukeren, brukerne, brukerens, brukernes), which
# Snowball's list of endings leaves as "bruker" and "brukern" while "bruker" is "bruk".
_DEFINITE_ER = ("ernes", "erens", "erne", "eren")


class _Stemmers(threading.local):
    """One Snowball stemmer per thread: a PyStemmer object is not thread-safe."""

    def __init__(self) -> None:
        self.norwegian = Stemmer.Stemmer("norwegian")
        self.norwegian.maxCacheSize = 0  # ``stem`` keeps its own cache


_stemmers = _Stemmers()


def fold(text: str) -> str:
    """Normalise Unicode (NFKC), drop NUL and control characters, lower-case.

    NFKC rather than NFC: compatibility forms become their plain letters and
    digits ("CO₂" → "co2", "m²" → "m2", "ﬁ" → "fi"), which both databases'
    tokenizers read as word characters (PostgreSQL's parser splits "co₂" into
    "co" alone; FTS5 kept "co₂").
    """
    text = unicodedata.normalize("NFKC", text.replace("\x00", " "))
    # Every character of category C is unprintable, so printable text (tabs and
    # newlines aside) has none to drop: skip the per-character pass.
    if not text.isprintable() and not text.replace("\n", "").replace("\t", "").isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    return text.lower()


def _r1(word: str) -> int:
    """Where Snowball's region R1 starts: after the first non-vowel that follows a
    vowel, and at least at 3 (so short words keep their letters)."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Stem one lower-case Norwegian word.

    The Snowball Norwegian stemmer (PyStemmer), with two rules of our own
    (docs/search.md): a definite ending of a noun in -er is read as the -er
    (bruker-en, bruker-ne → bruker → bruk), and a doubled final consonant is
    made single (sykehjemm-et → sykehjem, so it meets sykehjem). Words shorter
    than four letters and words with digits are left alone.
    """
    if len(word) < 4 or not word.isalpha():
        return word
    for ending in _DEFINITE_ER:
        if word.endswith(ending) and len(word) - len(ending) >= _r1(word):
            word = word[: -len(ending)] + "er"
            break
    word = _stemmers.norwegian.stemWord(word)
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``."""
    return WORD_RE.findall(fold(text))


def stems(text: str) -> list[str]:
    """Stems of the words in ``text``, stop words left out."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def index_text(text: str) -> str:
    """The text stored in the full-text index: stems separated by spaces."""
    return " ".join(stems(text))
