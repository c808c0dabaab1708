"""A synthetic set on the site: the banner, search, pages, and the command (CI's smoke test)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from activities.models import Activity
from partnerships.models import Partnership
from search import service
from search.models import SearchDocument
from synth import generator, vocabulary

pytestmark = pytest.mark.django_db

BANNER = re.compile(r'<p class="notice synthetic-data" role="note">Synthetic data: ([^<]+)</p>')


def banner(client, url: str) -> str | None:
    client.cookies["django_language"] = "en"  # the banner is asserted in English
    response = client.get(url)
    assert response.status_code == 200, url
    found = BANNER.search(response.content.decode())
    return found.group(1) if found else None


def test_every_page_says_so_when_the_data_is_synthetic(client):
    assert banner(client, "/") is None
    assert banner(client, "/activities/") is None
    generator.load("small", 7, as_of=date(2025, 1, 1))
    expected = "generated for testing at small scale (seed 7). Not real partnerships."
    assert banner(client, "/") == expected
    assert banner(client, "/activities/") == expected
    generator.remove()
    assert banner(client, "/activities/") is None


def test_search_finds_generated_activities_by_any_inflected_form():
    generator.load("small", 1, as_of=date(2025, 1, 1))
    nouns = [n for theme in vocabulary.THEMES.values() for n in theme.nouns if n.sg != n.pl_def]
    for noun in nouns:
        a = Activity.objects.filter(title__contains=f" {noun.pl_def}", is_public=True).first()
        if a is not None:
            break
    assert a is not None
    doc = SearchDocument.objects.get(kind="activity", object_id=a.pk)
    # The definite plural in the title is found from the indefinite singular.
    assert doc.pk in service.run(noun.sg).ids


def test_the_main_pages_show_the_synthetic_set():
    from django.test import Client

    generator.load("small", 1, as_of=date(2025, 1, 1))
    client = Client()
    p = Partnership.objects.filter(slug__startswith=generator.SLUG_PREFIX).first()
    a = Activity.objects.filter(is_public=True).first()
    urls = [
        "/",
        "/partnerships/",
        p.get_absolute_url(),
        f"{p.get_absolute_url()}portfolio/",
        a.get_absolute_url(),
        "/research-needs/",
        "/events/",
        "/people/",
        "/insights/gaps/",
        "/insights/motor-municipalities/",
        "/network/",
        "/search/?q=sykehjem",
        "/api/activities/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_command_loads_and_removes(client):
    out = io.StringIO()
    with translation.override("en"):
        call_command("synth", "--scale", "small", "--seed", "3", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "Wrote synthetic data at small scale (seed 3" in text
    assert "rows/s" in text
    assert banner(client, "/") is not None
    out = io.StringIO()
    with translation.override("en"):
        call_command("synth", "--remove", "--no-progress", stdout=out)
    assert "Removed the synthetic data (small scale (seed 3))" in out.getvalue()
    assert banner(client, "/") is None


def test_the_command_refuses_a_database_with_real_records_and_says_why():
    Activity.objects.create(title="Ekte prosjekt", activity_type="research_project")
    with pytest.raises(CommandError) as refused:
        call_command("synth", "--no-progress", stdout=io.StringIO())
    message = str(refused.value)
    assert "1 activity" in message and "--force" in message


def test_the_command_dry_run_writes_nothing():
    out = io.StringIO()
    call_command("synth", "--dry-run", "--no-progress", stdout=out)
    assert "Would write synthetic data" in out.getvalue()
    assert "nothing was written" in out.getvalue()
    assert not Activity.objects.exists()
