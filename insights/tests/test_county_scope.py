"""One definition of "the partnerships of a county" (PartnershipQuerySet.in_county):
the partnership list's filter, the gap list's filter and the county report agree
for every county, and one "today": Oslo's date."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.dates import local_today
from insights.report import scoped_base
from organisations.models import Organisation
from partnerships.choices import Role
from partnerships.filtersets import PartnershipFilterSet
from partnerships.models import Membership, Partnership

pytestmark = pytest.mark.django_db


def from_the_list(county) -> set[int]:
    filterset = PartnershipFilterSet({"county": county.slug}, queryset=Partnership.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def from_the_gap_list(client, county) -> int:
    response = client.get(f"/insights/gaps/?county={county.county_number}")
    assert response.status_code == 200
    return response.context["result"]["checked"]


def test_list_gaps_and_report_agree_on_every_county(client, partnership):
    # The cases the three old definitions disagreed on: a county as a member itself,
    # and a municipality that has left.
    agder = Organisation.objects.counties().get(county_number="42")
    Membership.objects.create(partnership=partnership, organisation=agder, role=Role.OTHER_PARTNER)
    left = Organisation.objects.get(slug="skien")
    Membership.objects.create(
        partnership=partnership,
        organisation=left,
        role=Role.MEMBER_MUNICIPALITY,
        valid_to=datetime.date(2020, 1, 1),
    )
    counties = list(Organisation.objects.counties().exclude(county_number=""))
    assert len(counties) >= 11
    seen = 0
    for county in counties:
        listed = from_the_list(county)
        reported = set(scoped_base("county", county).values_list("pk", flat=True))
        assert listed == reported, county.name
        assert from_the_gap_list(client, county) == len(listed), county.name
        seen += bool(listed)
    assert seen >= 5  # the bundled partnerships span several counties
    assert partnership.pk in from_the_list(agder)
    telemark = left.parent
    in_telemark = from_the_list(telemark)
    still_there = partnership.memberships.current().filter(organisation__parent=telemark)
    assert (partnership.pk in in_telemark) == still_there.exists()


def test_today_is_the_date_in_oslo_whatever_the_servers_clock(monkeypatch):
    late = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)
    assert local_today() == datetime.date(2027, 1, 1)
