"""Shared helpers for the report tests (not a test module)."""

from __future__ import annotations

from activities.models import Activity
from organisations.choices import OrganisationKind
from organisations.models import Organisation
from partnerships.models import Partnership


def add_activities(partnerships: list[Partnership], owner: Organisation, n: int = 3) -> None:
    """``n`` public research projects and one private PhD in the given partnerships."""
    for i in range(n):
        a = Activity.objects.create(
            title=f"Prosjekt {i}", activity_type="research_project", professional_owner=owner
        )
        a.partnerships.set(partnerships)
    hidden = Activity.objects.create(
        title="Skjult ph.d.", activity_type="phd", professional_owner=owner, is_public=False
    )
    hidden.partnerships.set(partnerships)


def empty_county() -> Organisation:
    """A county with no member municipality in any partnership."""
    busy = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, memberships__valid_to__isnull=True
    ).values("parent")
    county = Organisation.objects.filter(kind=OrganisationKind.COUNTY).exclude(pk__in=busy)
    county = county.exclude(memberships__valid_to__isnull=True).first()
    if county is None:
        county = Organisation.objects.create(
            kind=OrganisationKind.COUNTY, slug="tomt-fylke", name="Tomt fylke", county_number="99"
        )
    return county
