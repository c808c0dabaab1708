"""The national pages are kept, rendered, until the data changes (core.cache)."""

from __future__ import annotations

import re

import pytest

from partnerships.models import Partnership
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db


def figure(response, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]+)<', response.content.decode())
    return found.group(1).strip()


@pytest.mark.parametrize(
    "url", ["/", "/insights/gaps/", "/insights/motor-municipalities/", "/report/", "/network/"]
)
def test_a_kept_page_costs_a_few_queries_and_reads_the_same(client, url):
    responses = []
    fresh = count_queries(lambda: responses.append(client.get(url)))
    kept = count_queries(lambda: responses.append(client.get(url)))
    first, again = responses
    # The data version, the synthetic-data banner, the filter form's choices.
    assert kept <= 4 < fresh
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", first.content.decode()) == strip.sub("", again.content.decode())


def test_the_overview_changes_with_the_first_request_after_a_change(client):
    before = int(figure(client.get("/"), "partnerships"))
    Partnership.objects.create(
        name="Ny kunnskapsallianse", slug="ny-kunnskapsallianse", kind="cluster"
    )
    assert int(figure(client.get("/"), "partnerships")) == before + 1


def test_the_gap_list_changes_with_the_first_request_after_a_change(client):
    assert "ny-klynge" not in client.get("/insights/gaps/").content.decode()
    Partnership.objects.create(name="Ny klynge", slug="ny-klynge", kind="cluster")
    # A partnership with no anchoring recorded has gaps.
    assert 'data-partnership="ny-klynge"' in client.get("/insights/gaps/").content.decode()
