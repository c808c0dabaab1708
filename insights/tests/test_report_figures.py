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
    assert c["municipalities"] == municipalities.count() == 29
    assert c["municipalities_stated"] == 34  # KHO Nord: 6 stated, 1 named
    assert [
        (i["partnership"].slug, i["stated"], i["named"]) for i in c["municipalities_incomplete"]
    ] == [("kunnskapskommunen-helseomsorg-nord", 6, 1)]
    assert (c["knowledge_institutions_academic"], c["knowledge_institutions_hospitals"]) == (15, 2)
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


def test_initiative_is_academia_against_municipal_or_mutual():
    c = build_report().chapter("initiative").data
    academia = Partnership.objects.filter(initiative="academia").count()
    assert c["by_group"] == {
        "academia": academia,
        "municipal_or_mutual": Partnership.objects.exclude(initiative__in=["", "academia"]).count(),
    }
    assert (c["by_group"]["academia"], c["by_group"]["municipal_or_mutual"]) == (4, 11)
    Partnership.objects.filter(slug="usn-skien").update(initiative="")
    c = build_report().chapter("initiative").data
    assert c["by_group"]["unknown"] == 1
    assert sum(c["by_group"].values()) == Partnership.objects.count()


def test_the_findings_are_counted_over_the_scope():
    report = build_report()
    national = {f.key: f for f in report.chapter("findings").data["findings"]}
    assert national["initiative"].figures["academia"] == 4
    assert national["agreements"].figures["pandemic"] == 5
    assert national["anchoring"].figures["top_both_sides"] == 8
    one = build_report(partnership="usn-drammen").chapter("findings").data["findings"]
    assert [f.figures["partnerships"] for f in one] == [1, 1, 1, 1]
    assert report.vintage["at_compilation"] == 14


def test_motor_municipalities_are_the_current_leads():
    c = build_report().chapter("motor").data
    led = Partnership.objects.filter(
        memberships__role="lead", memberships__valid_to__isnull=True
    ).count()
    assert c["with_lead"] == led
    assert c["without_lead"] == Partnership.objects.count() - led
    assert c["clusters"] == Partnership.objects.filter(kind="cluster").count()


def test_the_timeline_counts_every_dated_partnership_periods_included():
    with translation.override("en"):
        c = build_report().chapter("timeline").data
    roots = list(Partnership.objects.exclude(roots_year=None).values_list("roots_year", flat=True))
    assert c["earliest_roots"]["year"] == min(roots) == 1988
    assert c["earliest_roots"]["label"] == "1988 (Vestvågøy)"
    assert c["with_roots"] == len(roots) == 13  # Kristiansand's early 2000s included
    rows = {r["slug"]: r for r in c["timeline"]}
    assert rows["kristiansand-uia"]["roots"] == "tidlig 2000-tall"
    assert (rows["kristiansand-uia"]["roots_from"], rows["kristiansand-uia"]["roots_to"]) == (
        2000,
        2004,
    )
    assert c["timeline"][1]["slug"] == "kristiansand-uia"  # sorted by its first year
    kristiansand = next(r for r in c["chart"]["rows"] if r["slug"] == "kristiansand-uia")
    assert kristiansand["roots_is_period"]
    assert (
        kristiansand["roots_block"]["width"]
        > next(r for r in c["chart"]["rows"] if r["slug"] == "usn-drammen")["roots_block"]["width"]
    )
    assert c["with_agreement"] == Partnership.objects.exclude(agreement_year=None).count()


def test_themes_are_counted_per_partnership():
    c = build_report().chapter("themes").data
    expected = {
        t.name: t.n
        for t in Theme.objects.annotate(n=Count("partnerships", distinct=True)).filter(n__gt=0)
    }
    assert {r["theme"].name: r["count"] for r in c["themes"]} == expected


def test_results_keep_their_units_and_are_never_summed(partnership):
    ReportedResult.objects.filter(partnership=partnership).delete()
    ReportedResult.objects.create(
        partnership=partnership,
        result_type="research_project",
        count=96,
        unit="ongoing_projects",
        description="Pågående forskningssamarbeid.",
    )
    ReportedResult.objects.create(
        partnership=partnership,
        result_type="research_project",
        count=9,
        unit="applications_funded",
        description="Innvilgede søknader.",
    )
    with translation.override("en"):
        c = build_report(partnership=partnership.slug).chapter("results").data
    [research] = [r for r in c["reported"] if r["type"] == "research_project"]
    texts = [f["text"] for f in research["figures"]]
    assert sorted(texts) == ["9 funded applications", "96 ongoing research collaborations"]
    assert all("105" not in t for t in texts)
    assert "sum" not in research


def test_a_count_of_needs_submitted_is_not_a_count_of_knowledge_summaries():
    with translation.override("en"):
        c = build_report().chapter("results").data
    [summaries] = [r for r in c["reported"] if r["type"] == "knowledge_summary"]
    [figure] = summaries["figures"]
    assert figure["text"] == "123 knowledge needs submitted"
    assert figure["unit"] == "needs_submitted"


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
