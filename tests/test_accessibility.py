"""WCAG 2.1 AA in a real browser: axe-core on every main page, in bokmål and English,
and the keyboard journeys axe cannot judge (skip link, visible focus, announced errors).

axe-core comes from the npm registry, pinned in frontend/package.json as a devDependency
(test-only: `make assets` does not copy it into static/). It is injected as a context init
script, which Chromium runs outside the page's Content-Security-Policy (script-src 'self'
would refuse an inline <script>), so the pages are checked under their real policy.
docs/accessibility.md says what this covers and what it cannot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.support.browser import PASSWORD, screenshot_on_failure, sign_in
from tests.support.testing import running_site

pytestmark = pytest.mark.browser

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"

PREPARE = f"""
from django.contrib.auth import get_user_model
from accounts.models import Assignment, Role
from partnerships.models import Partnership
user = get_user_model().objects.create_user("koordinator", password="{PASSWORD}")
usn_skien = Partnership.objects.get(slug="usn-skien")
Assignment.objects.create(user=user, role=Role.COORDINATOR, partnership=usn_skien)
# One record of each kind, so each has a page to check.
from activities.tests.matrix import make as make_activity
from events.tests.matrix import make as make_event
from needs.tests.matrix import make as make_need
owner = usn_skien.memberships.first().organisation
make_activity(usn_skien, owner).__class__.objects.update(is_public=True)
make_need(usn_skien, owner).__class__.objects.update(is_public=True)
make_event(usn_skien, owner).__class__.objects.update(is_public=True)
"""

#: WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: What fails a page; moderate and minor findings are left to the manual review.
FAILING = {"serious", "critical"}

#: Pages anyone may read: (test id, path). A path in <angle brackets> is found on the
#: site (``found_paths``): the first record a list page links to.
PUBLIC = [
    ("front-page", "/"),
    ("partnership-list", "/partnerships/?kind=cluster"),
    ("partnership", "/partnerships/usn-skien/"),
    ("compare", "/compare/?p=usn-drammen&p=alesund"),
    ("organisation-list", "/organisations/"),
    ("organisation", "<organisation>"),
    ("people", "/people/"),
    ("activity-list", "/activities/"),
    ("activity", "<activity>"),
    ("need-list", "/research-needs/"),
    ("need", "<need>"),
    ("meeting-places", "/events/"),
    ("event", "<event>"),
    ("search", "/search/?q=helse"),
    ("network", "/network/"),
    ("gaps", "/insights/gaps/"),
    ("motor-municipalities", "/insights/motor-municipalities/"),
    ("report", "/report/"),
    ("open-data", "/open-data/"),
    ("concepts", "/concepts/"),
    ("about-the-compilation", "/about-the-compilation/"),
    ("privacy", "/privacy/"),
    ("sign-in", "/accounts/login/"),
    ("not-found", "/partnerships/no-such-partnership/"),
]
#: A coordinator's own pages (of usn-skien); "…-errors" pages are the form submitted empty.
SIGNED_IN = [
    ("my-roles", "/accounts/me/"),
    ("add-activity", "/activities/add/"),
    ("add-activity-errors", "/activities/add/"),
    ("add-need", "/research-needs/add/"),
    ("add-event", "/events/add/"),
    ("edit-partnership", "/partnerships/usn-skien/edit/"),
    ("partnership-history", "/partnerships/usn-skien/history/"),
    ("import", "/import/"),
    ("import-errors", "/import/"),
    ("import-history", "/import/history/"),
    ("trash", "/trash/"),
    ("my-data", "/accounts/me/data/"),
]
FOUND = {
    "<organisation>": ("/organisations/", r'href="(/organisations/[^"/?#]+/)"'),
    "<activity>": ("/activities/", r'href="(/activities/[0-9a-f-]{36}/)"'),
    "<need>": ("/research-needs/", r'href="(/research-needs/[0-9a-f-]{36}/)"'),
    "<event>": ("/events/?when=all", r'href="(/events/[0-9a-f-]{36}/)"'),
}
LANGUAGES = ["nb", "en"]
#: Pages also checked on a phone (320 CSS pixels wide: reflow, WCAG 1.4.10), in bokmål.
PHONE = {"front-page", "partnership", "compare", "report", "add-activity-errors"}
PHONE_VIEWPORT = {"width": 320, "height": 640}

CASES = (
    [
        pytest.param(name, path, signed_in, language, False, id=f"{name}-{language}")
        for signed_in, pages in ((False, PUBLIC), (True, SIGNED_IN))
        for name, path in pages
        for language in LANGUAGES
    ]
    + [
        pytest.param(name, path, signed_in, "nb", True, id=f"{name}-nb-phone")
        for signed_in, pages in ((False, PUBLIC), (True, SIGNED_IN))
        for name, path in pages
        if name in PHONE
    ]
    + [
        pytest.param(
            "api-docs",
            "/api/docs/",
            False,
            "nb",
            False,
            id="api-docs",
            marks=pytest.mark.skip(
                reason="Swagger UI is third-party and English only; "
                "test_browser checks that it runs under the CSP"
            ),
        )
    ]
)


def axe_source() -> str:
    """axe.min.js from frontend/node_modules, installed with `npm ci` if it is missing;
    without npm the module is skipped locally and failed in CI."""
    if not AXE.exists():
        if shutil.which("npm") is None:
            message = "axe-core needs npm to install it (apt-get install npm; cd frontend; npm ci)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=FRONTEND,
            check=True,
            timeout=300,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_refdata):
    with running_site(tmp_path_factory.mktemp("site"), site_refdata, prepare=PREPARE) as base:
        yield base


@pytest.fixture(scope="module")
def found_paths(site) -> dict[str, str]:
    """The first record each list page links to, read from the served HTML."""
    found = {}
    for key, (list_path, pattern) in FOUND.items():
        with urllib.request.urlopen(site + list_path, timeout=30) as answer:  # noqa: S310
            html = answer.read().decode()
        match = re.search(pattern, html)
        found[key] = match.group(1) if match else None
    return found


@pytest.fixture(scope="module")
def tabs(browser, site, axe):
    """One page per (signed in, language, phone), each in its own context, reused by every
    check."""
    opened = {}
    contexts = []

    def tab(signed_in: bool, language: str, phone: bool = False):
        if (signed_in, language, phone) not in opened:
            context = browser.new_context(viewport=PHONE_VIEWPORT if phone else None)
            contexts.append(context)
            context.add_init_script(script=axe)
            context.add_cookies([{"name": "django_language", "value": language, "url": site}])
            page = context.new_page()
            if signed_in:
                sign_in(page, site)
            opened[signed_in, language, phone] = page
        return opened[signed_in, language, phone]

    yield tab
    for context in contexts:
        context.close()


def serious_violations(page) -> list[str]:
    """axe's serious and critical findings on the page, one readable line each."""
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in FAILING
    ]


