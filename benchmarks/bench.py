"""`make bench`: unikom at national scale, served as `make run` serves it, beside Datasette.

For each database (SQLite, PostgreSQL or both) this builds a scratch database
(`unikom setup` + `unikom synth --scale SCALE --seed 1`), copies the same
activity rows into a SQLite file for Datasette (pinned 0.65.x, full-text
search, the indexes unikom has), starts `unikom serve` (gunicorn,
UNIKOM_DEBUG=0) and `datasette serve` on free loopback ports, and measures:

* every main page and API call, p50/p95/p99 over ROUNDS rounds with one
  keep-alive client, unikom and Datasette alternately for the comparable pairs;
* SQL queries per request (Django's test client, in-process) and whether they
  stay the same for another record or page of the same view;
* exports: time to the first byte and rows per second;
* the gunicorn workers' resident memory after every request;
* import (dry run and committed, CSV and XLSX), `unikom search reindex`,
  and the database's size against the raw size of its content.

It prints a table of every measurement with its target and PASS/MISS and
writes it into docs/benchmarks.md between the generated-section markers
(the hand-written text around them is kept). Nothing fails on a MISS: the
exit status is non-zero only when the benchmark itself could not run.

    python benchmarks/bench.py [--scale national] [--db both] [--rounds 20]

See docs/benchmarks.md for the method and the equivalents chosen.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_report  # noqa: E402
import bench_spec as spec  # noqa: E402
from bench_http import (  # noqa: E402
    Client,
    Response,
    Server,
    free_port,
    percentile,
    private_kb,
    rss_kb,
)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATASETTE_SERIES = "0.65."
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/unikom_bench"
#: Rows in the generated import files, by scale: (dry run, committed).
IMPORT_ROWS = {"small": (2_000, 200), "national": (50_000, 2_000), "x10": (50_000, 2_000)}
STAGES = ["counts", "pages", "exports", "reindex", "imports"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(command: list[str], env: dict, logfile: Path) -> tuple[float, str]:
    """Run a command to its end; its output goes to ``logfile`` as it comes and is returned."""
    with logfile.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        offset = out.tell()
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own command lines
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, check=False
        )
        seconds = time.perf_counter() - start
    with logfile.open(encoding="utf-8", errors="replace") as log_text:
        log_text.seek(offset)
        output = log_text.read()
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed with status {done.returncode}:\n{output[-3000:]}"
        )
    return seconds, output


def refdata_dir() -> str:
    configured = os.environ.get("UNIKOM_REFDATA_DIR")
    if configured:
        return configured
    beside = ROOT.parent / "shared" / "data" / "ref"
    return str(beside) if (beside / "municipalities.csv").exists() else ""


def base_env(database_url: str, work: Path) -> dict:
    """The environment of every unikom process of the run: development settings as
    `make run` has them, with Django's debug mode off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=database_url,
        UNIKOM_DEBUG="0",
        UNIKOM_DATA_DIR=str(work / "var"),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        # The API's rate limit would answer 429 after 120 requests a minute: lifted so
        # that it is measured (it still runs) without refusing the benchmark.
        UNIKOM_API_ANON_RATE="1000000/minute",
        # gunicorn's default of 120 s would kill the largest national exports; a
        # request that takes longer than this is reported as failed.
        UNIKOM_TIMEOUT="900",
        # The preparer (core.prepare) would produce the noted downloads again beside
        # the timed requests whenever the run changes data; off, so that the first
        # download after a change is measured as a reader who comes first meets it.
        UNIKOM_PREPARE="0",
        PYTHONUNBUFFERED="1",
    )
    env.pop("UNIKOM_ENV", None)
    refdata = refdata_dir()
    if refdata:
        env["UNIKOM_REFDATA_DIR"] = refdata
    else:
        env.pop("UNIKOM_REFDATA_DIR", None)
    return env


# --- databases --------------------------------------------------------------


