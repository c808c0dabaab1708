"""Costly downloads prepared again in the background after the data changes.

A whole national list as a file and the national report as a PDF are kept
until the data changes (``opendata.kept``, ``core.cache``); the first reader
after a change waited while they were produced again: 12 s for the activities
as CSV, over a minute for the PDF. Each such download that a visitor asked for
is noted as a *recipe*: the address, host, scheme and language of the request,
which is all a kept answer depends on (kept answers are those of visitors who
are not signed in). ``unikom serve`` starts a preparer beside its workers
(``unikom prepare --watch``) that, once the data has been still for a while
after a change, asks for every noted download again through the site itself,
in its own process and at a lower priority, so that the next reader gets the
kept file at disk speed and the workers never hold the work.

What it does not change: an answer is kept only for the data it was produced
from, so a reader who comes before the preparer has finished gets a fresh
download, produced while it is sent, as before. Nothing is served stale.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.http import FileResponse, HttpRequest
from django.utils import translation
from django.utils.translation import get_language

from core.cache import data_version
from core.dates import local_today

logger = logging.getLogger(__name__)

#: Recipes kept at most; a new one beyond it is not noted (the unfiltered
#: downloads of every kind, format and language come to about 80 per host).
MAX_RECIPES = 500


def folder() -> Path:
    return Path(settings.DATA_DIR) / "prepare"


@dataclass(frozen=True)
class Recipe:
    """A GET request whose answer is kept for every visitor until the data changes."""

    path: str  # with its query string
    host: str
    scheme: str
    language: str

    @property
    def name(self) -> str:
        same = repr((self.path, self.host, self.scheme, self.language))
        return hashlib.sha256(same.encode()).hexdigest()[:32]

    def environ(self) -> dict:
        """The WSGI environ of the request, as the server would hand it to Django."""
        path, _, query = self.path.partition("?")
        host, _, port = self.host.partition(":")
        secure = self.scheme == "https"
        return {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": host,
            "SERVER_PORT": port or ("443" if secure else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": self.host,
            "HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}={self.language}",
            "HTTP_USER_AGENT": "unikom-prepare",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }


def note(request: HttpRequest) -> None:
    """Note ``request`` as a download to prepare after each change (once; cheap
    when it is already noted). Only for requests whose answer is kept for every
    visitor: the caller knows which those are."""
    if not settings.UNIKOM_PREPARE:
        return
    recipe = Recipe(
        path=request.get_full_path(),
        host=request.get_host(),
        scheme=request.scheme,
        language=get_language(),
    )
    target = folder() / f"{recipe.name}.json"
    if target.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if sum(1 for _ in target.parent.glob("*.json")) >= MAX_RECIPES:
            return
        _write(target, recipe.__dict__)
    except OSError as error:  # a full or read-only disk: the download itself goes on
        logger.warning("A download to prepare cannot be noted in %s: %s", target.parent, error)


def _write(target: Path, values: dict) -> None:
    """Write a recipe's file whole or not at all."""
    handle, part = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(values, out)
    os.replace(part, target)


def recipes() -> list[tuple[Path, Recipe]]:
    """The noted downloads, the quickest to produce first (as long as each took
    the last time; new ones before all): the many quick files are ready for
    their readers while the slow ones (the national PDF, a minute or more) are
    still to come, instead of waiting behind them."""
    found = []
    for path in folder().glob("*.json"):
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
            seconds = float(values.pop("seconds", 0.0))
            found.append((seconds, path.name, path, Recipe(**values)))
        except (OSError, ValueError, TypeError, AttributeError):
            logger.warning("Not a recipe, left out: %s", path)
    return [(path, recipe) for _, _, path, recipe in sorted(found, key=lambda f: f[:2])]


def _took(path: Path, prepared: Prepared) -> None:
    """Note in its recipe how long a download took to produce (for the order of
    the next round); a disk that cannot take it changes only that order."""
    try:
        _write(path, {**prepared.recipe.__dict__, "seconds": round(prepared.seconds, 3)})
    except OSError as error:
        logger.warning("How long a download took cannot be noted in %s: %s", path, error)


