"""Exports from a real PostgreSQL database, read ahead in a thread of their own
(``opendata.exports.read_ahead``) and read in one thread: the same files.

The unit tests (opendata/tests/test_read_ahead.py) run inside a transaction,
which the reader thread's own connection cannot see; here the data is
committed, as on a real site, and `unikom export` runs as an operator would run
it, with batches small enough that a few hundred activities make many.
"""

from __future__ import annotations

import json

import pytest

from tests.support import servers

pytestmark = pytest.mark.skipif(
    servers.pytest_database_is_postgresql(),
    reason="runs once, in the SQLite pass: it makes its own PostgreSQL database",
)


def export(site, folder, kind: str, fmt: str, *, ahead: bool) -> bytes:
    path = folder / f"{kind}-{int(ahead)}.{fmt}"
    env = {
        **site.env,
        "UNIKOM_EXPORT_BATCH_SIZE": "37",
        "UNIKOM_EXPORT_READ_AHEAD": "1" if ahead else "0",
    }
    servers.manage(env, "export", kind, "--format", fmt, "--output", str(path))
    return path.read_bytes()


def test_exports_read_ahead_are_the_exports_read_in_one_thread(make_site, tmp_path):
    site = make_site("postgresql")
    activities = site.scalar("SELECT COUNT(*) FROM activities_activity WHERE is_public")
    assert activities > 3 * 37  # several batches
    for kind in ("activities", "people", "needs"):
        ahead = export(site, tmp_path, kind, "csv", ahead=True)
        assert ahead == export(site, tmp_path, kind, "csv", ahead=False)
    rows = ahead.decode().count("\n")
    assert rows > 37
    documents = [
        json.loads(export(site, tmp_path, "activities", "json", ahead=ahead))
        for ahead in (True, False)
    ]
    assert documents[0]["data"] == documents[1]["data"]
    assert len(documents[0]["data"]) == documents[0]["meta"]["count"] > 3 * 37