@pytest.mark.parametrize(("name", "path", "signed_in", "language", "phone"), CASES)
def test_axe_finds_no_serious_or_critical_violations(
    name, path, signed_in, language, phone, site, tabs, found_paths
):
    path = found_paths.get(path, path)
    if path is None:
        pytest.fail(f"no record to check: the list page links to none ({name})")
    page = tabs(signed_in, language, phone)
    with screenshot_on_failure(page, f"axe-{name}-{language}{'-phone' if phone else ''}"):
        page.goto(site + path)
        if name.endswith("-errors"):
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert page.locator(".error-summary").count() == 1
        assert page.locator("html").get_attribute("lang") == language
        assert page.evaluate("typeof axe") == "object", "axe-core was not injected"
        violations = serious_violations(page)
        assert violations == [], f"{site + path} ({language}):\n" + "\n".join(violations)


# Keyboard journeys --------------------------------------------------------------------------

FOCUS_INDICATOR = """() => {
    const s = getComputedStyle(document.activeElement);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
}"""


def test_the_skip_link_comes_first_and_moves_focus_to_the_content(site, page):
    with screenshot_on_failure(page, "skip-link"):
        page.goto(site + "/")
        assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('skip-link')")
        assert page.locator(".skip-link").is_visible()
        box = page.locator(".skip-link").bounding_box()
        assert box["y"] >= 0 and box["height"] > 0  # on screen while focused
        assert page.evaluate(FOCUS_INDICATOR)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")  # the next stop is inside the content
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_every_focus_stop_is_visible_and_in_document_order(site, page):
    with screenshot_on_failure(page, "focus-order"):
        page.goto(site + "/partnerships/")
        previous = None
        for _ in range(25):
            page.keyboard.press("Tab")
            described = page.evaluate(
                "() => { const e = document.activeElement; "
                "return e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '')"
                ".trim().slice(0, 40); }"
            )
            assert page.evaluate(FOCUS_INDICATOR), f"no visible focus on {described}"
            page.evaluate("document.activeElement.setAttribute('data-stop', '')")
            if previous is not None:  # each stop follows the previous one in the document
                follows = page.evaluate(
                    "() => { const stops = document.querySelectorAll('[data-stop]');"
                    "return stops[stops.length - 1] === document.activeElement; }"
                )
                assert follows, f"focus went backwards to {described}"
            previous = described


def test_a_form_with_errors_announces_them_and_links_each_to_its_field(site, page):
    with screenshot_on_failure(page, "form-errors"):
        sign_in(page, site)
        page.goto(site + "/activities/add/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        summary = page.locator(".error-summary")
        assert summary.get_attribute("role") == "alert"
        # the summary takes the focus, so a screen reader reads it first, and keyboard users
        # start from it
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        links = summary.locator("a[href^='#']")
        assert links.count() >= 1
        for i in range(links.count()):
            target = links.nth(i).get_attribute("href")[1:]
            field = page.locator(f"[id='{target}']")
            assert field.count() == 1, target
            if field.evaluate("e => e.matches('input, select, textarea')"):
                assert field.get_attribute("aria-invalid") == "true", target
                described_by = (field.get_attribute("aria-describedby") or "").split()
                assert f"{target}_error" in described_by, target
        # following the first link puts the keyboard in the field
        links.first.focus()
        page.keyboard.press("Enter")
        first = links.first.get_attribute("href")[1:]
        assert page.evaluate("document.activeElement.id") == first
