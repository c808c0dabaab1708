"""anchoring_gaps: each rule found, not found, and silent where nothing tells.

A gap the sources state (``stated``) is told apart from one that is only not
recorded; the levels follow the taxonomy (a board is above the rectorate,
sector management is not the service level).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from activities.models import Activity
from insights.rules import anchoring_gaps
from partnerships.choices import AgreementKind, AnchoringLevel, BodyKind, Evidence, Role
from partnerships.models import Agreement, Body

from .helpers import anchor, bare_partnership, free_municipalities, institution, member

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 1)


def codes(p, today=TODAY) -> list[str]:
    return [g.code for g in anchoring_gaps(p, today=today)]


@pytest.fixture
def p():
    return bare_partnership()


@pytest.fixture
def kommune():
    return free_municipalities(1)[0]


def test_a_partnership_with_nothing_recorded_has_only_the_no_anchoring_gap(p):
    assert codes(p) == ["no_anchoring"]


def test_every_gap_says_what_is_missing_and_what_would_close_it(p):
    gap = anchoring_gaps(p, today=TODAY)[0]
    assert gap.severity == "high" and gap.title and gap.explanation and gap.remedy


def test_any_anchoring_closes_the_no_anchoring_gap(p, kommune):
    anchor(p, AnchoringLevel.SERVICE_LEVEL, kommune)
    assert "no_anchoring" not in codes(p)


def test_top_anchoring_without_service_level_is_a_gap(p, kommune):
    anchor(p, AnchoringLevel.POLITICAL, kommune)
    assert "top_without_service_level" in codes(p)


def test_a_professional_group_closes_the_service_level_gap(p, kommune):
    anchor(p, AnchoringLevel.ADMINISTRATIVE_TOP, kommune)
    Body.objects.create(partnership=p, name="Fagråd", kind=BodyKind.PROFESSIONAL_GROUP)
    assert "top_without_service_level" not in codes(p)


def test_service_level_anchoring_closes_the_service_level_gap(p, kommune):
    anchor(p, AnchoringLevel.POLITICAL, kommune)
    anchor(p, AnchoringLevel.SERVICE_LEVEL, kommune)
    assert "top_without_service_level" not in codes(p)


def gap(p, code):
    found = [g for g in anchoring_gaps(p, today=TODAY) if g.code == code]
    assert len(found) == 1, codes(p)
    return found[0]


ACADEMIC_CODES = {"academic_below_rectorate", "academic_top_not_recorded"}


def test_academic_anchoring_at_faculty_only_is_not_recorded_at_the_top_naming_the_party(p):
    uni = institution()
    anchor(p, AnchoringLevel.FACULTY, uni)
    g = gap(p, "academic_top_not_recorded")
    assert g.party == str(uni) and g.severity == "low" and g.stated is False
    assert "academic_below_rectorate" not in codes(p)


def test_academic_anchoring_the_partnership_states_only_below_the_top_is_stated(p):
    anchor(p, AnchoringLevel.INSTITUTE, institution(), evidence=Evidence.STATEMENT)
    g = gap(p, "academic_below_rectorate")
    assert g.stated is True and g.severity == "medium"
    assert "academic_top_not_recorded" not in codes(p)


def test_a_rectorate_stated_as_absent_makes_the_gap_stated(p):
    uni = institution()
    anchor(p, AnchoringLevel.FACULTY, uni)
    anchor(p, AnchoringLevel.RECTORATE, uni, absent=True)
    with translation.override("en"):
        g = gap(p, "academic_below_rectorate")
    assert g.stated is True and "The sources state" in g.explanation
    assert len(g.evidence) == 2


def test_a_described_academic_party_is_named_with_the_academic_partners(p):
    member(p, institution("test-uit"), Role.ACADEMIC_PARTNER)
    member(p, institution("test-nord"), Role.ACADEMIC_PARTNER)
    anchor(p, AnchoringLevel.FACULTY, label="universitetene", evidence=Evidence.STATEMENT)
    assert gap(p, "academic_below_rectorate").party == "universitetene (Test Nord, Test Uit)"


@pytest.mark.parametrize("top", [AnchoringLevel.RECTORATE, AnchoringLevel.BOARD])
def test_a_rectorate_or_a_board_above_it_closes_the_academic_gap(p, top):
    uni = institution()
    anchor(p, AnchoringLevel.FACULTY, uni, evidence=Evidence.STATEMENT)
    anchor(p, top, uni)
    assert not ACADEMIC_CODES & set(codes(p))


def test_no_academic_anchoring_is_not_judged_by_the_academic_rule(p, kommune):
    anchor(p, AnchoringLevel.POLITICAL, kommune)
    anchor(p, AnchoringLevel.OTHER, label="universitetene og instituttene")
    assert not ACADEMIC_CODES & set(codes(p))


def test_a_stated_absence_is_no_anchoring(p):
    anchor(p, AnchoringLevel.RECTORATE, institution(), absent=True)
    assert "no_anchoring" in codes(p)


def test_sector_management_is_not_the_service_level(p, kommune):
    anchor(p, AnchoringLevel.POLITICAL, kommune)
    anchor(p, AnchoringLevel.SECTOR_MANAGEMENT, label="alle medlemskommunene")
    Body.objects.create(partnership=p, name="Kommunegruppe", kind=BodyKind.MUNICIPAL_GROUP)
    g = gap(p, "top_without_service_level")
    assert g.stated is False and g.severity == "low"


def test_a_service_level_the_sources_state_as_absent_is_a_stated_gap(p, kommune):
    anchor(p, AnchoringLevel.POLITICAL, kommune)
    anchor(p, AnchoringLevel.SERVICE_LEVEL, kommune, absent=True)
    g = gap(p, "service_level_absent")
    assert g.stated is True and g.party == str(kommune)
    assert "top_without_service_level" not in codes(p)


def test_the_same_kind_of_body_is_coded_at_the_same_level(p, kommune):
    Body.objects.create(partnership=p, name="Kommunegruppe", kind=BodyKind.MUNICIPAL_GROUP)
    a = anchor(
        p, AnchoringLevel.SERVICE_LEVEL, label="alle medlemskommunene", body="Kommunegruppen"
    )
    g = gap(p, "body_level_mismatch")
    assert g.severity == "low" and g.stated is None
    a.level = AnchoringLevel.SECTOR_MANAGEMENT
    a.save()
    assert "body_level_mismatch" not in codes(p)


def test_every_gap_code_has_a_filter_label():
    from insights.rules import GAP_CODES, gap_code_labels

    assert list(gap_code_labels()) == GAP_CODES


def agreement(p, valid_to, kind=AgreementKind.FRAMEWORK, valid_from=None):
    return Agreement.objects.create(
        partnership=p, title="Avtale", kind=kind, valid_to_year=valid_to, valid_from_year=valid_from
    )


def test_an_expired_agreement_is_a_high_gap_and_never_running(p):
    agreement(p, 2025)
    with translation.override("en"):
        g = gap(p, "agreement_expired")
    assert g.severity == "high" and g.stated is True and "not running now" in g.explanation


def test_an_agreement_ending_this_year_expires_within_six_months_in_the_second_half(p):
    agreement(p, 2026)
    assert "agreement_expiring" in codes(p, today=date(2026, 7, 1))
    assert "agreement_expiring" not in codes(p, today=date(2026, 6, 30))


def test_a_renewed_agreement_closes_the_expiry_gaps(p):
    agreement(p, 2025, valid_from=2021)
    agreement(p, 2029, valid_from=2026)
    assert "agreement_expired" not in codes(p)


def test_an_agreement_without_an_end_never_expires(p):
    agreement(p, None)
    assert not {"agreement_expired", "agreement_expiring"} & set(codes(p))


def test_a_member_municipality_without_anchoring_is_a_gap(p):
    a, b = free_municipalities(2)
    member(p, a, Role.LEAD)
    member(p, b)
    anchor(p, AnchoringLevel.POLITICAL, a)
    gaps = [g for g in anchoring_gaps(p, today=TODAY) if g.code == "member_without_anchoring"]
    assert [g.party for g in gaps] == [str(b)]


def test_anchoring_for_all_member_municipalities_covers_every_member(p):
    a, b = free_municipalities(2)
    member(p, a, Role.LEAD)
    member(p, b)
    anchor(p, AnchoringLevel.POLITICAL, label="Alle medlemskommunene")
    assert "member_without_anchoring" not in codes(p)


def test_a_described_party_that_names_members_anchors_them(p):
    a, b, c = free_municipalities(3)
    member(p, a, Role.LEAD)
    member(p, b)
    member(p, c)
    anchor(p, AnchoringLevel.POLITICAL, a)
    anchor(p, AnchoringLevel.ADMINISTRATIVE_TOP, label=f"{b.name} og {c.name} kommune")
    assert "member_without_anchoring" not in codes(p)


def test_former_members_need_no_anchoring(p):
    a, b = free_municipalities(2)
    member(p, a, Role.LEAD)
    member(p, b, valid_to=date(2020, 1, 1))
    anchor(p, AnchoringLevel.POLITICAL, a)
    assert "member_without_anchoring" not in codes(p)


def test_activities_without_a_strategic_owner_are_a_gap(p, kommune):
    activity = Activity.objects.create(title="Prosjekt", activity_type="research_project")
    activity.partnerships.add(p)
    gap = [g for g in anchoring_gaps(p, today=TODAY) if g.code.startswith("activities")]
    assert gap and "1" in gap[0].explanation


def test_activities_with_a_strategic_owner_are_no_gap(p, kommune):
    activity = Activity.objects.create(
        title="Prosjekt", activity_type="research_project", strategic_owner=kommune
    )
    activity.partnerships.add(p)
    assert "activities_without_strategic_owner" not in codes(p)


def test_the_bundled_partnerships_all_pass_through_the_rules():
    from insights.rules import attach_unowned_counts, rules_queryset

    for p in attach_unowned_counts(list(rules_queryset())):
        for gap in anchoring_gaps(p):
            assert gap.severity in {"high", "medium", "low"}
