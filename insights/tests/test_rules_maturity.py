"""suggest_maturity: 1.0, 2.0, 3.0 or no suggestion, with reasons, a next step and
what decided it; a stated level wins over the suggestion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from insights.rules import suggest_maturity
from partnerships.choices import AnchoringLevel, BodyKind, Maturity, Role
from partnerships.models import Body, Theme

from .helpers import anchor, bare_partnership, free_municipalities, institution, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def p():
    return bare_partnership()


def add_themes(p, n):
    themes = list(Theme.objects.all()[:n])
    assert len(themes) == n
    p.themes.add(*themes)


def test_with_nothing_recorded_nothing_is_suggested_and_the_next_step_says_what_to_record(p):
    s = suggest_maturity(p)
    assert s.suggested == "" and s.stated == ""
    assert s.reasons and s.next_step


def test_a_campus_inside_a_member_municipality_suggests_1_0(p):
    member(p, free_municipalities(1)[0], Role.LEAD, hosts_campus=True)
    s = suggest_maturity(p)
    assert s.suggested == "1.0" and "2.0" in s.next_step


def test_no_campus_and_no_bodies_suggests_nothing(p):
    member(p, free_municipalities(1)[0], Role.LEAD, hosts_campus=False)
    assert suggest_maturity(p).suggested == ""


def test_bodies_in_a_few_fields_suggest_2_0_and_name_what_3_0_needs(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 2)
    s = suggest_maturity(p)
    assert s.suggested == "2.0" and "3.0" in s.next_step


def top_on_both_sides(p):
    anchor(p, AnchoringLevel.POLITICAL, free_municipalities(1)[0])
    anchor(p, AnchoringLevel.RECTORATE, institution())


def test_bodies_coordinators_five_themes_and_top_anchoring_on_both_sides_suggest_3_0(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 5)
    p.coordinator_fte = Decimal("1.5")
    p.save()
    s = suggest_maturity(p)
    assert s.suggested == "2.0" and "top anchoring on both sides" in s.next_step
    top_on_both_sides(p)
    s = suggest_maturity(p)
    assert s.suggested == s.level == "3.0"
    assert s.decided_by.startswith("Suggested from the records: 3.0")


def test_a_board_counts_as_the_academic_top(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 5)
    p.coordinator_fte = Decimal("1")
    p.save()
    anchor(p, AnchoringLevel.POLITICAL, free_municipalities(1)[0])
    anchor(p, AnchoringLevel.BOARD, institution())
    assert suggest_maturity(p).suggested == "3.0"


def test_five_themes_without_coordinator_capacity_stay_at_2_0(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 5)
    assert suggest_maturity(p).suggested == "2.0"


def test_the_stated_level_is_kept_beside_the_suggestion(p):
    p.maturity = Maturity.V3
    p.save()
    s = suggest_maturity(p)
    assert s.stated == s.level == "3.0" and s.suggested == "" and not s.differs


def test_a_stated_level_wins_over_a_different_suggestion_and_says_so(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 2)
    p.maturity = Maturity.V3
    p.save()
    s = suggest_maturity(p)
    assert s.level == "3.0" and s.suggested == "2.0" and s.differs
    assert s.decided_by == (
        "Stated by the sources: 3.0. A stated level wins over the suggestion. "
        "The records alone suggest 2.0."
    )


def test_with_too_few_records_the_decision_says_so(p):
    assert suggest_maturity(p).decided_by == (
        "No level is stated, and the records are too few to suggest one."
    )
