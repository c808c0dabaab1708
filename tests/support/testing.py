"""Helpers for tests: the compilation's facts, and extra data to scale pages."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache as django_cache
from django.db import connection

from organisations.choices import OrganisationKind, RecordSource
from organisations.models import Organisation
from partnerships.choices import AnchoringLevel, Evidence, PartnershipKind, Role
from partnerships.models import Anchoring, Membership, Partnership, Theme


def refdata_dir() -> Path:
    """Where the national reference files are looked for: the folder named by
    UNIKOM_TEST_REFDATA_DIR, else ../shared/data/ref beside the checkout."""
    configured = os.environ.get("UNIKOM_TEST_REFDATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "ref"


def national_refdata_or_none() -> Path | None:
    """The national reference folder if it is there; a folder named explicitly
    (CI names it) must be there."""
    folder = refdata_dir()
    if (folder / "municipalities.csv").exists():
        return folder
    if os.environ.get("UNIKOM_TEST_REFDATA_DIR"):
        raise pytest.UsageError(
            f"UNIKOM_TEST_REFDATA_DIR names {folder}, which holds no municipalities.csv"
        )
    return None


NATIONAL_MISSING = (
    "needs the national reference files (../shared/data beside the checkout, or "
    "UNIKOM_TEST_REFDATA_DIR); without them the suite runs on the snapshot in the package"
)


def national_refdata() -> Path:
    """The national reference folder, or skip the test that needs it."""
    folder = national_refdata_or_none()
    if folder is None:
        pytest.skip(NATIONAL_MISSING)
    return folder


@cache
def _compilation() -> dict[str, Any] | None:
    folder = national_refdata_or_none()
    if folder is None:
        return None
    return json.loads((folder.parent / "partnerships.json").read_text(encoding="utf-8"))


def compilation() -> dict[str, Any]:
    """The facts file the bundled dataset was built from (read by tests only).
    Without it, the test (or, at collection, the module) that reads it is skipped."""
    data = _compilation()
    if data is None:
        pytest.skip(NATIONAL_MISSING, allow_module_level=True)
    return data


def add_partnerships(n: int, *, members: int = 3, municipalities=None) -> list[Partnership]:
    """Create ``n`` extra partnerships, each with a lead, members, an institution,
    a theme and anchoring, to check that pages do not query per row.

    Members are taken in turn from ``municipalities`` (default: all, by number).
    """
    if municipalities is None:
        municipalities = Organisation.objects.municipalities().order_by("municipality_number")
    municipalities = list(municipalities[: n * members + 1])
    theme = Theme.objects.first()
    created = []
    for i in range(n):
        institution = Organisation.objects.create(
            slug=f"test-institute-{i}",
            name=f"Test Institute {i}",
            kind=OrganisationKind.RESEARCH_INSTITUTE,
            record_source=RecordSource.MANUAL,
        )
        p = Partnership.objects.create(
            slug=f"test-partnership-{i}",
            name=f"Test partnership {i}",
            kind=PartnershipKind.CLUSTER,
            roots_year=2000 + i,
            agreement_year=2010 + i,
            source_url="https://example.org/source",
        )
        p.themes.add(theme)
        group = municipalities[i * members : (i + 1) * members]
        for j, org in enumerate(group):
            Membership.objects.create(
                partnership=p,
                organisation=org,
                role=Role.LEAD if j == 0 else Role.MEMBER_MUNICIPALITY,
            )
        Membership.objects.create(
            partnership=p, organisation=institution, role=Role.ACADEMIC_PARTNER
        )
        Anchoring.objects.create(
            partnership=p,
            organisation=group[0],
            level=AnchoringLevel.POLITICAL,
            evidence=Evidence.DECISION,
        )
        created.append(p)
    return created


def count_queries(fetch) -> int:
    """Number of SQL statements ``fetch()`` runs.

    Counted with an execute wrapper rather than the debug query log, which
    Django clears at the start of every request.
    """
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fetch()
    return count


def get_ok(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def query_counts(client, url: str, *, grow) -> tuple[int, int]:
    """Queries ``url`` takes before and after ``grow()`` adds data.

    Both are counted with an empty cache (``core.cache``), the dearer case.
    """
    get_ok(client, url)  # warm caches (content types, sessions) before counting
    django_cache.clear()
    small = count_queries(lambda: get_ok(client, url))
    grow()
    django_cache.clear()
    large = count_queries(lambda: get_ok(client, url))
    return small, large


#: Databases `manage.py setup` has made in this process, by what they depend on: a
#: second site of the same kind starts from a copy instead of setting up again.
_SET_UP: dict[tuple, Path] = {}


def _set_up(manage: list[str], env: dict, root: Path, database: Path, key: tuple) -> None:
    """`manage.py setup` into ``database``, or a copy of the one this process made for ``key``."""
    made = _SET_UP.get(key)
    if made is None or not made.exists():
        subprocess.run([*manage, "setup"], env=env, check=True, capture_output=True, cwd=root)
        folder = Path(tempfile.mkdtemp(prefix="unikom-site-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        made = folder / "site.sqlite3"
        _copy_sqlite(database, made)
        _SET_UP[key] = made
    else:
        _copy_sqlite(made, database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (whatever its journal holds)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@contextmanager
def running_site(
    data_dir: Path,
    refdata: Path | None,
    *,
    prepare: str = "",
    environ: dict | None = None,
    root: Path | None = None,
    python: str | None = None,
) -> Iterator[str]:
    """Set up and serve a real unikom in a subprocess, as `make run` does.

    The site gets its own SQLite file in ``data_dir``; ``prepare`` is Python run
    with `manage.py shell` after set-up (to create accounts); ``environ`` adds
    settings (e.g. an SMTP server's EMAIL_HOST and EMAIL_PORT); ``root`` and ``python``
    serve another checkout with its own interpreter (benchmarks/page_weight.py measures
    an older commit so). Yields the base URL. Used by the browser tests,
    scripts/screenshot.py and benchmarks/page_weight.py.

    The set-up database is the same for every site of one checkout, reference data
    and settings, so a process sets up once and later sites start from a copy of it
    (the browser test modules of one test worker share it so).
    """
    root = root or Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "UNIKOM_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'site.sqlite3'}",
        "UNIKOM_REFDATA_DIR": str(refdata or ""),
        "UNIKOM_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
        **(environ or {}),
    }
    manage = [python or sys.executable, str(root / "manage.py")]
    settings = sorted((k, v) for k, v in (environ or {}).items() if not k.startswith("EMAIL_"))
    key = (str(root), manage[0], str(refdata or ""), tuple(settings))
    _set_up(manage, env, root, data_dir / "site.sqlite3", key)
    if prepare:
        subprocess.run(
            [*manage, "shell", "-c", prepare], env=env, check=True, capture_output=True, cwd=root
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*manage, "serve", "--port", str(port)],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/", timeout=2):  # noqa: S310 (loopback)
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("the server stopped while starting") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not answer within 30 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium_path() -> str | None:
    """Debian's chromium, the only browser the tests use."""
    return shutil.which("chromium")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class MatrixCase:
    """One kind of record in the permission matrix (core/tests/test_permission_matrix.py).

    Each app describes its editable records with one of these in
    ``<app>/tests/matrix.py`` as ``CASES = [MatrixCase(...), ...]``:

    - ``make(partnership, organisation)`` creates a live record tied to them;
    - ``add_url`` is the page that creates one;
    - ``add_data(partnership, organisation)`` is valid POST data creating a record tied to
      them; organisation editors act for an organisation, so the matrix passes
      ``partnership=None`` for them;
    - ``edit_data(record)`` is valid POST data editing it (with its current ``version``);
    - ``urls(record)`` gives ``{"edit": …, "trash": …, "history": …}``;
    - ``org_editors_may_edit`` says whether organisation editors may change it;
    - ``refused_add_status`` is what adding one for another partnership or
      organisation gets: 200, the form again with an error beside the field, when
      the form offers only the user's own choices; 403 when it cannot.
    """

    name: str
    model: type
    make: Any
    add_url: str
    add_data: Any
    edit_data: Any
    urls: Any
    org_editors_may_edit: bool = True
    refused_add_status: int = 200


class Inbox:
    """What a loopback SMTP server (aiosmtpd) received: parsed messages, in order."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def subject(message) -> str:
        """The subject as a mail program shows it: a long one with letters beyond ASCII
        is folded onto an encoded second line, which the parser leaves a space before."""
        return " ".join(str(message["Subject"]).split())


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on a free loopback port: (its inbox, its port)."""
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def mail_settings(port: int) -> dict[str, str]:
    """The settings that send a served site's e-mail to ``smtp_server()`` on ``port``."""
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}
