"""suggest_maturity: 1.0, 2.0, 3.0 or no suggestion, with reasons and a next step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from insights.rules import suggest_maturity
from partnerships.choices import BodyKind, Maturity, Role
from partnerships.models import Body, Theme

from .helpers import bare_partnership, free_municipalities, member

pytestmark = pytest.mark.django_db


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


def test_bodies_coordinators_and_five_themes_suggest_3_0(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 5)
    p.coordinator_fte = Decimal("1.5")
    p.save()
    assert suggest_maturity(p).suggested == "3.0"


def test_five_themes_without_coordinator_capacity_stay_at_2_0(p):
    Body.objects.create(partnership=p, name="Styringsgruppe", kind=BodyKind.STEERING_GROUP)
    add_themes(p, 5)
    assert suggest_maturity(p).suggested == "2.0"


def test_the_stated_level_is_kept_beside_the_suggestion(p):
    p.maturity = Maturity.V3
    p.save()
    s = suggest_maturity(p)
    assert s.stated == "3.0" and s.suggested == "" and not s.differs
