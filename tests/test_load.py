"""A bounded load test: 50 users for a minute against `unikom serve` on loopback.

On SQLite and on PostgreSQL, each on a copy of a small synthetic site (`unikom
synth --scale small`), the production server (gunicorn, five workers, debug
off) gets 50 concurrent locust users: visitors reading pages and API lists,
scripts creating and editing activities with a write token, and coordinators
doing the same with the site's forms (tests/load/locustfile.py). Locust runs in
a subprocess (it patches the standard library with gevent).

Asserted: not one failed request, and no lost write — the activities the
database holds under this run's title prefix are exactly those the server
confirmed, each with the title and version it confirmed last. Times are
reported, not asserted (the machine is shared): p95 and throughput as the
clients saw them, and p50/p95 of the time spent inside a worker (from gunicorn's
access log, without the wait for a free worker), are printed and added to
test-results/load/summary.csv beside locust's own CSV files. UNIKOM_LOAD_SECONDS
shortens the run for a quick try.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support import servers

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        servers.pytest_database_is_postgresql(),
        reason="runs once, in the SQLite pass: it makes its own SQLite and PostgreSQL sites",
    ),
]

LOCUSTFILE = Path(__file__).parent / "load" / "locustfile.py"
RESULTS = servers.ROOT / "test-results" / "load"
USERS = 50
SPAWN_RATE = 10  # users started per second: all 50 after 5 s
RUN_TIME = int(os.environ.get("UNIKOM_LOAD_SECONDS", "60"))  # seconds
WORKERS = 5  # gunicorn workers: `unikom serve`'s default on two cores


def locust(base: str, site: servers.Site, prefix: Path, record: Path, run: str):
    partnerships = [row[0] for row in site.query("SELECT slug FROM partnerships_partnership")]
    activities = [
        str(uuid.UUID(str(row[0])))
        for row in site.query(
            "SELECT public_id FROM activities_activity WHERE is_public = ? "
            "AND deleted_at IS NULL ORDER BY id LIMIT 300",
            (True,),
        )
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(servers.ROOT),
        "UNIKOM_LOAD_TOKEN": servers.TOKENS["admin"],
        "UNIKOM_LOAD_USER": "editor",
        "UNIKOM_LOAD_PASSWORD": servers.PASSWORD,
        "UNIKOM_LOAD_PARTNERSHIPS": ",".join(partnerships),
        "UNIKOM_LOAD_ACTIVITIES": ",".join(activities),
        "UNIKOM_LOAD_RUN": run,
        "UNIKOM_LOAD_RECORD": str(record),
        # Writes stop ten seconds before the run does (see the locustfile).
        "UNIKOM_LOAD_WRITE_SECONDS": str(max(RUN_TIME - 10, RUN_TIME // 2)),
    }
    command = [
        str(Path(sys.executable).parent / "locust"),
        "--headless",
        "--locustfile", str(LOCUSTFILE),
        "--host", base,
        "--users", str(USERS),
        "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{RUN_TIME}s",
        # At the end each user finishes the request it is making: every write sent
        # gets its answer, so the record of confirmed writes is complete.
        "--stop-timeout", "60",
        "--csv", str(prefix),
        "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.run(
        command, env=env, cwd=servers.ROOT, capture_output=True, text=True, timeout=RUN_TIME + 240
    )


def aggregated(prefix: Path) -> dict[str, str]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return next(row for row in csv.DictReader(f) if row["Name"] == "Aggregated")


def stats_rows(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def server_times(log: str) -> list[int]:
    """Milliseconds each request took inside a worker (gunicorn's access log): the
    time to serve it, without the time it waited for a free worker."""
    return [int(ms) for ms in re.findall(r'" \d{3} \S+ (\d+)ms "', log)]


def report(kind: str, prefix: Path, confirmed: int, serve_log: str) -> str:
    total = aggregated(prefix)
    inside = server_times(serve_log)
    rows = {row["Name"]: row for row in stats_rows(prefix)}
    writes = sum(
        int(row["Request Count"])
        for name, row in rows.items()
        if name.startswith(("POST ", "PATCH "))  # the writes (named so in the locustfile)
    )
    summary = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "database": kind,
        "users": USERS,
        "seconds": RUN_TIME,
        "workers": WORKERS,
        "requests": total["Request Count"],
        "failures": total["Failure Count"],
        "writes": writes,
        "activities_confirmed": confirmed,
        "requests_per_s": f"{float(total['Requests/s']):.1f}",
        "p50_ms": total["50%"],
        "p95_ms": total["95%"],
        "p99_ms": total["99%"],
        "max_ms": f"{float(total['Max Response Time']):.0f}",
        "server_p50_ms": percentile(inside, 0.50),
        "server_p95_ms": percentile(inside, 0.95),
    }
    path = RESULTS / "summary.csv"
    header = ",".join(summary)
    new = not path.exists() or path.read_text(encoding="utf-8").splitlines()[:1] != [header]
    with path.open("w" if new else "a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(summary))
        if new:
            writer.writeheader()
        writer.writerow(summary)
    lines = [f"load on {kind}: " + ", ".join(f"{k}={v}" for k, v in summary.items())]
    for name, row in sorted(rows.items()):
        if name != "Aggregated":
            lines.append(
                f"  {row['Type']:6} {name:40} n={row['Request Count']:>5} "
                f"p50={row['50%']:>5} p95={row['95%']:>5} ms"
            )
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_fifty_users_read_and_write_for_a_minute_without_errors_or_lost_writes(
    kind, make_site, tmp_path
):
    site = make_site(kind)
    RESULTS.mkdir(parents=True, exist_ok=True)
    prefix = RESULTS / kind
    record = tmp_path / "confirmed.json"
    run = f"Lasttest {uuid.uuid4().hex[:10]}"
    before = site.scalar("SELECT COUNT(*) FROM activities_activity")

    with servers.serving(site.env, tmp_path / "serve.log", workers=WORKERS) as server:
        done = locust(server.base, site, prefix, record, run)
        assert server.process.poll() is None, server.output()[-5000:]

    # Locust's whole output is kept beside its CSV files. Messages quote the start
    # of what it logged (a traceback from a task comes before the tables) and the end.
    log = RESULTS / f"{kind}-locust.log"
    log.write_text(f"{done.stdout}\n{done.stderr}", encoding="utf-8")
    output = f"{done.stderr[:4000]}\n[…]\n{done.stderr[-2000:]}\n(all of it in {log})"
    assert Path(f"{prefix}_stats.csv").exists(), output
    confirmed = json.loads(record.read_text(encoding="utf-8"))
    print("\n" + report(kind, prefix, len(confirmed["confirmed"]), server.output()))

    total = aggregated(prefix)
    assert int(total["Request Count"]) > 0, output
    failures = Path(f"{prefix}_failures.csv").read_text(encoding="utf-8")
    assert total["Failure Count"] == "0", failures + output
    assert done.returncode == 0, f"locust met an error outside a request\n{output}"
    assert confirmed["unanswered"] == {}, f"creates sent whose answer never came\n{output}"
    assert confirmed["confirmed"], "no writer got to write"

    # No lost writes: the database holds exactly what the server confirmed, each
    # activity with its last confirmed title and version, none in the trash.
    held = {
        uuid.UUID(str(public_id)).hex: {"title": title, "version": version}
        for public_id, title, version in site.query(
            "SELECT public_id, title, version FROM activities_activity "
            "WHERE title LIKE ? AND deleted_at IS NULL",
            (f"{run} %",),
        )
    }
    told = {uuid.UUID(key).hex: value for key, value in confirmed["confirmed"].items()}
    assert held == told
    after = site.scalar("SELECT COUNT(*) FROM activities_activity")
    assert after == before + len(told)
