"""Network test fixtures: a constructed network isolated from the bundled data by a theme."""

from __future__ import annotations

import pytest

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from organisations.choices import OrganisationKind
from organisations.models import Organisation
from partnerships.choices import PartnershipKind, Role
from partnerships.models import Membership, Partnership, Theme


@pytest.fixture
def bridge_theme():
    return Theme.objects.create(slug="bro", name="Bro")


def municipality(number: str) -> Organisation:
    return Organisation.objects.get(municipality_number=number)


def partnership_of(slug: str, theme: Theme, members: list[Organisation], **values) -> Partnership:
    """A partnership of ``members``: municipalities as members, others as academic partners."""
    p = Partnership.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        kind=PartnershipKind.CLUSTER,
        source_url="https://example.org/",
        **values,
    )
    p.themes.add(theme)
    for org in members:
        role = (
            Role.MEMBER_MUNICIPALITY
            if org.kind == OrganisationKind.MUNICIPALITY
            else Role.ACADEMIC_PARTNER
        )
        Membership.objects.create(partnership=p, organisation=org, role=role)
    return p


@pytest.fixture
def bridge(bridge_theme):
    """Two triangles of municipalities joined only by one institution, and a pair
    of municipalities that share a partnership without any institution.

    Nordland (18): Bodø 1804, Narvik 1806; Troms (55): Tromsø 5501, Harstad 5503;
    Finnmark (56): Alta 5601, Hammerfest 5603.
    """
    hub = Organisation.objects.create(
        slug="nord-institutt", name="Nord institutt", kind=OrganisationKind.RESEARCH_INSTITUTE
    )
    partnership_of("bro-vest", bridge_theme, [municipality("1804"), municipality("1806"), hub])
    partnership_of("bro-ost", bridge_theme, [municipality("5501"), municipality("5503"), hub])
    partnership_of("uten-akademia", bridge_theme, [municipality("5601"), municipality("5603")])
    return hub


@pytest.fixture
def make_activity():
    def make(orgs=(), people=(), themes=(), **values) -> Activity:
        activity = Activity.objects.create(
            **{"title": "Felles prosjekt", "activity_type": "research_project", **values}
        )
        activity.themes.set(themes)
        for org in orgs:
            ActivityOrganisation.objects.create(activity=activity, organisation=org, role="partner")
        for person in people:
            ActivityPerson.objects.create(activity=activity, person=person, role="contact")
        return activity

    return make
