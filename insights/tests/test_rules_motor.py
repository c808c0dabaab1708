"""motor_assessments: the role and the KSF criteria, met / not met / unknown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from core.testing import add_partnerships
from insights.rules import motor_assessment, motor_assessments
from organisations.models import Organisation
from partnerships.choices import BodyKind, Initiative, PartnershipKind, Role
from partnerships.models import Body, Plan, ResearchBudget

from .helpers import bare_partnership, free_municipalities, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return free_municipalities(1)[0]


@pytest.fixture
def p(lead):
    p = bare_partnership(kind=PartnershipKind.BILATERAL)
    member(p, lead, Role.LEAD)
    return p


def criterion(lead, code):
    a = motor_assessment(lead)
    return next(c for c in a.role + a.criteria if c.code == code)


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


def test_with_nothing_recorded_every_ksf_criterion_and_the_overall_status_are_unknown(p, lead):
    a = motor_assessment(lead)
    assert [c.status for c in a.criteria] == ["unknown"] * 3
    assert a.status == "unknown"
    assert [c.evidence for c in a.criteria] == [[], [], []]


def test_leading_a_cluster_is_met_and_leading_alone_is_not(p, lead):
    assert criterion(lead, "leads_cluster").status == "not_met"
    p.kind = PartnershipKind.CLUSTER
    p.save()
    assert criterion(lead, "leads_cluster").status == "met"


def test_running_it_for_all_needs_a_secretariat_or_coordinator_capacity(p, lead):
    assert criterion(lead, "runs_for_all").status == "unknown"
    p.coordinator_fte = Decimal("0")
    p.save()
    assert criterion(lead, "runs_for_all").status == "not_met"
    Body.objects.create(partnership=p, name="Sekretariat", kind=BodyKind.SECRETARIAT)
    c = criterion(lead, "runs_for_all")
    assert c.status == "met" and "Sekretariat" in c.evidence[0].text


def test_initiative_from_the_municipality_is_met_from_academia_not_met(p, lead):
    assert criterion(lead, "initiative").status == "unknown"
    p.initiative = Initiative.ACADEMIA
    p.save()
    assert criterion(lead, "initiative").status == "not_met"
    p.initiative = Initiative.MUNICIPALITY_POLITICAL
    p.save()
    assert criterion(lead, "initiative").status == "met"


def add_activity(p, kind="research_project", **fields):
    a = Activity.objects.create(title=f"A {kind}", activity_type=kind, **fields)
    a.partnerships.add(p)
    return a


def test_ambition_is_not_met_with_one_activity_and_met_with_two_types(p, lead):
    add_activity(p)
    assert criterion(lead, "ambition_experience").status == "not_met"
    add_activity(p, "phd")
    assert criterion(lead, "ambition_experience").status == "met"


def test_ambition_counts_activities_the_municipality_owns_outside_its_partnerships(p, lead):
    for _i in range(3):
        Activity.objects.create(title="Own", activity_type="network", professional_owner=lead)
    assert criterion(lead, "ambition_experience").status == "met"


def test_ambition_ignores_activities_in_the_trash(p, lead):
    add_activity(p).move_to_trash(None)
    assert criterion(lead, "ambition_experience").status == "unknown"


def budget(lead, year, amount, total=1_000_000):
    return ResearchBudget.objects.create(
        organisation=lead, year=year, operating_budget_nok=total, research_amount_nok=amount
    )


def test_the_latest_research_budget_decides(p, lead):
    budget(lead, 2024, 1000)
    assert criterion(lead, "research_budget").status == "met"
    budget(lead, 2025, 0)
    c = criterion(lead, "research_budget")
    assert c.status == "not_met" and "2025" in c.evidence[0].text


def test_a_politically_adopted_plan_is_met_and_plans_of_unknown_status_are_unknown(p, lead):
    plan = Plan.objects.create(organisation=lead, name="FoU-plan", politically_adopted=None)
    assert criterion(lead, "adopted_plan").status == "unknown"
    plan.politically_adopted = False
    plan.save()
    assert criterion(lead, "adopted_plan").status == "not_met"
    Plan.objects.create(organisation=lead, name="Ny plan", politically_adopted=True)
    c = criterion(lead, "adopted_plan")
    assert c.status == "met" and [e.text for e in c.evidence] == ["Ny plan"]


def test_overall_met_when_all_ksf_criteria_are_met_and_not_met_when_one_is_not(p, lead):
    add_activity(p)
    add_activity(p, "phd")
    budget(lead, 2025, 5000)
    Plan.objects.create(organisation=lead, name="Plan", politically_adopted=True)
    assert motor_assessment(lead).status == "met"
    budget(lead, 2026, 0)
    assert motor_assessment(lead).status == "not_met"


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_its_query_count_does_not_grow_with_the_data():
    small = count(motor_assessments)
    add_partnerships(8)
    assert count(motor_assessments) == small
