"""Take the README's screenshot of the front page with Debian's chromium.

Usage: python scripts/screenshot.py docs/img/overview.png
Reference data comes from UNIKOM_REFDATA_DIR, else ../shared/data/ref.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.testing import CHROMIUM_ARGS, chromium_path, refdata_dir, running_site  # noqa: E402


def main(output: str) -> None:
    folder = Path(os.environ.get("UNIKOM_REFDATA_DIR") or refdata_dir())
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_site(Path(tmp), folder) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/")
        page.screenshot(path=output, full_page=False)
        browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img/overview.png")
