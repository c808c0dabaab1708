"""Phones and 200 % zoom in a real browser (issue 14): the main pages at 320 and 640
CSS pixels wide (a 1280 px window zoomed to 200 %) never scroll sideways as a whole;
every table sits in a named scroll region of its own whose hint "Scroll sideways…"
shows exactly while the table overflows it; filters fold away on phones; the
profile's table of contents moves to its sections."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import screenshot_on_failure
from tests.support.testing import running_site

pytestmark = pytest.mark.browser

MAIN_PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/universitetskommunen-kongsvinger/",
    "/activities/",
    "activity",  # the first activity of the list, found when the site is up
    "/research-needs/",
    "/events/",
    "/search/?q=helse",
    "/insights/gaps/",
    "/concepts/",
    "/about-the-compilation/",
    "/report/",
    "/compare/?p=usn-drammen&p=alesund",
    "/network/",
    "/open-data/",
]

NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"

# Each table that is shown, and what is wrong with it: not in a scroll region that is
# focusable and named, or a hint shown when the table fits (or hidden when it does not).
TABLE_PROBLEMS = """() => {
  const problems = [];
  for (const table of document.querySelectorAll("main table")) {
    if (table.closest(".visually-hidden") || !table.checkVisibility()) continue;
    const region = table.closest(".table-scroll");
    const name = (table.querySelector("caption") || table).innerText.slice(0, 40);
    if (!region || region.getAttribute("role") !== "region" || region.tabIndex !== 0
        || !region.getAttribute("aria-label")) {
      problems.push("not in a named, focusable scroll region: " + name);
      continue;
    }
    const hint = region.querySelector(":scope > .scroll-hint");
    const overflows = region.scrollWidth > region.clientWidth + 1;
    const shown = !!hint && hint.offsetHeight > 0
      && getComputedStyle(hint).visibility === "visible";
    if (overflows !== shown) problems.push((overflows ? "no hint: " : "needless hint: ") + name);
  }
  return problems;
}"""


# The small synthetic set (synth): activities, needs and events to show, as in a pilot.
PREPARE = """
from django.core.management import call_command
call_command("synth", "--no-progress", "--as-of", "2026-01-01")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_refdata):
    with running_site(tmp_path_factory.mktemp("site"), site_refdata, prepare=PREPARE) as base:
        yield base


@pytest.fixture(scope="module")
def pages(site) -> list[str]:
    import urllib.request

    with urllib.request.urlopen(site + "/activities/") as response:  # noqa: S310 (loopback)
        html = response.read().decode()
    activity = re.search(r'href="(/activities/[0-9a-f-]{36}/)"', html).group(1)
    return [activity if p == "activity" else p for p in MAIN_PAGES]


@pytest.mark.parametrize("width", [320, 640])
def test_the_main_pages_never_scroll_sideways_and_wide_tables_scroll_in_place(
    site, pages, page, width
):
    page.set_viewport_size({"width": width, "height": 800})
    overflowing_regions = 0
    for path in pages:
        with screenshot_on_failure(page, f"responsive-{width}-{path.strip('/').replace('/', '-')}"):
            page.goto(site + path)
            assert page.evaluate(NO_PAGE_SCROLL), f"{path} scrolls sideways at {width} px"
            assert page.evaluate(TABLE_PROBLEMS) == [], path
            overflowing_regions += page.evaluate(
                "[...document.querySelectorAll('.table-scroll')]"
                ".filter(r => r.scrollWidth > r.clientWidth + 1).length"
            )
    # the check of the hint has something to check: some tables are wider than a phone
    if width == 320:
        assert overflowing_regions > 0


def test_a_wide_table_scrolls_from_the_keyboard(site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site + "/compare/?p=usn-drammen&p=alesund")
    region = page.locator(".table-scroll").first
    assert page.locator(".table-scroll .scroll-hint").first.is_visible()
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    assert page.evaluate(NO_PAGE_SCROLL)


def test_filters_fold_away_on_a_phone_and_stay_open_on_a_wide_screen(site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site + "/partnerships/")
    kind = page.locator("#id_kind")
    assert not kind.is_visible()
    page.locator(".filter-toggle > summary").click()
    assert kind.is_visible()
    # chosen filters are shown open
    page.goto(site + "/partnerships/?kind=cluster")
    assert page.locator("#id_kind").is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + "/partnerships/")
    assert page.locator("#id_kind").is_visible()
    assert not page.locator(".filter-toggle > summary").is_visible()


def test_the_profile_s_table_of_contents_leads_to_each_section(site, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/partnerships/universitetskommunen-kongsvinger/")
    toc = page.get_by_role("navigation", name=re.compile("On this page|Innhold på siden"))
    assert toc.locator("a").count() >= 12
    toc.locator('a[href="#sources"]').click()
    page.wait_for_url("**#sources")
    heading = page.locator("h2#sources")
    assert heading.is_visible()
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 0 and 0 <= top < 844  # scrolled to it, in view
