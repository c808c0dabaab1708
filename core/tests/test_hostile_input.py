"""Hostile input everywhere a user can type: every field of every form, every
query parameter of every page and filter, the API's fields, the uploads' names
and cells, and the feeds and downloads.

Each payload must give an answer below 500, and no page may carry a payload's
markup unescaped, neither the answer to the post nor the page of the record
saved with it. The forms and their fields are read from the pages themselves,
so a field added later is covered without changing this file.

Compressed bombs and oversized spreadsheets are in imports/tests/test_xlsx_reader.py
and imports/tests/test_bad_input.py; deep JSON and large bodies in
api/tests/test_bad_input.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from activities.tests.matrix import make as make_activity
from events.tests.matrix import make as make_event
from needs.tests.matrix import make as make_need
from organisations.tests.matrix import make as make_person
from tests.support.forms import forms, record_form

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("unikom")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
#: What must never reach a page as markup.
MARKUP = ("<script>alert(", "<img src=x onerror")

PAYLOADS = {
    "script": SCRIPT,
    "attribute": ATTRIBUTE,
    "line breaks": "første linje\r\nandre\nthird\rfourth",
    "nul": "før\x00etter",
    "controls": "bell\x07 escape\x1b[31m backspace\x08 delete\x7f",
    "direction": "abc\u202egnp.exe",
    "huge": "x" * 100_000,
    "astral": "🙂" * 60,
    "format": "%s %(name)s {0} {{ user }} ${jndi:ldap://x}",
}

#: Fields the page fills in itself, not a person.
MANAGEMENT = re.compile(
    r"(^csrfmiddlewaretoken$|^version$|^next$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-id$)"
)


def assert_safe(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    kind = response.get("Content-Type", "")
    if "json" in kind:
        # Data, never markup: a browser told the type does not render it as a page.
        assert kind.startswith("application/json"), where
        assert response.get("X-Content-Type-Options") == "nosniff", where
    elif "html" in kind:
        body = response.content.decode("utf-8", "replace")
        for markup in MARKUP:
            assert markup not in body, f"{where}: unescaped {markup!r}"


@pytest.fixture
def admin(partnership, drammen):
    user = get_user_model().objects.create_superuser("hostile-admin", "a@example.no", "x")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(partnership, drammen):
    return {
        "activity": make_activity(partnership, drammen),
        "need": make_need(partnership, drammen),
        "event": make_event(partnership, drammen),
        "person": make_person(partnership, drammen),
    }


def form_pages(partnership, records) -> list[str]:
    return [
        "/activities/add/",
        "/research-needs/add/",
        "/events/add/",
        "/people/add/",
        f"/partnerships/{partnership.slug}/edit/",
        f"/activities/{records['activity'].public_id}/edit/",
        f"/research-needs/{records['need'].public_id}/edit/",
        f"/events/{records['event'].public_id}/edit/",
        f"/people/{records['person'].public_id}/edit/",
    ]


def typed_fields(form, options) -> list[str]:
    """The fields a person types into (not choices, not the page's own)."""
    return sorted({name for name, _v in form.fields if name not in options} - {""})


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_every_typed_field_of_every_form(admin, partnership, records, payload):
    value = PAYLOADS[payload]
    for url in form_pages(partnership, records):
        page = admin.get(url)
        assert page.status_code == 200, url
        form, options = record_form(page.content.decode())
        names = [n for n in typed_fields(form, options) if not MANAGEMENT.search(n)]
        assert names, url
        for name in names:
            form.set(name, value)
        response = admin.post(url, form.data())
        assert_safe(response, f"POST {url} ({payload})")
        if response.status_code == 302:
            assert_safe(admin.get(response["Location"]), f"after {url} ({payload})")


def test_saved_markup_is_shown_as_text_everywhere_it_appears(admin, partnership, records):
    """A title with markup, saved, then read on every page that lists or shows it."""
    activity = records["activity"]
    url = f"/activities/{activity.public_id}/edit/"
    form, _options = record_form(admin.get(url).content.decode())
    form.set("title", SCRIPT)
    form.set("summary", ATTRIBUTE)
    assert admin.post(url, form.data()).status_code == 302
    for page in [
        f"/activities/{activity.public_id}/",
        f"/activities/{activity.public_id}/history/",
        "/activities/",
        f"/partnerships/{partnership.slug}/",
        f"/partnerships/{partnership.slug}/portfolio/",
        "/search/?q=unikom",
        "/trash/",
        f"/api/activities/{activity.public_id}/",
    ]:
        response = admin.get(page)
        assert response.status_code == 200, page
        assert_safe(response, page)
    assert "&lt;script&gt;" in admin.get(f"/activities/{activity.public_id}/").content.decode()


LIST_PAGES = [
    "/",
    "/partnerships/",
    "/organisations/",
    "/people/",
    "/activities/",
    "/research-needs/",
    "/events/",
    "/search/",
    "/compare/",
    "/insights/gaps/",
    "/insights/motor-municipalities/",
    "/network/",
    "/report/",
    "/open-data/",
    "/partnerships/usn-drammen/portfolio/",
    "/import/history/",
    "/trash/",
]


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_every_query_parameter_of_every_page(admin, payload):
    """Every field of the page's own search and filter forms, and names it does not know."""
    value = PAYLOADS[payload]
    if payload == "huge":
        value = value[:6000]  # a URL, not a body: servers refuse longer request lines
    for url in LIST_PAGES:
        found, _options = forms(admin.get(url).content.decode())
        names = {
            name
            for form in found
            if form.attrs.get("method", "get").lower() == "get"
            for name, _v in form.fields
        }
        names |= {"q", "sort", "page", "cursor", "format", "unknown"}
        # One at a time, where one refused value would hide the others' effect:
        # markup (reflected?) and NUL (which PostgreSQL refuses in text).
        for name in sorted(names) if payload in ("script", "nul") else []:
            query = urlencode({name: value})
            assert_safe(admin.get(f"{url}?{query}"), f"{url}?{name}= ({payload})")
        # All of them at once, each twice.
        query = urlencode([(name, value) for name in sorted(names) for _ in range(2)])
        assert_safe(admin.get(f"{url}?{query}"), f"{url} all ({payload})")


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_downloads_feeds_and_the_api_take_any_parameter(admin, payload):
    value = PAYLOADS[payload][:6000]
    urls = [
        "/events.ics",
        "/partnerships/usn-drammen/events.ics",
        "/research-needs/feed/",
        "/partnerships/usn-drammen/needs.atom",
        "/network.graphml",
        "/export/activities.csv",
        "/export/activities.xlsx",
        "/export/partnerships.json",
        "/api/activities/",
        "/api/people/",
        "/api/partnerships/",
        "/api/events/",
    ]
    for url in urls:
        for name in ("q", "search", "ordering", "cursor", "type", "partnership", "page_size"):
            assert_safe(admin.get(f"{url}?{urlencode({name: value})}"), f"{url}?{name}=")


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_every_text_field_of_the_api(partnership, drammen, coordinator, payload):
    from api.tests.conftest import as_token

    api = as_token(coordinator)
    value = PAYLOADS[payload]
    bodies = {
        "/api/activities/": {
            "title": value,
            "summary": value,
            "activity_type": value,
            "partnerships": [partnership.slug, value],
            "professional_owner": value,
            "organisation_roles": [{"organisation": value, "role": value}],
        },
        "/api/needs/": {"title": value, "description": value, "organisation": value},
        "/api/events/": {"title": value, "location": value, "starts_at": value},
        "/api/people/": {"name": value, "email": value, "phone": value, "orcid": value},
    }
    for url, body in bodies.items():
        assert_safe(api.post(url, body, format="json"), f"POST {url} ({payload})")
        for field, field_value in body.items():
            one = {"title": "Et gyldig navn", field: field_value}
            assert_safe(api.post(url, one, format="json"), f"POST {url} {field} ({payload})")


@pytest.mark.parametrize("payload", ["script", "attribute", "line breaks", "nul", "direction"])
def test_an_upload_with_a_hostile_name_and_cells(admin, payload):
    value = PAYLOADS[payload]
    name = f"{value}.csv".replace("\x00", "")
    rows = f"title;activity_type\n{value};research_project\n{SCRIPT};{value}\n"
    upload = SimpleUploadedFile(name, rows.encode())
    response = admin.post(
        "/import/", {"kind": "activities", "source_format": "auto", "file": upload}
    )
    assert_safe(response, f"upload ({payload})")
    if response.status_code == 302:
        assert_safe(admin.get(response["Location"]), f"preview ({payload})")
    assert_safe(admin.get("/import/history/"), f"import history ({payload})")


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_the_sign_in_reset_and_code_forms(payload):
    value = PAYLOADS[payload]
    client = Client()
    for url, data in [
        ("/accounts/login/", {"username": value, "password": value}),
        ("/admin/login/", {"username": value, "password": value}),
        ("/accounts/password-reset/", {"email": value}),
        ("/search/", {"q": value}),
    ]:
        assert_safe(client.post(url, data), f"POST {url} ({payload})")
    user = get_user_model().objects.create_user("kode", "k@example.no", "x")
    client.force_login(user)
    assert_safe(client.post("/accounts/two-factor/", {"code": value}), f"code ({payload})")
    assert_safe(client.post("/api/tokens/", {"name": value, "scope": value}), f"token ({payload})")
