"""`make bench` end to end at the small scale: it runs and writes its table.

No time is asserted (the machine decides those); the test checks that every
request, export, import and the reindex ran, that Datasette answered its side
of every pair, and that the generated section lands in the Markdown file
without touching the hand-written text around it. It runs on the database
the suite runs on: SQLite, or PostgreSQL when DATABASE_URL says so (in a
database of its own, created and dropped by the benchmark).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_report  # noqa: E402
import bench_spec  # noqa: E402

HAND_WRITTEN = "# Benchmarks\n\nWritten by hand.\n\n## Earlier runs\n\nKept as they are.\n"


def test_the_generated_section_replaces_itself_and_keeps_the_text_around_it(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(HAND_WRITTEN, encoding="utf-8")
    bench_report.write_section(doc, "## Latest run\n\nfirst")
    bench_report.write_section(doc, "## Latest run\n\nsecond")
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nWritten by hand.\n\n" + bench_report.BEGIN)
    assert text.count(bench_report.BEGIN) == 1 and "first" not in text and "second" in text
    assert text.index(bench_report.END) < text.index("## Earlier runs\n\nKept as they are.")


@pytest.mark.load
def test_make_bench_runs_end_to_end_at_small_scale(tmp_path):
    if importlib.util.find_spec("datasette") is None:
        message = "Datasette is the benchmark's peer: pip install -e '.[bench]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    refdata = os.environ.get("UNIKOM_TEST_REFDATA_DIR") or str(ROOT.parent / "shared/data/ref")
    if Path(refdata, "municipalities.csv").exists():
        env["UNIKOM_REFDATA_DIR"] = refdata
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith("postgres"):
        name = f"/unikom_bench_smoke_{os.getpid()}"
        env["BENCH_POSTGRES_URL"] = urlunsplit(urlsplit(database)._replace(path=name))
        backend = "postgres"
    else:
        backend = "sqlite"
    doc = tmp_path / "benchmarks.md"
    doc.write_text(HAND_WRITTEN, encoding="utf-8")
    results_file = tmp_path / "results.json"
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "--scale",
            "small",
            "--db",
            backend,
            "--rounds",
            "2",
            "--budget",
            "5",
            "--peer-pairs",
            "2",
            "--output",
            str(doc),
            "--json",
            str(results_file),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]

    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nWritten by hand.\n\n" + bench_report.BEGIN)
    assert text.index(bench_report.END) < text.index("## Earlier runs\n\nKept as they are.")
    section = text[text.index(bench_report.BEGIN) : text.index(bench_report.END)]
    assert "**Targets met**" in section
    assert section.count("PASS") + section.count("**MISS**") > 60

    result = json.loads(results_file.read_text(encoding="utf-8"))["results"][0]
    assert result["backend"] == backend
    requests = result["requests"]
    assert set(requests) == {r.url for r in bench_spec.REQUESTS}
    for entry in requests.values():
        assert not entry["error"] and entry["n"] >= 2, entry
        assert f"`{entry['url']}`" in section
        assert isinstance(result["queries"][entry["url"]], int), entry["url"]
        assert isinstance(result["queries_kept"][entry["url"]], int), entry["url"]
        for peer in entry["peers"]:
            # two pairs a round: four samples of each side
            assert not peer["error"] and peer["n"] == entry["n"] == 4, (entry, peer)
    for entry in result["exports"].values():
        assert not entry["error"] and entry["n"] == 1 and entry["rows"] > 0, entry
    imports = result["imports"]
    assert imports["dry_run_csv"]["problem_count"] == 0, imports["dry_run_csv"]["problems"]
    assert imports["dry_run_xlsx"]["rows"] == imports["dry_run_csv"]["rows"]
    assert imports["commit_csv"]["written"] and imports["commit_csv"]["created"] > 0
    assert result["reindex_s"] > 0
    assert result["peer"]["rows"] == result["export_rows"]["activities"]
    assert result["rss_peak_mb"] > 0 and result["workers"] >= 1
