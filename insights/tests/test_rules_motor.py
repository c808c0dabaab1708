"""motor_assessments: the compilation's role and KSF's criteria from constructed evidence.

Each rule is tried met / not met / unknown / not applicable, and each verdict
must say what decided it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from activities.models import Activity
from insights.rules import (
    AGREEMENT,
    PLAN,
    POLITICAL_CASE,
    Criterion,
    clusters_without_lead,
    motor_assessment,
    motor_assessments,
    overall_status,
    plan_kind,
)
from organisations.models import Organisation
from partnerships.choices import (
    AgreementKind,
    BodyKind,
    Initiative,
    PartnershipKind,
    Role,
    StatementTopic,
)
from partnerships.models import Agreement, Body, Plan, ResearchBudget
from tests.support.testing import add_partnerships

from .helpers import bare_partnership, free_municipalities, member, result, statement

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def lead():
    return free_municipalities(1)[0]


@pytest.fixture
def p(lead):
    """A bilateral partnership the municipality leads."""
    p = bare_partnership(kind=PartnershipKind.BILATERAL)
    member(p, lead, Role.LEAD)
    return p


@pytest.fixture
def cluster(lead):
    """A cluster of three named municipalities the municipality leads."""
    c = bare_partnership("klynge", kind=PartnershipKind.CLUSTER)
    member(c, lead, Role.LEAD)
    for other in free_municipalities(3)[1:]:
        member(c, other)
    return c


def assessment(lead):
    return motor_assessment(lead, today=TODAY)


def criterion(lead, code):
    a = assessment(lead)
    return next(c for c in a.role + a.criteria if c.code == code)


def texts(c) -> str:
    return " | ".join(e.text for e in c.evidence)


# ------------------------------------------------------------ who is assessed


def test_every_current_lead_is_assessed_and_nobody_else():
    leads = set(
        Organisation.objects.filter(
            memberships__role=Role.LEAD, memberships__valid_to__isnull=True
        ).values_list("pk", flat=True)
    )
    assert {a.organisation.pk for a in motor_assessments()} == leads


def test_a_municipality_that_leads_nothing_has_no_assessment(lead):
    assert motor_assessment(lead) is None
    assert motor_assessment(None) is None


def test_a_cluster_without_a_lead_municipality_is_listed_apart(lead):
    c = bare_partnership("uten-leder", kind=PartnershipKind.CLUSTER, lead_note="Regionrådet.")
    for m in free_municipalities(3):
        member(c, m)
    assert c in clusters_without_lead()
    assert bare_partnership("bilateral-uten-leder") not in clusters_without_lead()


# ------------------------------------------------------------ the role


def test_with_nothing_recorded_a_bilateral_lead_is_not_applicable_and_ksf_unknown(p, lead):
    a = assessment(lead)
    assert [c.status for c in a.role] == ["not_applicable"] * 3
    assert [c.status for c in a.criteria] == ["unknown"] * 3
    assert a.status == "not_applicable" and a.ksf_status == "unknown"
    assert a.verdict == (
        "The term motor municipality does not apply: it leads no cluster and no source uses "
        "the term for it; KSF criteria: 0 of 3 met, 3 unknown"
    )
    assert all(c.decided_by for c in a.role + a.criteria)


def test_leading_a_cluster_is_met_and_says_how_many_municipalities(cluster, lead):
    c = criterion(lead, "leads_cluster")
    assert c.status == "met"
    assert texts(c) == "Klynge: leads a cluster of 3 municipalities"


def test_leading_a_cluster_uses_the_stated_number_when_members_are_not_all_named(cluster, lead):
    cluster.stated_municipality_count = 6
    cluster.save()
    assert texts(criterion(lead, "leads_cluster")).endswith(
        "leads a cluster of 6 municipalities, 3 named"
    )


def test_leading_a_bilateral_or_multilateral_partnership_is_not_applicable_with_the_reason(p, lead):
    c = criterion(lead, "leads_cluster")
    assert c.status == "not_applicable" and "bilateral" in texts(c)
    p.kind = PartnershipKind.MULTILATERAL
    p.save()
    c = criterion(lead, "leads_cluster")
    assert c.status == "not_applicable" and "multilateral" in texts(c)


def test_running_the_cluster_for_all_needs_a_secretariat_or_coordinator_capacity(cluster, lead):
    Body.objects.create(partnership=cluster, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    c = criterion(lead, "runs_for_all")
    assert c.status == "unknown" and "Styringsgruppe" in texts(c)
    cluster.coordinator_fte = Decimal("0")
    cluster.save()
    assert criterion(lead, "runs_for_all").status == "not_met"
    cluster.coordinator_fte = Decimal("0.80")
    cluster.save()
    c = criterion(lead, "runs_for_all")
    assert c.status == "met" and "coordinator capacity 0.8 FTE" in texts(c)
    cluster.coordinator_fte = None
    cluster.save()
    Body.objects.create(partnership=cluster, name="Sekretariat", kind=BodyKind.SECRETARIAT)
    c = criterion(lead, "runs_for_all")
    assert c.status == "met" and "Sekretariat" in c.evidence[0].text


def test_running_it_for_all_does_not_apply_to_a_bilateral_partnership(p, lead):
    p.coordinator_fte = Decimal("2")
    p.save()
    assert criterion(lead, "runs_for_all").status == "not_applicable"


def test_the_initiative_of_a_cluster_lead_met_not_met_and_unknown(cluster, lead):
    c = criterion(lead, "initiative")
    assert c.status == "unknown" and c.decided_by == "No initiative is recorded."
    cluster.initiative = Initiative.MUNICIPALITY_OR_MUTUAL
    cluster.save()
    assert criterion(lead, "initiative").status == "unknown"
    cluster.initiative = Initiative.ACADEMIA
    cluster.save()
    assert criterion(lead, "initiative").status == "not_met"
    cluster.initiative = Initiative.MUNICIPALITY_POLITICAL
    cluster.initiative_note = "The mayor asked the university."
    cluster.save()
    c = criterion(lead, "initiative")
    assert c.status == "met" and "The mayor asked the university." in texts(c)


def test_the_initiative_does_not_apply_to_a_bilateral_lead_no_source_calls_a_motor(p, lead):
    p.initiative = Initiative.MUNICIPALITY
    p.save()
    c = criterion(lead, "initiative")
    assert c.status == "not_applicable" and "Municipality" in texts(c)


def test_a_statement_calling_a_bilateral_lead_the_motor_meets_the_initiative(p, lead):
    p.initiative = Initiative.MUNICIPALITY_OR_MUTUAL
    p.save()
    s = statement(p, lead, StatementTopic.MOTOR_MUNICIPALITY, text="Kommunen er motoren.")
    c = criterion(lead, "initiative")
    assert c.status == "met"
    assert c.evidence[0].source == s.source_url and "Kommunen er motoren." in texts(c)


# ------------------------------------------------------------ the headline


def test_a_statement_of_the_compilation_makes_it_a_motor_municipality_with_its_citation(
    cluster, lead
):
    s = statement(cluster, lead, StatementTopic.MOTOR_MUNICIPALITY)
    a = assessment(lead)
    assert a.status == "stated"
    assert a.verdict.startswith("Motor municipality according to the compilation; KSF criteria:")
    assert [e.source for e in a.statements] == [s.source_url]


def test_a_statement_of_another_source_is_cited_as_such(cluster, lead):
    statement(cluster, lead, StatementTopic.MOTOR_MUNICIPALITY, url="https://example.org/om")
    assert assessment(lead).verdict.startswith("Motor municipality according to the cited sources;")


def test_a_partnership_that_rejects_the_term_says_so(p, lead):
    s = statement(p, lead, StatementTopic.TERM_REJECTED, text="Vi bruker ikke ordet.")
    a = assessment(lead)
    assert a.status == "term_rejected"
    assert a.verdict.startswith("Rejects the term motor municipality, according to the compilation")
    assert [(e.text, e.source) for e in a.statements] == [("Vi bruker ikke ordet.", s.source_url)]


def test_a_cluster_lead_no_source_names_is_judged_by_the_ksf_criteria(cluster, lead):
    a = assessment(lead)
    assert a.status == a.ksf_status == "unknown"
    assert a.verdict.startswith("Leads a cluster, the motor municipality's role")


def test_the_verdict_counts_met_not_met_and_unknown(p, lead):
    Plan.objects.create(organisation=lead, name="FoU-plan", politically_adopted=True)
    ResearchBudget.objects.create(
        organisation=lead, year=2025, operating_budget_nok=1000, research_amount_nok=0
    )
    assert assessment(lead).verdict.endswith("KSF criteria: 1 of 3 met, 1 not met, 1 unknown")


def test_overall_status_leaves_out_what_does_not_apply():
    def c(status):
        return Criterion("x", "x", status)

    assert overall_status([c("met"), c("not_applicable")]) == "met"
    assert overall_status([c("not_applicable")] * 2) == "not_applicable"
    assert overall_status([c("met"), c("unknown")]) == "unknown"
    assert overall_status([c("unknown"), c("not_met")]) == "not_met"
    assert overall_status([]) == "unknown"


# ------------------------------------------------------------ KSF 1: ambition and experience


def add_activity(p, kind="research_project", **fields):
    a = Activity.objects.create(title=f"A {kind}", activity_type=kind, **fields)
    a.partnerships.add(p)
    return a


def test_ambition_and_experience_is_met_with_results_and_a_sign_of_ambition(p, lead):
    result(p, "network", description="Et ledernettverk")
    c = criterion(lead, "ambition_experience")
    assert c.status == "unknown" and "no sign of ambition" in c.decided_by
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    c = criterion(lead, "ambition_experience")
    assert c.status == "met"
    assert "Et ledernettverk" in texts(c) and "1 body: Styringsgruppe" in texts(c)


def test_ambition_alone_is_unknown(p, lead):
    p.coordinator_fte = Decimal("1")
    p.save()
    c = criterion(lead, "ambition_experience")
    assert c.status == "unknown" and "no results or activities" in c.decided_by


def test_portfolio_activities_count_as_experience_also_outside_its_partnerships(p, lead):
    Plan.objects.create(organisation=lead, name="FoU-plan")
    for _i in range(2):
        Activity.objects.create(title="Own", activity_type="network", professional_owner=lead)
    c = criterion(lead, "ambition_experience")
    assert c.status == "met" and "2 activities in the portfolio" in texts(c)


def test_activities_in_the_trash_do_not_count(p, lead):
    Plan.objects.create(organisation=lead, name="FoU-plan")
    add_activity(p).move_to_trash(None)
    assert criterion(lead, "ambition_experience").status == "unknown"


def test_ambition_is_not_met_when_nothing_is_set_aside_and_nothing_else_shows_it(p, lead):
    result(p)
    budget(lead, 2025, 0)
    c = criterion(lead, "ambition_experience")
    assert c.status == "not_met" and "sets aside nothing" in c.decided_by


def test_result_counts_are_shown_with_their_unit(p, lead):
    result(p, "knowledge_summary", count=123, unit="needs_submitted", description="Pilot")
    assert "(123 knowledge needs submitted): Pilot" in texts(criterion(lead, "ambition_experience"))


# ------------------------------------------------------------ KSF 2: research budget


def budget(lead, year, amount, total=1_000_000):
    return ResearchBudget.objects.create(
        organisation=lead, year=year, operating_budget_nok=total, research_amount_nok=amount
    )


def test_the_latest_research_budget_decides(p, lead):
    c = criterion(lead, "research_budget")
    assert c.status == "unknown" and "No research budget is recorded" in c.decided_by
    budget(lead, 2024, 1000)
    assert criterion(lead, "research_budget").status == "met"
    budget(lead, 2025, 0)
    c = criterion(lead, "research_budget")
    assert c.status == "not_met" and "2025" in c.evidence[0].text and "2025" in c.decided_by


def test_a_fund_in_the_funding_note_is_not_a_research_budget(p, lead):
    p.funding_note = "Kommunens forskningsfond."
    p.save()
    assert criterion(lead, "research_budget").status == "unknown"


# ------------------------------------------------------------ KSF 3: adopted plan


@pytest.mark.parametrize(
    ("kind", "counts_as"),
    [
        ("plan", PLAN),
        ("strategy", PLAN),
        ("political_case", POLITICAL_CASE),
        ("agreement", AGREEMENT),
    ],
)
def test_plan_kind_follows_the_recorded_kind(kind, counts_as):
    assert plan_kind(Plan(name="Universitetskommuneavtalen", kind=kind)) == counts_as


def test_a_politically_adopted_plan_is_met_and_plans_of_unknown_status_are_unknown(p, lead):
    plan = Plan.objects.create(organisation=lead, name="FoU-plan", politically_adopted=None)
    c = criterion(lead, "adopted_plan")
    assert c.status == "unknown" and "not whether a political body adopted it" in c.decided_by
    plan.politically_adopted = False
    plan.save()
    assert criterion(lead, "adopted_plan").status == "not_met"
    Plan.objects.create(
        organisation=lead,
        name="Ny plan",
        adopted_by="Bystyret",
        year=2020,
        politically_adopted=True,
    )
    c = criterion(lead, "adopted_plan")
    assert c.status == "met" and texts(c) == "Ny plan (plan, Bystyret, 2020)"


def test_a_political_case_supports_the_plan_criterion_but_does_not_meet_it(p, lead):
    Plan.objects.create(
        organisation=lead,
        name="Sak om universitetskommunen",
        kind="political_case",
        adopted_by="Formannskapet",
        politically_adopted=True,
    )
    c = criterion(lead, "adopted_plan")
    assert c.status == "unknown"
    assert c.decided_by == (
        "Supported by Sak om universitetskommunen (political case, Formannskapet), "
        "but no adopted plan recorded."
    )


def test_an_agreement_supports_the_plan_criterion_and_an_expired_one_says_so(p, lead):
    Agreement.objects.create(
        partnership=p,
        title="Avtale",
        kind=AgreementKind.FRAMEWORK,
        valid_from_year=2022,
        valid_to_year=2024,
    )
    c = criterion(lead, "adopted_plan")
    assert c.status == "unknown"
    assert c.decided_by == "Supported by 1 agreement, but no adopted plan recorded."
    assert texts(c) == f"{p.name}: Avtale (Partnership agreement, 2022–2024, expired)"


def test_without_plans_or_agreements_the_plan_criterion_is_unknown(p, lead):
    c = criterion(lead, "adopted_plan")
    assert c.status == "unknown" and c.decided_by == "No plan is recorded."


def test_overall_met_when_all_ksf_criteria_are_met_and_not_met_when_one_is_not(cluster, lead):
    result(cluster)
    budget(lead, 2025, 5000)
    Plan.objects.create(organisation=lead, name="Plan", politically_adopted=True)
    a = assessment(lead)
    assert a.status == a.ksf_status == "met"
    assert a.verdict.endswith("KSF criteria: 3 of 3 met")
    budget(lead, 2026, 0)
    assert assessment(lead).status == "not_met"


# ------------------------------------------------------------ cost


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_its_query_count_does_not_grow_with_the_data():
    small = count(motor_assessments)
    add_partnerships(8)
    assert count(motor_assessments) == small
