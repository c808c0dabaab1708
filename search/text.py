"""Text handling shared by both search backends: tokens, stop words, stemming.

Neither SQLite FTS5 nor our need for identical behaviour on both databases is
served by a database stemmer, so words are stemmed here, in Python, with a
small Norwegian (bokmål/nynorsk) suffix-stripping stemmer in the spirit of the
Snowball Norwegian algorithm: documents and queries go through the same
function, so "sykehjem", "sykehjemmet" and "sykehjemmene" meet at one stem.
See docs/search.md for its rules and limits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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

# Longest suffixes first; from the Snowball Norwegian step 1 list.
_SUFFIXES = (
    "hetenes",
    "hetene",
    "hetens",
    "heten",
    "heter",
    "endes",
    "ernes",
    "erens",
    "erne",
    "eren",
    "ande",
    "ende",
    "edes",
    "enes",
    "erte",
    "ede",
    "ane",
    "ene",
    "ens",
    "ers",
    "ets",
    "het",
    "ast",
    "ert",
    "en",
    "ar",
    "er",
    "as",
    "es",
    "et",
    "a",
    "e",
)
_VOWELS = "aeiouyæåø"


def fold(text: str) -> str:
    """Normalise Unicode (NFC), drop NUL and control characters, lower-case."""
    text = unicodedata.normalize("NFC", text.replace("\x00", " "))
    # Every character of category C is unprintable, so printable text (tabs and
    # newlines aside) has none to drop: skip the per-character pass.
    if not text.isprintable() and not text.replace("\n", "").replace("\t", "").isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    return text.lower()


def _r1(word: str) -> int:
    """Start of region R1 as in Snowball: after the first non-vowel following a vowel, min 3."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Stem one lower-case Norwegian word.

    Strips the longest inflectional suffix found in R1, then a doubled final
    consonant left by definite forms (sykehjemm-et → sykehjem), then the
    Snowball step-3 derivational endings (-leg, -lig, -els, -lov, -slov, -hetslov).
    """
    if len(word) < 4 or not word.isalpha():
        return word
    r1 = _r1(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] not in _VOWELS:
            word = word[:-1]
    if word.endswith(("dt", "vt")) and len(word) - 1 >= r1:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    for suffix in ("hetslov", "slov", "elig", "eleg", "lig", "leg", "els", "lov", "ig", "eg"):
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
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
