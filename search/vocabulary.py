"""The names the typo fallback corrects to, kept in the cache until the index changes.

The fallback (search.service) needs the stems of the indexed titles that begin
with the letters of the words it corrects; reading them is the one costly query
of a search that found nothing. They are kept in the default cache, per letter,
under the index's *generation*: a token in the cache that every change of the
index replaces (``changed``: documents written or removed, a rebuild, the end
of a bulk load with the signals paused). The next search reads the names
afresh and keeps them under the new token; the old entries are never read again
and expire.

The token is replaced when the change is made and again when its transaction
commits, so a search that read the index meanwhile (and so without the change)
keeps nothing that outlives the commit. A value is kept for at most
``UNIKOM_CACHE_SECONDS``, which bounds what a change that bypasses these
functions (raw SQL), or a cache that other processes do not share
(``CACHE_URL=locmem://``), can leave behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from search.backends import get_backend

GENERATION_KEY = "unikom:search:generation"


def _renew() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def changed() -> None:
    """The index has changed (or will when the transaction commits): forget the names kept.

    In a transaction, only its first change renews the token at once and at the
    commit: a load that saves thousands of records writes to the cache twice,
    not twice per record."""
    if not connection.in_atomic_block:
        _renew()
        return
    if any(func is _renew for _, func, _ in connection.run_on_commit):
        return
    _renew()
    transaction.on_commit(_renew)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or the cache was emptied: start a generation (another
        # process may have started one at the same moment; theirs then wins).
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY, "")
    return generation


def _key(generation: str, letter: str) -> str:
    return f"unikom:search:vocabulary:{generation}:{ord(letter)}"


def names(initials: Iterable[str]) -> dict[str, list[str]]:
    """The indexed title stems beginning with each of these letters, sorted.

    Letters not in the cache are read from the index in one query
    (``SearchBackend.vocabulary``); a search that finds them kept makes none.
    """
    letters = sorted({i[:1] for i in initials if i})
    if not letters:
        return {}
    generation = _generation()
    keys = {letter: _key(generation, letter) for letter in letters}
    kept = cache.get_many(list(keys.values()))
    found = {letter: kept[key] for letter, key in keys.items() if key in kept}
    missing = [letter for letter in letters if letter not in found]
    if missing:
        read: dict[str, set[str]] = {letter: set() for letter in missing}
        for word in get_backend().vocabulary(missing):
            if word[:1] in read:
                read[word[:1]].add(word)
        fresh = {letter: sorted(words) for letter, words in read.items()}
        cache.set_many(
            {keys[letter]: words for letter, words in fresh.items()},
            settings.UNIKOM_CACHE_SECONDS,
        )
        found.update(fresh)
    return found
