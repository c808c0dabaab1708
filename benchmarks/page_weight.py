"""Page weight and first render of the front page and a profile, as a first-time
visitor's browser gets them: Debian's chromium with its cache disabled.

    python benchmarks/page_weight.py [--root CHECKOUT] [--python PYTHON] [--loads 7]

Serves the checkout at --root (default: this one) as `make run` does it, with
tests.support.testing.running_site (`manage.py setup` into a
fresh SQLite file, then `manage.py serve` on loopback with UNIKOM_DEBUG=0), run with
the checkout's own .venv/bin/python, so that an older commit can be measured from
a `git worktree` of it. Each page is loaded --loads times, each time in a new
browser context with the cache disabled, and the median of each number is printed:
bytes transferred (the bodies as sent, compressed where the server compresses, by
type: html, css, js, images, fonts, other), the bodies' decoded size, the number
of requests, and first-contentful-paint and DOMContentLoaded from the Performance
API (milliseconds from navigation start). Numbers are for docs/benchmarks.md;
tests never assert them. Reference data comes from UNIKOM_REFDATA_DIR, else
../shared/data/ref.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from tests.support.testing import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    refdata_dir,
    running_site,
)

PAGES = {
    "front page": "/",
    "profile": "/partnerships/universitetskommunen-kongsvinger/",
}
TYPES = ("html", "css", "js", "images", "fonts", "other")
SUFFIXES = {
    ".css": "css",
    ".js": "js",
    ".mjs": "js",
    ".png": "images",
    ".svg": "images",
    ".jpg": "images",
    ".jpeg": "images",
    ".webp": "images",
    ".gif": "images",
    ".ico": "images",
    ".woff2": "fonts",
    ".woff": "fonts",
    ".ttf": "fonts",
    ".otf": "fonts",
}


def kind_of(request) -> str:
    if request.resource_type == "document":
        return "html"
    path = request.url.split("?", 1)[0].lower()
    for suffix, kind in SUFFIXES.items():
        if path.endswith(suffix):
            return kind
    return {"stylesheet": "css", "script": "js", "image": "images", "font": "fonts"}.get(
        request.resource_type, "other"
    )


def load_once(browser, url: str) -> dict[str, float]:
    """One load in a fresh context with the cache disabled: bytes by type, requests, timings."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # late requests (fonts, images) and the paint entries
    timings = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          return {fcp: fcp ? fcp.startTime : null, dcl: nav.domContentLoadedEventEnd,
                  load: nav.loadEventEnd};
        }"""
    )
    row = {f"sent {kind}": 0 for kind in TYPES} | {f"decoded {kind}": 0 for kind in TYPES}
    for request in finished:
        kind = kind_of(request)
        sizes = request.sizes()
        response = request.response()
        row[f"sent {kind}"] += sizes["responseBodySize"]
        row[f"decoded {kind}"] += len(response.body()) if response else 0
    row["sent total"] = sum(row[f"sent {kind}"] for kind in TYPES)
    row["decoded total"] = sum(row[f"decoded {kind}"] for kind in TYPES)
    row["requests"] = len(finished)
    row["first contentful paint (ms)"] = timings["fcp"]
    row["DOMContentLoaded (ms)"] = timings["dcl"]
    row["load (ms)"] = timings["load"]
    context.close()
    return row


def measure(base: str, loads: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for name, path in PAGES.items():
                load_once(browser, base + path)  # the server's first request warms its caches
                rows = [load_once(browser, base + path) for _ in range(loads)]
                results[name] = {
                    key: statistics.median(r[key] for r in rows if r[key] is not None)
                    for key in rows[0]
                }
        finally:
            browser.close()
    return results


def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def report(results: dict[str, dict[str, float]]) -> str:
    names = list(results)
    lines = [
        "| | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for kind in (*TYPES, "total"):
        cells = [
            f"{kb(results[n][f'sent {kind}'])} ({kb(results[n][f'decoded {kind}'])})" for n in names
        ]
        lines.append(f"| {kind}: KiB sent (decoded) | " + " | ".join(cells) + " |")
    for key in ("requests", "first contentful paint (ms)", "DOMContentLoaded (ms)", "load (ms)"):
        lines.append(f"| {key} | " + " | ".join(f"{results[n][key]:.0f}" for n in names) + " |")
    return "\n".join(lines)


def production(folder: Path) -> tuple[dict[str, str], str]:
    """Settings and a set-up step that serve as production does, on loopback over http:
    collected static files (hashed names, with the .gz and .br files whitenoise sends to a
    browser that accepts them); no redirect to https, which loopback has not."""
    environ = {
        "UNIKOM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(folder / "static"),
    }
    prepare = (
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
    )
    return environ, prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--python", help="its Python (default: ROOT/.venv/bin/python)")
    parser.add_argument("--loads", type=int, default=7, help="loads per page (default: 7)")
    parser.add_argument(
        "--production",
        action="store_true",
        help="production settings: collectstatic's hashed, gzip and Brotli files, over http",
    )
    args = parser.parse_args()
    root = args.root.resolve()
    python = args.python or str(root / ".venv" / "bin" / "python")
    refdata = Path(os.environ.get("UNIKOM_REFDATA_DIR") or refdata_dir())
    commit = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        environ, prepare = production(Path(tmp)) if args.production else ({}, "")
        with running_site(
            Path(tmp), refdata, root=root, python=python, environ=environ, prepare=prepare
        ) as base:
            results = measure(base, args.loads)
    settings = "production settings" if args.production else "as make run serves"
    print(f"{root} at {commit}, {settings}, median of {args.loads} loads, cache disabled")
    print(report(results))


if __name__ == "__main__":
    main()