@dataclass
class Prepared:
    recipe: Recipe
    status: int
    seconds: float
    #: "produced" (streamed through, and so kept), "kept" (a kept file, not read
    #: again), "answered" (another answer: the PDF, kept in the cache), "dropped"
    #: (the address answers 404 or 410 now: not asked for again) or "failed"
    #: (another status: asked for again after the next change).
    outcome: str


def replay(recipe: Recipe, handler: Callable | None = None) -> Prepared:
    """Ask for ``recipe`` through the whole site (middleware included) in this
    process, reading the answer through so that it is kept; a kept file is not
    read again."""
    if handler is None:
        from django.core.handlers.wsgi import WSGIHandler

        handler = WSGIHandler()
    status: list[int] = []

    def start_response(line: str, headers, exc_info=None):
        status.append(int(line.split()[0]))
        return lambda data: None

    started = time.perf_counter()
    # The site's middleware activates the request's language for this thread: the
    # caller's comes back afterwards.
    with translation.override(translation.get_language()):
        response = handler(recipe.environ(), start_response)
        try:
            if status[0] == 200 and isinstance(response, FileResponse):
                outcome = "kept"
            elif status[0] == 200:
                for _ in response:
                    pass
                outcome = "produced" if response.streaming else "answered"
            else:
                outcome = "dropped" if status[0] in (404, 410) else "failed"
        finally:
            response.close()
    return Prepared(recipe, status[0], time.perf_counter() - started, outcome)


def prepare(log: Callable[[Prepared], None] = lambda p: None) -> list[Prepared]:
    """Every noted download, asked for again at the current data version; a
    recipe whose address is gone is forgotten."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    done = []
    for path, recipe in recipes():
        prepared = replay(recipe, handler)
        if prepared.outcome == "dropped":
            path.unlink(missing_ok=True)
        elif prepared.outcome in ("produced", "answered"):
            _took(path, prepared)
        log(prepared)
        done.append(prepared)
    return done


def state() -> tuple[str, str]:
    """What the kept answers depend on besides the request: the data and the day."""
    return data_version(), local_today().isoformat()


@dataclass
class Watch:
    """When to prepare: after a change (``state``) once nothing has changed for
    ``settle`` seconds, and at most once every ``gap`` seconds (a coordinator
    editing all afternoon does not keep a core busy re-exporting the country).
    The first round comes ``settle`` seconds after the start."""

    settle: float
    gap: float
    clock: Callable[[], float] = time.monotonic
    prepared: tuple | None = None
    seen: tuple | None = None
    seen_at: float = 0.0
    last_round: float | None = None

    def due(self, current: tuple) -> bool:
        now = self.clock()
        if current != self.seen:
            self.seen, self.seen_at = current, now
        return (
            current != self.prepared
            and now - self.seen_at >= self.settle
            and (self.last_round is None or now - self.last_round >= self.gap)
        )

    def done(self, current: tuple) -> None:
        self.prepared, self.last_round = current, self.clock()


def watch(
    *,
    poll: float,
    settle: float,
    gap: float,
    log: Callable[[Prepared], None] = lambda p: None,
    rounds: Iterator | None = None,
) -> None:
    """Look at the data every ``poll`` seconds and prepare when ``Watch`` says
    so, until stopped (or ``rounds`` runs out: for tests). A database that is
    away (a restart) is waited for."""
    schedule = Watch(settle=settle, gap=gap)
    for _ in rounds if rounds is not None else iter(int, 1):
        try:
            current = state()
            if schedule.due(current):
                prepare(log)
                schedule.done(current)
        except DatabaseError as error:
            logger.warning("Preparing downloads waits for the database: %s", error)
            for connection in connections.all():
                connection.close()
        finally:
            close_old_connections()
        time.sleep(poll)
