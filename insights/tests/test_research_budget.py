"""ResearchBudget: the share of the operating budget set aside for research."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partnerships.models import ResearchBudget

from .helpers import free_municipalities

pytestmark = pytest.mark.django_db


@pytest.fixture
def kommune():
    return free_municipalities(1)[0]


def test_its_share_is_the_research_amount_over_the_operating_budget(kommune):
    b = ResearchBudget(
        organisation=kommune, year=2025, operating_budget_nok=1000, research_amount_nok=25
    )
    assert b.share == Decimal("0.025")
    b.operating_budget_nok = 0
    b.research_amount_nok = 0
    assert b.share is None


@pytest.mark.parametrize(
    "total, amount",
    [(-1, 0), (100, -1), (100, 101)],
)
def test_it_refuses_negative_amounts_and_more_than_the_budget(kommune, total, amount):
    b = ResearchBudget(
        organisation=kommune, year=2025, operating_budget_nok=total, research_amount_nok=amount
    )
    with pytest.raises(ValidationError):
        b.full_clean()


def test_it_keeps_one_budget_per_municipality_and_year(kommune):
    ResearchBudget.objects.create(
        organisation=kommune, year=2025, operating_budget_nok=10, research_amount_nok=1
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        ResearchBudget(
            organisation=kommune, year=2025, operating_budget_nok=10, research_amount_nok=1
        ).full_clean()
    assert "already has a research budget" in str(caught.value)


def test_its_changes_are_kept_in_history(kommune):
    b = ResearchBudget.objects.create(
        organisation=kommune, year=2025, operating_budget_nok=10, research_amount_nok=1
    )
    b.research_amount_nok = 2
    b.save()
    assert b.history.count() == 2
