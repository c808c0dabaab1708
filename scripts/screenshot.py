"""Take the docs' screenshots with Debian's chromium: `make screenshots`.

Usage: python scripts/screenshot.py [FOLDER]     (default docs/img; writes the PNGs below)
       python scripts/screenshot.py FILE.png     (the front page only, as `make screenshot` did)

Serves a fresh site (tests.support.testing.running_site, with a coordinator of
usn-skien made by its prepare step, as tests/test_browser.py does) and takes:

  overview.png          the front page, 1280×900
  profile.png           a partnership's profile, 1280×900
  map.png               the front page's map of the partnerships' municipalities
  search.png            search results for "helse", 1280×900
  workspace-phone.png   the coordinator's own page (My work), signed in, on a phone (390×844)

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

from tests.support.browser import PASSWORD, sign_in  # noqa: E402
from tests.support.testing import CHROMIUM_ARGS, chromium_path, refdata_dir, running_site  # noqa: E402

PREPARE = f"""
from django.contrib.auth import get_user_model
from accounts.models import Assignment, Role
from partnerships.models import Partnership
user = get_user_model().objects.create_user("koordinator", password="{PASSWORD}")
Assignment.objects.create(
    user=user, role=Role.COORDINATOR, partnership=Partnership.objects.get(slug="usn-skien")
)
"""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shoot(browser, base: str, folder: Path, *, front_page_only: Path | None = None) -> list[Path]:
    written = []
    page = browser.new_page(viewport=DESKTOP)
    page.goto(base + "/")
    out = front_page_only or folder / "overview.png"
    page.screenshot(path=str(out))
    written.append(out)
    if front_page_only:
        return written
    page.locator("figure.map").first.screenshot(path=str(folder / "map.png"))
    written.append(folder / "map.png")
    page.goto(base + "/partnerships/universitetskommunen-kongsvinger/")
    page.screenshot(path=str(folder / "profile.png"))
    written.append(folder / "profile.png")
    page.goto(base + "/search/?q=helse")
    page.screenshot(path=str(folder / "search.png"))
    written.append(folder / "search.png")
    page.close()

    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    phone = context.new_page()
    sign_in(phone, base)
    phone.goto(base + "/accounts/me/")
    phone.screenshot(path=str(folder / "workspace-phone.png"))
    written.append(folder / "workspace-phone.png")
    context.close()
    return written


def main(target: str) -> None:
    path = Path(target)
    front_page_only = path if path.suffix == ".png" else None
    folder = path.parent if front_page_only else path
    folder.mkdir(parents=True, exist_ok=True)
    refdata = Path(os.environ.get("UNIKOM_REFDATA_DIR") or refdata_dir())
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_site(Path(tmp), refdata, prepare=PREPARE) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            written = shoot(browser, base, folder, front_page_only=front_page_only)
        finally:
            browser.close()
    for each in written:
        print(f"wrote {each} ({each.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
