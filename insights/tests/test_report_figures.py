"""The report's figures match counts taken independently from the database."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q, Sum
from django.utils import translation

from activities.models import Activity
from insights.report import ReportScopeError, build_report
from insights.tests.report_fixtures import add_activities, empty_county
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from partnerships.choices import AnchoringLevel
from partnerships.models import Partnership, ReportedResult, Theme

pytestmark = pytest.mark.django_db

CURRENT = Q(
    memberships__valid_to__isnull=True, memberships__partnership__in=Partnership.objects.all()
)


def member_orgs(kinds):
    return Organisation.objects.filter(CURRENT, kind__in=kinds).distinct()


def test_who_takes_part_is_counted_from_the_memberships():
    c = build_report().chapter("participants").data
    municipalities = member_orgs([OrganisationKind.MUNICIPALITY])
    assert c["partnerships"] == Partnership.objects.count()
    assert c["municipalities"] == municipalities.count()
    assert c["knowledge_institutions"] == member_orgs(KNOWLEDGE_KINDS).count()
    population = Organisation.objects.filter(pk__in=municipalities.values("pk")).aggregate(
        s=Sum("population")
    )["s"]
    assert population and c["population"] == population
    assert c["by_kind"]["cluster"] == Partnership.objects.filter(kind="cluster").count()


def test_anchoring_is_counted_per_level():
    c = build_report().chapter("anchoring").data
    expected = {
        str(label): Partnership.objects.filter(anchorings__level=value).distinct().count()
        for value, label in AnchoringLevel.choices
    }
    assert dict(c["per_level"]) == expected
    none = Partnership.objects.annotate(n=Count("anchorings")).filter(n=0).count()
    assert len(c["without_anchoring"]) == none


def test_initiative_is_folded_into_sides():
    c = build_report().chapter("initiative").data
    assert c["by_side"]["academia"] == Partnership.objects.filter(initiative="academia").count()
    assert (
        c["by_side"]["municipality"]
        == Partnership.objects.filter(initiative__startswith="municipality").count()
    )
    assert c["by_side"]["unknown"] == Partnership.objects.filter(initiative="").count()
    assert sum(c["by_side"].values()) == Partnership.objects.count()


def test_motor_municipalities_are_the_current_leads():
    c = build_report().chapter("motor").data
    led = Partnership.objects.filter(
        memberships__role="lead", memberships__valid_to__isnull=True
    ).count()
    assert c["with_lead"] == led
    assert c["without_lead"] == Partnership.objects.count() - led
    assert c["clusters"] == Partnership.objects.filter(kind="cluster").count()


def test_the_timeline_spans_the_recorded_years():
    c = build_report().chapter("timeline").data
    roots = list(Partnership.objects.exclude(roots_year=None).values_list("roots_year", flat=True))
    assert c["earliest_roots"] == min(roots)
    assert c["with_roots"] == len(roots)
    assert sum(y["roots"] for y in c["timeline"]) == len(roots)


def test_themes_are_counted_per_partnership():
    c = build_report().chapter("themes").data
    expected = {
        t.name: t.n
        for t in Theme.objects.annotate(n=Count("partnerships", distinct=True)).filter(n__gt=0)
    }
    assert {r["theme"].name: r["count"] for r in c["themes"]} == expected


def test_results_count_reports_and_public_portfolio_activities(partnership, other_partnership):
    add_activities([partnership, other_partnership], partnership.memberships.first().organisation)
    with translation.override("en"):
        c = build_report().chapter("results").data
    assert c["reported_total"] == ReportedResult.objects.count()
    public = Activity.objects.filter(is_public=True, partnerships__isnull=False).distinct()
    assert c["portfolio_total"] == public.count() == 3  # counted once, though in two portfolios
    assert c["portfolio"] == [("Research project", 3)]  # the private PhD is not counted


def test_a_county_narrows_to_its_partnerships():
    bergen = Organisation.objects.get(municipality_number="4601")
    county = bergen.parent
    report = build_report(county=county.slug)
    expected = set(
        Partnership.objects.filter(
            memberships__valid_to__isnull=True, memberships__organisation__parent=county
        ).values_list("slug", flat=True)
    )
    got = {p.partnership.slug for p in report.chapter("profiles").data["profiles"]}
    assert got == expected
    assert "kunnskapskommunen-helseomsorg-vest" in got
    assert report.partnership_count == len(expected) < Partnership.objects.count()


def test_one_partnership_narrows_to_it(partnership):
    report = build_report(partnership=partnership.slug)
    c = report.chapter("participants").data
    assert report.partnership_count == 1
    assert (
        c["municipalities"]
        == partnership.memberships.filter(valid_to=None, organisation__kind="municipality").count()
    )


def test_an_empty_county_gives_an_empty_report_without_failing():
    report = build_report(county=empty_county().slug)
    assert report.partnership_count == 0
    assert report.chapter("participants").data["population"] is None
    assert report.chapter("timeline").data["chart"] is None
    assert report.chapter("results").data["portfolio_total"] == 0


@pytest.mark.parametrize(
    "scope", [{"county": "finnes-ikke"}, {"partnership": "finnes-ikke"}, {"county": "bergen"}]
)
def test_an_unknown_slug_is_refused(scope):
    with pytest.raises(ReportScopeError):
        build_report(**scope)
