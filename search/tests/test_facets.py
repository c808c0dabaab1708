import pytest

from partnerships.models import Partnership, Theme
from search.tests.conftest import search_ids, titles
from search.tests.helpers import activity

pytestmark = pytest.mark.django_db


def test_facets_count_every_kind_of_facet_over_the_matches():
    outcome = search_ids("helse")
    assert {"kind", "theme", "county", "partnership", "status", "year"} <= set(outcome.facets)
    kinds = {e["value"]: e["count"] for e in outcome.facets["kind"]}
    assert sum(kinds.values()) == len(outcome.ids)


def test_filtering_by_kind_keeps_only_that_kind():
    activity("Helse i skolen")
    outcome = search_ids("helse", kind="activity")
    assert titles("helse", kind="activity") == ["Helse i skolen"]
    assert [e["value"] for e in outcome.facets["kind"]] == ["activity"]


def test_filtering_by_theme_and_partnership_narrows_the_matches():
    partnership = Partnership.objects.get(slug="usn-drammen")
    theme = Theme.objects.first()
    a = activity("Lesing i barnehagen")
    a.partnerships.add(partnership)
    a.themes.add(theme)
    activity("Lesing i skolen")
    assert titles("lesing", theme=theme.slug) == ["Lesing i barnehagen"]
    assert titles("lesing", partnership="usn-drammen") == ["Lesing i barnehagen"]


def test_several_values_of_one_facet_widen_the_matches():
    activity("Lesing i barnehagen", status="ongoing")
    activity("Lesing i skolen", status="completed")
    assert len(titles("lesing", status=["ongoing", "completed"])) == 2
    assert titles("lesing", status=["completed"]) == ["Lesing i skolen"]


def test_year_and_county_facets_come_from_the_record():
    import datetime

    from organisations.models import Organisation

    bergen = Organisation.objects.get(municipality_number="4601")
    a = activity("Bydelsarbeid", start_date=datetime.date(2023, 3, 1))
    a.organisation_roles.create(organisation=bergen, role="owner")
    outcome = search_ids("bydelsarbeid")
    assert [e["value"] for e in outcome.facets["year"]] == ["2023"]
    assert [e["label"] for e in outcome.facets["county"]] == [bergen.parent.name]


def test_an_unknown_facet_name_is_ignored():
    assert search_ids("helse", colour="red").ids == search_ids("helse").ids


def test_counts_without_a_filter_are_those_of_a_filter_that_keeps_every_match():
    """Without filters the database counts the facet values; with one, Python does:
    a filter on every kind found keeps every match, so the two must agree."""
    partnership = Partnership.objects.get(slug="usn-drammen")
    for title in ("Helse i barnehagen", "Helse i skolen", "Helse i hjemmet"):
        a = activity(title)
        a.partnerships.add(partnership)
    counted = search_ids("helse")
    every_kind = [e["value"] for e in counted.facets["kind"]]
    filtered = search_ids("helse", kind=every_kind)
    assert filtered.ids == counted.ids
    for facet, entries in counted.facets.items():
        expected = [(e["value"], e["label"], e["count"]) for e in entries]
        got = [(e["value"], e["label"], e["count"]) for e in filtered.facets[facet]]
        assert got == expected, facet
