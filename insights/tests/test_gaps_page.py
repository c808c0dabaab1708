"""/insights/gaps/: the national list of anchoring gaps, filterable."""

from __future__ import annotations

import pytest

from insights.rules import GAP_CODES, anchoring_gaps, attach_unowned_counts, rules_queryset
from organisations.models import Organisation
from partnerships.choices import PartnershipKind
from partnerships.models import Membership, Partnership
from tests.support.testing import add_partnerships, query_counts

from .helpers import bare_partnership

pytestmark = pytest.mark.django_db

URL = "/insights/gaps/"


def listed(client, query: str = "") -> set[str]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return {row["partnership"].slug for row in response.context["result"]["rows"]}


def expected(**match) -> set[str]:
    found = set()
    for p in attach_unowned_counts(list(rules_queryset())):
        gaps = anchoring_gaps(p)
        if any(all(getattr(g, k) == v for k, v in match.items()) for g in gaps):
            found.add(p.slug)
    return found


def test_it_lists_every_partnership_with_a_gap(client):
    assert listed(client) == expected()


def test_it_counts_the_gaps(client):
    response = client.get(URL)
    total = sum(len(anchoring_gaps(p)) for p in attach_unowned_counts(list(rules_queryset())))
    assert response.context["result"]["gap_count"] == total


def test_it_filters_by_severity(client):
    assert listed(client, "?severity=high") == expected(severity="high")


@pytest.mark.parametrize("code", GAP_CODES)
def test_it_filters_by_every_gap_code(client, code):
    assert listed(client, f"?code={code}") == expected(code=code)


def test_it_tells_a_gap_the_sources_state_from_one_not_recorded(client):
    client.cookies["django_language"] = "en"
    html = client.get(URL).content.decode()
    row = html.split('data-partnership="kunnskapskommunen-helseomsorg-nord"')[1].split(
        "</article>"
    )[0]
    assert 'data-code="academic_below_rectorate" data-stated="stated"' in row
    assert 'data-code="top_without_service_level" data-stated="not_recorded"' in row
    assert "Stated by the sources" in row and "Not recorded – record it" in row
    assert "(universitetene (Nord, UiT))" in row


def test_it_shows_the_records_behind_a_gap_with_their_sources(client):
    html = client.get(URL + "?code=academic_below_rectorate").content.decode()
    assert "Forankret i ledelsen ved fakultetene." in html
    assert "uninversitetskommune-vestvagoy/" in html


def test_a_board_is_above_the_rectorate(client):
    assert "kristiansand-uia" not in listed(client, "?code=academic_below_rectorate")
    assert "kristiansand-uia" not in listed(client, "?code=academic_top_not_recorded")


def test_it_links_anchoring_and_kinds_to_the_concepts_page(client):
    html = client.get(URL).content.decode()
    assert 'href="/concepts/#anchoring"' in html and 'href="/concepts/#kinds"' in html


def test_without_filters_and_without_gaps_it_says_nothing_was_found(client, monkeypatch):
    from insights import rules

    client.cookies["django_language"] = "en"
    monkeypatch.setattr(rules, "anchoring_gaps", lambda p, today=None: [])
    html = client.get(URL).content.decode()
    assert "No gaps found in what is recorded." in html
    assert f"0 gaps in {Partnership.objects.count()} partnerships checked" in html


def test_it_filters_by_partnership_kind(client):
    bare_partnership("bare-cluster", kind=PartnershipKind.CLUSTER)
    bare_partnership("bare-single", kind=PartnershipKind.BILATERAL)
    shown = listed(client, "?kind=cluster")
    assert "bare-cluster" in shown and "bare-single" not in shown


def test_it_filters_by_county(client):
    in_vestland = set(
        Membership.objects.current()
        .filter(organisation__parent__county_number="46")
        .values_list("partnership__slug", flat=True)
    )
    assert in_vestland  # Bergen (4601) lies in Vestland
    assert listed(client, "?county=46") == expected() & in_vestland


def test_it_reports_invalid_filters_beside_the_field_and_shows_everything(client):
    client.cookies["django_language"] = "en"
    response = client.get(URL + "?severity=<script>&kind=nonsense")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"severity", "kind"}
    assert "<script>" not in response.content.decode()
    assert {r["partnership"].slug for r in response.context["result"]["rows"]} == expected()


def test_a_partnership_with_nothing_recorded_shows_its_gap(client):
    bare_partnership("empty-one")
    html = client.get(URL + "?code=no_anchoring").content.decode()
    assert 'data-partnership="empty-one"' in html


def test_the_query_count_does_not_grow_with_the_data(client):
    small, large = query_counts(client, URL, grow=lambda: add_partnerships(10))
    assert small == large


def test_a_county_without_partnerships_says_so(client):
    client.cookies["django_language"] = "en"
    used = set(
        Membership.objects.current().values_list("organisation__parent__county_number", flat=True)
    )
    empty = (
        Organisation.objects.counties()
        .exclude(county_number__in=[c for c in used if c])
        .values_list("county_number", flat=True)
        .first()
    )
    assert empty
    response = client.get(f"{URL}?county={empty}")
    assert response.context["result"]["rows"] == [] and response.context["result"]["checked"] == 0
    html = response.content.decode()
    assert "Nothing matches these filters" in html and "clear filters" in html