class Postgres:
    """A PostgreSQL database the benchmark creates and drops."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        self.name = parts.path.lstrip("/")
        if "bench" not in self.name:
            raise SystemExit(
                f"refusing to drop and create {self.name!r}: the benchmark's PostgreSQL "
                "database must have 'bench' in its name (BENCH_POSTGRES_URL)"
            )
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- measuring ----------------------------------------------------------------


class Measurer:
    """One client per server; the gunicorn workers' memory before and after every request.

    The worker whose resident memory changed during a request is taken to be the
    one that served it (the others sat idle), so each request is charged with
    the memory of its worker afterwards; the peak is the largest of any worker
    after any request.
    """

    def __init__(self, unikom: Server, datasette: Server) -> None:
        self.unikom = unikom
        self.client = Client(unikom.port)
        self.peer = Client(datasette.port)
        self.rss_peak_kb = 0
        self.rss_peak_after = ""

    def workers_rss(self) -> dict[int, int]:
        return {pid: rss_kb(pid) for pid in self.unikom.children()}

    def unikom_get(self, url: str, sink=None) -> tuple[Response, int]:
        """The response, and the resident memory (kB) of the worker that served it
        (0 if no worker's memory changed)."""
        before = self.workers_rss()
        response = self.client.get(url, sink)
        after = self.workers_rss()
        changed = [kb for pid, kb in after.items() if kb != before.get(pid)]
        worst = max(after.values(), default=0)
        if worst > self.rss_peak_kb:
            self.rss_peak_kb = worst
            self.rss_peak_after = url
        return response, max(changed, default=0)

    def close(self) -> None:
        self.client.close()
        self.peer.close()


def summarise(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50": round(percentile(samples, 50), 1),
        "p95": round(percentile(samples, 95), 1),
        "p99": round(percentile(samples, 99), 1),
    }


def _request_state(req: spec.Request, fill: dict) -> dict:
    """The running tally of one request and its peers: URLs, samples, errors."""
    return {
        "url": req.url.format(**fill),
        "samples": [],
        "peers": [
            {"url": p.url.format(**fill), "ratio": p.ratio, "note": p.note, "samples": []}
            for p in req.peers
        ],
        "spent": 0.0,
        "error": "",
        "bytes": 0,
        "rss_kb": 0,
        "first_ms": None,
    }


def _warm_up(m: Measurer, s: dict) -> None:
    """Ask for the request and its peers once, unmeasured; note the first time and errors."""
    first, rss = m.unikom_get(s["url"])
    s["rss_kb"] = max(s["rss_kb"], rss)
    s["first_ms"] = round(first.ms, 1)
    if first.status != 200:
        s["error"] = first.error or f"HTTP {first.status}"
    for peer in s["peers"]:
        answer = m.peer.get(peer["url"])
        if answer.status != 200:
            peer["error"] = answer.error or f"HTTP {answer.status}"


def _still_measured(s: dict, budget: float) -> bool:
    """Whether a request is repeated: no error, and not over budget with 3 samples."""
    return not s["error"] and not (s["spent"] > budget and len(s["samples"]) >= 3)


def _sample_unikom(m: Measurer, s: dict) -> bool:
    """One timed request to unikom; False (and the error noted) when it failed."""
    r, rss = m.unikom_get(s["url"])
    s["rss_kb"] = max(s["rss_kb"], rss)
    if r.status != 200:
        s["error"] = r.error or f"HTTP {r.status}"
        return False
    s["samples"].append(r.ms)
    s["spent"] += r.ms / 1000
    s["bytes"] = r.size
    return True


def _sample_peer(m: Measurer, peer: dict) -> None:
    """One timed request to a peer that has not failed yet; a failure is noted."""
    if peer.get("error"):
        return
    r = m.peer.get(peer["url"])
    if r.status != 200:
        peer["error"] = r.error or f"HTTP {r.status}"
        return
    peer["samples"].append(r.ms)
    peer["bytes"] = r.size


def _measure_round(m: Measurer, s: dict, round_no: int) -> None:
    """One sample of unikom and of each peer, in reverse order every other round.

    A failure of unikom ends the round for this request (its peers included).
    """
    sides = ["unikom", *range(len(s["peers"]))]
    if round_no % 2:
        sides.reverse()
    for side in sides:
        if side == "unikom":
            if not _sample_unikom(m, s):
                break
        else:
            _sample_peer(m, s["peers"][side])


def _request_result(req: spec.Request, s: dict) -> dict:
    """The report's entry for one request: its summary and its peers'."""
    return {
        "url": s["url"],
        "group": req.group,
        "p95_target_ms": req.p95_ms,
        "note": req.note,
        "error": s["error"],
        "bytes": s["bytes"],
        "worker_rss_mb": round(s["rss_kb"] / 1024, 1),
        "first_ms": s["first_ms"],
        **summarise(s["samples"]),
        "peers": [
            {
                "url": peer["url"],
                "ratio_target": peer["ratio"],
                "note": peer["note"],
                "error": peer.get("error", ""),
                "bytes": peer.get("bytes", 0),
                **summarise(peer["samples"]),
            }
            for peer in s["peers"]
        ],
    }


def measure_requests(
    m: Measurer,
    requests: list[spec.Request],
    fill: dict,
    rounds: int,
    budget: float,
    peer_pairs: int = 1,
) -> dict:
    """Every request ROUNDS times, round-robin, unikom and its peers alternately;
    a request with a peer ``peer_pairs`` times a round (a p95 of 20 samples is
    their second largest: one stray delay decides a ratio).

    A request that has taken more than ``budget`` seconds in all is not
    repeated once it has 3 samples (the report and the network downloads would
    otherwise take an hour at national scale); the table gives each n.
    """
    state = {req.url: _request_state(req, fill) for req in requests}
    log(f"warming up {len(requests)} requests")
    for req in requests:
        _warm_up(m, state[req.url])
    for round_no in range(rounds):
        active = [r for r in requests if _still_measured(state[r.url], budget)]
        if not active:
            break
        log(f"round {round_no + 1}/{rounds}: {len(active)} requests")
        for req in active:
            pairs = peer_pairs if state[req.url]["peers"] else 1
            for pair in range(pairs):
                _measure_round(m, state[req.url], round_no * pairs + pair)
    return {req.url: _request_result(req, state[req.url]) for req in requests}


def count_body_rows(path: Path, url: str) -> int:
    """Rows in a download whose kind has no single count: the archive's CSV files
    (header lines excluded), a network file's nodes and edges."""
    import csv
    import io

    if url.endswith(".zip"):
        rows = 0
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".csv"):
                    with archive.open(name) as member:
                        text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                        rows += max(sum(1 for _ in csv.reader(text)) - 1, 0)
        return rows
    data = path.read_bytes()
    return data.count(b"<node ") + data.count(b"<edge ")


