"""Counts by type from the portfolio, for pages and for the partnership profile."""

from __future__ import annotations

import pytest

from activities import portfolio
from partnerships.models import Partnership, ReportedResult
from partnerships.profile import Profile, profile_queryset
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(make_activity, partnership, other_partnership, drammen, usn):
    make_activity(activity_type="phd")
    make_activity(activity_type="phd", partnerships=[partnership, other_partnership])
    make_activity(activity_type="placement")
    make_activity(activity_type="network", is_public=False)
    make_activity(
        activity_type="knowledge_summary",
        partnerships=[other_partnership],
        professional_owner=usn,
        roles=[(drammen, "funder")],
    )


def test_one_partnership_is_counted_in_one_query(counted, partnership, reader):
    result = {}

    def fetch():
        result.update(portfolio.partnership_counts(partnership))

    assert count_queries(fetch) == 1
    assert result == {"phd": 2, "placement": 1}
    assert portfolio.partnership_counts(partnership, reader) == {
        "phd": 2,
        "placement": 1,
        "network": 1,
    }


def test_many_partnerships_are_counted_in_one_query(counted, partnership, other_partnership):
    empty = Partnership.objects.get(slug="alesund")
    result = {}

    def fetch():
        result.update(portfolio.counts_for_partnerships([partnership, other_partnership, empty]))

    assert count_queries(fetch) == 1
    assert result == {
        partnership.pk: {"phd": 2, "placement": 1},
        other_partnership.pk: {"phd": 1, "knowledge_summary": 1},
        empty.pk: {},
    }


def test_an_organisation_is_counted_in_one_query(counted, drammen, usn):
    result = {}

    def fetch():
        result.update(portfolio.organisation_counts(drammen))

    assert count_queries(fetch) == 1
    assert result == {"phd": 2, "placement": 1, "knowledge_summary": 1}
    assert portfolio.organisation_counts(usn) == {"knowledge_summary": 1}


def test_type_counts_follow_the_order_of_the_types():
    rows = portfolio.type_counts({"placement": 1, "phd": 3, "network": 0})
    assert [(r.activity_type, r.count) for r in rows] == [("phd", 3), ("placement", 1)]


def reported_partnership() -> Partnership:
    result = ReportedResult.objects.exclude(count=None).exclude(source_url="").first()
    assert result is not None, "the bundled dataset has reported results with counts"
    return result.partnership


def test_the_profile_counts_the_portfolio_beside_the_reported_figures(client, make_activity):
    p = reported_partnership()
    reported = p.reported_results.exclude(count=None).exclude(source_url="").first()
    make_activity(activity_type="phd", partnerships=[p])
    make_activity(activity_type="public_sector_phd", partnerships=[p])
    make_activity(activity_type="public_sector_phd", partnerships=[p])
    make_activity(activity_type="placement", partnerships=[p])
    make_activity(activity_type="network", partnerships=[p], is_public=False)

    profile = Profile(profile_queryset().get(pk=p.pk))
    rows = {row.activity_type: row for row in profile.results}
    assert rows["public_sector_phd"].counted == 2
    assert rows["phd"].counted == 1
    assert rows["placement"].counted == 1 and rows["placement"].reported == []
    assert "network" not in rows or rows["network"].counted == 0  # not public
    assert profile.portfolio_total == 4

    client.cookies["django_language"] = "en"
    html = client.get(p.get_absolute_url()).content.decode()
    section = html[html.index('id="results"') : html.index('id="years"')]
    assert "Counted from the portfolio" in section
    assert f'href="/partnerships/{p.slug}/portfolio/?type=public_sector_phd">2</a>' in section
    # what was reported stays, with its source
    assert reported.description[:40] in section
    assert reported.source_url in section
    assert f"/partnerships/{p.slug}/portfolio/" in html[: html.index('id="participants"')]


def test_a_profile_without_activities_still_shows_what_was_reported(client):
    p = reported_partnership()
    profile = Profile(profile_queryset().get(pk=p.pk))
    assert profile.portfolio_total == 0
    assert all(row.counted in (0, None) for row in profile.results)
    assert sum(len(row.reported) for row in profile.results) == p.reported_results.count()


def test_the_organisation_page_links_its_portfolio_with_counts(client, counted):
    client.cookies["django_language"] = "en"
    html = client.get("/organisations/3301/").content.decode()
    section = html[html.index('id="portfolio-heading"') :]
    section = section[: section.index("</section>")]
    assert "4 activities" in section
    assert 'href="/organisations/3301/portfolio/?type=phd">' in section
    assert 'href="/organisations/3301/portfolio/"' in section
