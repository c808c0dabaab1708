"""Headers, escaping and self-hosted assets on every public page."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/usn-drammen/",
    "/organisations/",
    "/organisations/4601/",
    "/compare/?p=usn-drammen&p=alesund",
    "/research-needs/",
    "/events/",
    "/activities/",
    "/people/",
    "/insights/gaps/",
    "/insights/motor-municipalities/",
    "/report/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_send_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("url", PAGES)
def test_no_asset_comes_from_another_host(client, url):
    html = client.get(url).content.decode()
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
        for ref in re.findall(r'(?:src|href)="([^"]+)"', tag):
            assert ref.startswith("/"), tag


def test_the_stylesheet_is_served_by_the_app(client):
    response = client.get("/static/css/unikom.css")
    assert response.status_code == 200


def test_text_from_the_database_is_escaped(client):
    Partnership.objects.filter(slug="usn-skien").update(
        name="<script>alert(1)</script>", purpose='"><img src=x onerror=alert(1)>'
    )
    html = client.get("/partnerships/usn-skien/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_hostile_query_strings_do_not_break_pages(client):
    for query in [
        "?q=%27%22%3E%3Cscript%3E",
        "?sort=;DROP TABLE",
        "?q=" + "x" * 5000,
        "?county=%00",
    ]:
        assert client.get("/partnerships/" + query).status_code == 200


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "UNIKOM_ENV": "production",
        "SECRET_KEY": "a-production-secret-" + "k" * 50,
        "ALLOWED_HOSTS": "unikom.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin", **env},
        check=False,
    )


def test_production_refuses_the_public_development_key(tmp_path):
    from django.conf import settings

    base = {"UNIKOM_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    refused = settings_in({**base, "SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY})
    assert refused.returncode != 0
    assert "SECRET_KEY is the public development key" in refused.stderr
    assert "must be set in production" in settings_in(base).stderr
    assert settings_in({**base, "SECRET_KEY": "s" * 60}).stdout.strip() == "False"


def test_debug_pages_are_off_unless_a_developer_turns_them_on(tmp_path):
    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    assert settings_in(base).stdout.strip() == "False"
    assert settings_in({**base, "UNIKOM_DEBUG": "1"}).stdout.strip() == "True"
    production = {**base, "UNIKOM_ENV": "production", "SECRET_KEY": "s" * 60}
    assert settings_in({**production, "UNIKOM_DEBUG": "1"}).stdout.strip() == "False"


def test_a_missing_page_gets_a_friendly_404_in_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<main" in html and "Ikke funnet" in html