def measure_exports(m: Measurer, fill: dict, export_rows: dict, rounds: int, work: Path) -> dict:
    results = {}
    for export in spec.EXPORTS:
        url = export.url.format(**fill)
        log(f"export {url}")
        samples = []
        body = work / "export.body"
        error = ""
        rows = export_rows.get(export.kind, 0) if export.kind else 0
        worker_kb = 0
        # The first download after a change produces the file (and keeps it,
        # opendata.kept); the timed ones after it are what later visitors get.
        with body.open("wb") as sink:
            produced, rss = m.unikom_get(url, sink if not export.kind else None)
        worker_kb = max(worker_kb, rss)
        if produced.status != 200:
            error = produced.error or f"HTTP {produced.status}"
        elif not export.kind:
            rows = count_body_rows(body, url)
        for _ in range(rounds if not error else 0):
            with body.open("wb") as sink:
                r, rss = m.unikom_get(url, sink if not export.kind else None)
            worker_kb = max(worker_kb, rss)
            if r.status != 200:
                error = r.error or f"HTTP {r.status}"
                break
            if not export.kind:
                rows = count_body_rows(body, url)
            samples.append(r)
        body.unlink(missing_ok=True)
        entry = {"url": url, "rows": rows, "error": error, "n": len(samples)}
        if not error:
            entry.update(
                produced_first_byte_ms=round(produced.first_byte_ms, 1),
                produced_total_ms=round(produced.ms, 1),
                produced_rows_per_s=round(rows / (produced.ms / 1000), 1) if produced.ms else 0,
            )
        if samples:
            first = [s.first_byte_ms for s in samples]
            total = [s.ms for s in samples]
            entry.update(
                first_byte_ms=round(percentile(first, 50), 1),
                first_byte_max_ms=round(max(first), 1),
                total_ms=round(percentile(total, 50), 1),
                bytes=samples[-1].size,
                rows_per_s=round(rows / (percentile(total, 50) / 1000), 1),
                worker_rss_mb=round(worker_kb / 1024, 1),
            )
        results[export.url] = entry
    return results


# --- one database -------------------------------------------------------------


def build_database(backend: str, args, work: Path, logs: Path) -> tuple[str, dict, Postgres | None]:
    pg = None
    if backend == "sqlite":
        path = work / "unikom.sqlite3"
        url = f"sqlite:///{path}"
    else:
        pg = Postgres(args.postgres_url)
        url = args.postgres_url
        log(f"creating PostgreSQL database {pg.name}")
        pg.create()
    env = base_env(url, work)
    build: dict = {}
    if backend == "sqlite" and args.from_sqlite:
        log(f"copying {args.from_sqlite}")
        source = Path(args.from_sqlite)
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
        seconds, _ = run([str(BIN / "unikom"), "migrate", "--no-input"], env, logs)
        build["from"] = f"a copy of {source} (made with unikom setup + unikom synth)"
        return url, build, pg
    log(f"{backend}: unikom setup")
    build["setup_s"], _ = run([str(BIN / "unikom"), "setup"], env, logs)
    log(f"{backend}: unikom synth --scale {args.scale} --seed 1")
    seconds, output = run(
        [str(BIN / "unikom"), "synth", "--scale", args.scale, "--seed", "1", "--no-progress"],
        env,
        logs,
    )
    build["synth_s"] = seconds
    found = re.search(r"([\d,]+) rows in ([\d.]+) s \(([\d,]+) rows/s\)", output)
    if found:
        build["synth_rows"] = int(found[1].replace(",", ""))
        build["synth_load_s"] = float(found[2])
        build["synth_rows_per_s"] = int(found[3].replace(",", ""))
    return url, build, pg


