"""The header: grouped navigation that works without JavaScript, the signed-in reader's own
partnership one click away (for a constant number of queries), the language switch, and
every asset served by the app itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.templatetags.static import static

from accounts.models import Assignment, Role
from partnerships.models import Partnership
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def coordinator(username: str, *slugs: str):
    user = get_user_model().objects.create_user(username, password="et-langt-passord-2026")
    for slug in slugs:
        Assignment.objects.create(
            user=user, role=Role.COORDINATOR, partnership=Partnership.objects.get(slug=slug)
        )
    return user


def test_the_navigation_is_a_few_groups_of_disclosure_menus(client):
    html = header(client.get("/partnerships/").content.decode())
    groups = re.findall(r'<details class="nav-group" name="nav-group" data-group="([a-z-]+)"', html)
    assert groups == ["registry", "insights", "open-data"]
    # No script: a <summary> opens each group and the menu button on narrow screens.
    assert "<script" not in html
    assert html.count("<summary") == 1 + len(groups)
    assert '<summary class="menu-button">' in html
    for url in ("/partnerships/", "/activities/", "/research-needs/", "/events/", "/people/"):
        assert f'href="{url}"' in html, url
    for url in ("/insights/gaps/", "/report/", "/network/", "/compare/", "/open-data/"):
        assert f'href="{url}"' in html, url
    # The page's own item is marked, and so is its group.
    assert '<a href="/partnerships/" aria-current="page">' in html
    assert re.search(r'data-group="registry">\s*<summary class="current">', html)
    assert 'data-group="my-work"' not in html


def test_a_coordinator_of_one_partnership_has_it_one_click_away(client):
    client.force_login(coordinator("eneste", "usn-skien"))
    html = header(client.get("/events/").content.decode())
    partnership = Partnership.objects.get(slug="usn-skien")
    own = re.search(r'<a class="own-partnership" href="([^"]+)"', html)
    assert own and own.group(1) == "/partnerships/usn-skien/"
    assert partnership.name in html
    mine = html[html.index('data-group="my-work"') :]
    for url in ("/partnerships/usn-skien/", "/accounts/me/", "/import/", "/trash/"):
        assert f'href="{url}"' in mine, url


def test_a_coordinator_of_several_finds_them_in_their_group(client):
    client.force_login(coordinator("flere", "usn-skien", "alesund"))
    html = header(client.get("/events/").content.decode())
    assert "own-partnership" not in html
    mine = html[html.index('data-group="my-work"') :]
    assert 'href="/partnerships/usn-skien/"' in mine and 'href="/partnerships/alesund/"' in mine


def test_a_reader_without_roles_gets_no_import_link(client):
    client.force_login(get_user_model().objects.create_user("leser", password="x-langt-2026"))
    html = header(client.get("/events/").content.decode())
    mine = html[html.index('data-group="my-work"') :]
    assert 'href="/accounts/me/"' in mine and 'href="/trash/"' in mine
    assert 'href="/import/"' not in mine


def test_the_navigation_costs_the_same_queries_whatever_the_roles(client):
    """The own partnerships come with the role assignments: one query, whatever their number."""
    one = coordinator("en", "usn-skien")
    three = coordinator("tre", "usn-skien", "alesund", "usn-drammen")
    counts = []
    for user in (one, three):
        client.force_login(user)
        client.get("/events/")  # warm the session and content types
        counts.append(count_queries(lambda: client.get("/events/")))
        client.logout()
    assert counts[0] == counts[1], counts
    client.force_login(three)
    html = header(client.get("/events/").content.decode())
    assert html.count("/partnerships/usn-drammen/") == 1


def test_the_language_switch_is_a_button_per_language(client):
    html = header(client.get("/partnerships/").content.decode())
    form = html[html.index('<form class="language"') :]
    form = form[: form.index("</form>")]
    buttons = [a for t, a in tags(form) if t == "button"]
    assert [(b["name"], b["value"]) for b in buttons] == [("language", "nb"), ("language", "en")]
    assert [b.get("aria-current") for b in buttons] == ["true", None]
    assert "<select" not in form
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/partnerships/"})
    assert response.status_code == 302 and response["Location"] == "/partnerships/"
    html = client.get("/partnerships/").content.decode()
    assert '<html lang="en"' in html


@pytest.mark.parametrize(
    "url", ["/partnerships/usn-skien/", "/organisations/ntnu/", "/events/", "/research-needs/"]
)
def test_record_pages_have_breadcrumbs(client, url):
    html = client.get(url).content.decode()
    if url.count("/") == 2:  # a list: no breadcrumbs
        assert "ds-breadcrumbs" not in html
        return
    crumbs = html[html.index('<nav class="ds-breadcrumbs') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert 'href="/"' in crumbs and '<span aria-current="page">' in crumbs


def test_every_asset_of_the_page_is_served_by_the_app(client):
    html = client.get("/").content.decode()
    page = tags(html)
    linked = [a["href"] for t, a in page if t == "link" and a.get("rel") in ("stylesheet", "icon")]
    assets = linked + [a["src"] for t, a in page if t == "script" and a.get("src")]
    assert any("designsystemet" in a for a in assets), assets
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, asset


def test_no_template_loads_anything_from_another_site():
    pattern = re.compile(
        r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)=[\"']?(?:https?:)?//", re.IGNORECASE
    )
    offenders = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            offenders.append((path.name, match.group(0)))
    assert offenders == []


def test_designsystemet_is_vendored_with_its_licence():
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "designsystemet"
    for name in ("designsystemet.css", "theme-digdir.css"):
        css = (folder / name).read_text(encoding="utf-8")
        assert "@import" not in css and not re.search(r"url\((?![\"']?data:)", css), name
    for name in ("LICENSE-designsystemet-css", "LICENSE-designsystemet-theme"):
        assert "Permission is hereby granted, free of charge" in (folder / name).read_text()
    versions = (folder / "VERSIONS").read_text()
    lock = (Path(settings.BASE_DIR) / "frontend" / "package-lock.json").read_text()
    for line in versions.splitlines():
        name, version, _licence = line.split(" ")
        assert f'"node_modules/{name}": {{\n      "version": "{version}"' in lock, line


def test_the_inter_font_is_vendored_with_its_licence_and_served(client):
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "inter"
    css = (folder / "inter.css").read_text(encoding="utf-8")
    files = re.findall(r"url\(\./([\w.-]+\.woff2)\)", css)
    assert len(files) == 4 and all((folder / f).stat().st_size > 10_000 for f in files), files
    assert "font-family: Inter;" in css  # the family Designsystemet's theme names
    assert "SIL OPEN FONT LICENSE" in (folder / "LICENSE-inter").read_text().upper()
    name, version, _licence = (folder / "VERSIONS").read_text().split()
    lock = (Path(settings.BASE_DIR) / "frontend" / "package-lock.json").read_text()
    assert f'"node_modules/{name}": {{\n      "version": "{version}"' in lock
    response = client.get(static("vendor/inter/" + files[0]))
    assert response.status_code == 200


def test_an_empty_list_says_what_to_do_next(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/activities/")
    request.user = AnonymousUser()
    html = render_to_string(
        "core/_empty.html",
        {"nothing": "Ingen ennå.", "add_url": "/activities/add/", "add_label": "Legg til"},
        request=request,
    )
    assert 'href="/accounts/login/?next=/activities/add/">Legg til</a>' in html
    request = rf.get("/activities/?status=ongoing")
    request.user = AnonymousUser()
    html = render_to_string("core/_empty.html", {"nothing": "Ingen ennå."}, request=request)
    assert "Ingen ennå." not in html and 'href="/activities/' in html
