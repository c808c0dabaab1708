"""The sections on activity, need, organisation and person pages: query counts, WCAG basics."""

from __future__ import annotations

import itertools

import pytest

from core.tests.test_accessibility import parse
from discovery.tests.helpers import activity, need, researcher
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def grow(n: int = 6):
    """More related work of every kind: activities with roles and people, needs, researchers."""

    def add():
        for _ in range(n):
            i = next(_serial)
            person = researcher(f"Forsker {i}", unit=f"Institutt for sykepleie {i}")
            activity(
                f"Sykepleiere i hjemmetjenesten {i}",
                "Rekruttering av sykepleiere og velferdsteknologi i hjemmetjenesten.",
                partnerships=["usn-drammen", "usn-skien"],
                themes=["helse-og-omsorg", "velferd"],
                organisations=["usn", "ntnu", "skien"],
                people=[(person, "project_leader")],
                professional_owner=person.affiliations.get().organisation,
            )
            need(f"Sykepleiere slutter {i}", "Rekruttering av sykepleiere i hjemmetjenesten.")

    return add


@pytest.fixture
def records():
    grow(2)()
    nurse = researcher("Nina Sykepleier", unit="Institutt for sykepleie")
    a = activity(
        "Velferdsteknologi for sykepleiere",
        "Sykepleiere i hjemmetjenesten tar i bruk velferdsteknologi.",
        organisations=["usn"],
        people=[(nurse, "project_leader")],
        partnerships=["usn-drammen"],
    )
    n = need("Rekruttering av sykepleiere", "Hjemmetjenesten mangler sykepleiere.")
    return {"activity": a, "need": n, "person": nurse}


@pytest.mark.parametrize("page", ["activity", "need", "institution", "person"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_related_work(client, coordinator, records, page, signed_in):
    if signed_in:
        client.force_login(coordinator)
    url = "/organisations/usn/" if page == "institution" else records[page].get_absolute_url()
    small, large = query_counts(client, url, grow=grow(8))
    assert small == large, (url, small, large)
    # The sections are there, with more content after growing.
    assert client.get(url).content.decode().count('class="card"') >= 3


def test_sections_meet_the_accessibility_basics(client, records):
    for url in (
        records["activity"].get_absolute_url(),
        records["need"].get_absolute_url(),
        records["person"].get_absolute_url(),
        "/organisations/usn/",
    ):
        page = parse(client, url)
        assert page.headings.count(1) == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (url, before, after)


@pytest.mark.parametrize("page", ["activity", "need", "institution", "person"])
def test_a_section_is_drawn_once_per_change_of_the_data(client, records, page):
    """Ranking reads the search index; a second visit reads the drawn section, and
    the first visit after a change draws it again with the change in it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/organisations/usn/" if page == "institution" else records[page].get_absolute_url()

    def index_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return sum("search_searchdocument" in q["sql"] for q in queries), html

    first, _html = index_queries()
    assert first > 0
    again, _html = index_queries()
    assert again == 0
    grow(1)()
    after, html = index_queries()
    assert after > 0
    newest = f"{next(_serial) - 1}"  # the number grow() gave its records
    assert f"Sykepleiere i hjemmetjenesten {newest}" in html or (
        f"Sykepleiere slutter {newest}" in html
    )