def django_task(env: dict, logs: Path, *task: str) -> dict:
    out = Path(task[task.index("--out") + 1])
    run([sys.executable, str(ROOT / "benchmarks" / "bench_django.py"), *task], env, logs)
    return json.loads(out.read_text(encoding="utf-8"))


def serve(env: dict, work: Path, args, peer_file: Path) -> tuple[Server, Server]:
    port = free_port()
    command = [str(BIN / "unikom"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    unikom = Server("unikom serve", command, env, port, work / "unikom-serve.log")
    peer_port = free_port()
    datasette = Server(
        "datasette",
        [
            str(BIN / "datasette"),
            "serve",
            str(peer_file),
            "--host",
            "127.0.0.1",
            "--port",
            str(peer_port),
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "default_page_size",
            "50",
            "--setting",
            "sql_time_limit_ms",
            "60000",
            "--setting",
            "facet_time_limit_ms",
            "60000",
        ],
        {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        peer_port,
        work / "datasette.log",
    )
    try:
        unikom.wait_ready("/healthz")
        datasette.wait_ready("/-/versions.json")
    except Exception:
        unikom.stop()
        datasette.stop()
        raise
    return unikom, datasette


def bench_backend(backend: str, args, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "commands.log"
    result: dict = {"backend": backend}
    url, build, pg = build_database(backend, args, work, logs)
    result["build"] = build
    env = base_env(url, work)
    try:
        log(f"{backend}: sizes, samples and the Datasette peer file")
        peer_file = work / "db.db"
        prepared = django_task(
            env, logs, "prepare", "--peer", str(peer_file), "--out", str(work / "prepare.json")
        )
        result.update(
            server_version=prepared["server_version"],
            database_bytes=prepared["database_bytes"],
            raw_content=prepared["raw_content"],
            peer=prepared["peer"],
            samples=prepared["samples"],
            export_rows=prepared["export_rows"],
        )
        fill = prepared["samples"]
        if "counts" not in args.skip:
            urls = []
            for req in spec.REQUESTS:
                urls += [u.format(**fill) for u in (req.url, req.variant) if u]
            for export in spec.EXPORTS:
                if export.count_url == "" or (
                    export.count_url is None
                    and prepared["export_rows"].get(export.kind, 0) >= spec.EXPORT_RATE_MIN_ROWS
                ):
                    continue  # minutes in-process at national scale; the table shows "–"
                urls.append((export.count_url or export.url).format(**fill))
            (work / "urls.json").write_text(json.dumps(urls), encoding="utf-8")
            log(f"{backend}: SQL queries of {len(urls)} requests (test client)")
            counted = django_task(
                env,
                logs,
                "counts",
                "--urls",
                str(work / "urls.json"),
                "--out",
                str(work / "counts.json"),
            )
            result["queries"] = counted["full"]
            result["queries_kept"] = counted["kept"]
        if {"pages", "exports"} - set(args.skip):
            log(f"{backend}: starting unikom serve and datasette")
            unikom, datasette = serve(env, work, args, peer_file)
            m = Measurer(unikom, datasette)
            try:
                result["workers"] = unikom.wait_workers()
                result["rss_start_mb"] = round(max(rss_kb(p) for p in unikom.children()) / 1024, 1)
                if "pages" not in args.skip:
                    result["requests"] = measure_requests(
                        m, spec.REQUESTS, fill, args.rounds, args.budget, args.peer_pairs
                    )
                if "exports" not in args.skip:
                    result["exports"] = measure_exports(
                        m, fill, prepared["export_rows"], args.export_rounds, work
                    )
                result["rss_peak_mb"] = round(m.rss_peak_kb / 1024, 1)
                result["rss_peak_after"] = m.rss_peak_after
                result["rss_end_mb"] = [
                    round(rss_kb(p) / 1024, 1) for p in sorted(unikom.children())
                ]
                result["private_end_mb"] = [
                    round(private_kb(p) / 1024, 1) for p in sorted(unikom.children())
                ]
                result["datasette_rss_mb"] = round(rss_kb(datasette.process.pid) / 1024, 1)
            finally:
                m.close()
                unikom.stop()
                datasette.stop()
        if "reindex" not in args.skip:
            log(f"{backend}: unikom search reindex")
            result["reindex_s"], _ = run(
                [str(BIN / "unikom"), "search", "reindex", "--no-progress"], env, logs
            )
        if "imports" not in args.skip:
            dry, commit = IMPORT_ROWS[args.scale]
            dry = args.import_rows or dry
            commit = args.commit_rows or commit
            log(f"{backend}: import ({dry:,} rows checked, {commit:,} written)")
            result["imports"] = django_task(
                env,
                logs,
                "imports",
                "--dir",
                str(work / "import"),
                "--dry-rows",
                str(dry),
                "--commit-rows",
                str(commit),
                "--out",
                str(work / "imports.json"),
            )
    finally:
        if pg is not None and not args.keep:
            log(f"dropping PostgreSQL database {pg.name}")
            pg.drop()
    return result


# --- the run ------------------------------------------------------------------


def versions() -> dict:
    from importlib import metadata

    found = {"Python": platform.python_version()}
    for package in ("Django", "gunicorn", "datasette"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = ""
    return found


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory": memory,
        "os": os_name,
        "hostname": platform.node(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national", "x10"], default="national")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=20, help="requests per URL (default 20)")
    parser.add_argument(
        "--budget",
        type=float,
        default=30,
        help="seconds per URL after which it is not repeated once it has 3 samples (30)",
    )
    parser.add_argument(
        "--peer-pairs",
        type=int,
        default=5,
        help="samples of unikom and its peer, alternately, per round of a request "
        "compared with Datasette (5: a p95 of 100 samples)",
    )
    parser.add_argument("--export-rounds", type=int, default=1, help="times each export (1)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: unikom's own)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES,
        help="the PostgreSQL database to create and drop (BENCH_POSTGRES_URL; name "
        "must contain 'bench')",
    )
    parser.add_argument("--import-rows", type=int, help="rows of the dry-run import files")
    parser.add_argument("--commit-rows", type=int, help="rows of the committed import file")
    parser.add_argument(
        "--from-sqlite",
        metavar="FILE",
        help="copy this SQLite database (made by unikom setup + unikom synth at --scale) "
        "instead of building one; for trying the benchmark, the table says so",
    )
    parser.add_argument("--skip", action="append", default=[], choices=STAGES)
    parser.add_argument(
        "--output",
        default=str(ROOT / "docs" / "benchmarks.md"),
        help="Markdown file whose generated section is rewritten (docs/benchmarks.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", help="also write every number to this JSON file")
    parser.add_argument("--note", default="", help="a sentence for the table's heading")
    parser.add_argument("--command", help="the command to name in the table (make passes it)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch files and database")
    parser.add_argument(
        "--render", metavar="JSON", help="measure nothing: write the tables of a --json file"
    )
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads(Path(args.render).read_text(encoding="utf-8"))
        section = bench_report.render(saved["run"], saved["results"])
        print(section)
        if not args.no_write:
            bench_report.write_section(Path(args.output), section)
        return 0
    if args.from_sqlite and args.db != "sqlite":
        parser.error("--from-sqlite needs --db sqlite")

    found = versions()
    if not found["datasette"].startswith(DATASETTE_SERIES) or not (BIN / "datasette").exists():
        raise SystemExit(
            f"Datasette {DATASETTE_SERIES}x is the benchmark's peer, found "
            f"{found['datasette'] or 'none'}: pip install -e '.[bench]' (make bench does)"
        )
    backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    run_info = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "command": args.command or "python benchmarks/bench.py " + " ".join(argv or sys.argv[1:]),
        "scale": args.scale,
        "rounds": args.rounds,
        "budget": args.budget,
        "peer_pairs": args.peer_pairs,
        "export_rounds": args.export_rounds,
        "machine": machine(),
        "versions": found,
        "note": args.note,
        "load_before": [round(x, 2) for x in load_before],
    }
    work = Path(tempfile.mkdtemp(prefix="unikom-bench-"))
    log(f"scratch directory {work}")
    results = []
    try:
        for backend in backends:
            results.append(bench_backend(backend, args, work / backend))
            if not args.keep:  # a national SQLite file and its peer are 1.2 GB
                shutil.rmtree(work / backend, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    run_info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    run_info["minutes"] = round((datetime.now(UTC) - started).total_seconds() / 60, 1)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"run": run_info, "results": results}, indent=1), encoding="utf-8"
        )
    section = bench_report.render(run_info, results)
    print(section)
    if not args.no_write:
        bench_report.write_section(Path(args.output), section)
        log(f"wrote the table into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
