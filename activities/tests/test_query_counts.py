"""Portfolio pages run a fixed number of queries, whatever the number of activities."""

from __future__ import annotations

import pytest

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from organisations.models import Organisation, Person
from partnerships.models import Partnership, Theme
from tests.support.testing import query_counts

pytestmark = pytest.mark.django_db

TYPES = ["phd", "research_project", "placement", "network", "student_thesis"]


def add_activities(n: int, *, target: Activity | None = None) -> None:
    """``n`` activities in usn-drammen's portfolio, each with every kind of relation.

    Five or more give every type, so that each filtered page has rows to show.
    """
    partnerships = list(Partnership.objects.filter(slug__in=["usn-drammen", "usn-skien"]))
    themes = list(Theme.objects.all()[:3])
    orgs = list(Organisation.objects.municipalities().order_by("pk")[:4])
    drammen = Organisation.objects.get(slug="drammen")
    for i in range(n):
        kind = TYPES[i % len(TYPES)]
        a = Activity.objects.create(
            title=f"Aktivitet {i}",
            activity_type=kind,
            thesis_level="master" if kind == "student_thesis" else "",
            start_date=f"20{10 + i % 10}-01-01",
            professional_owner=drammen,
            strategic_owner=orgs[i % 4],
        )
        a.partnerships.set(partnerships)
        a.themes.set(themes)
        for org in orgs[:2]:
            ActivityOrganisation.objects.create(activity=a, organisation=org, role="partner")
        person = Person.objects.create(name=f"Person {i}", email=f"p{i}@example.org")
        ActivityPerson.objects.create(activity=a, person=person, role="contact")
    if target is not None:
        for org in orgs[2:]:
            ActivityOrganisation.objects.create(activity=target, organisation=org, role="funder")
        for i in range(5):
            person = Person.objects.create(name=f"Ekstra {i}")
            ActivityPerson.objects.create(activity=target, person=person, role="supervisor")
        target.partnerships.add(*Partnership.objects.all()[:5])
        target.themes.add(*Theme.objects.all())


@pytest.fixture(params=["anonymous", "coordinator"])
def visitor(request, client):
    if request.param == "coordinator":
        client.force_login(request.getfixturevalue("coordinator"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/activities/",
        "/activities/?type=phd&theme=helse-og-omsorg&year=2015",
        "/activities/?organisation=drammen&partnership=usn-drammen",
        "/partnerships/usn-drammen/portfolio/",
        "/partnerships/usn-drammen/portfolio/?status=ongoing",
        "/organisations/3301/portfolio/",
        "/organisations/drammen/portfolio/?type=placement",
    ],
)
def test_lists_and_portfolios_do_not_query_per_activity(visitor, make_activity, url):
    add_activities(5)
    small, large = query_counts(visitor, url, grow=lambda: add_activities(8))
    assert small == large


def test_an_activity_page_does_not_query_per_relation(visitor, make_activity, person):
    activity = make_activity(people=[(person, "project_leader")])
    small, large = query_counts(
        visitor, activity.get_absolute_url(), grow=lambda: add_activities(2, target=activity)
    )
    assert small == large


@pytest.mark.parametrize(
    "url",
    ["/partnerships/usn-drammen/", "/organisations/3301/", "/organisations/usn/"],
)
def test_the_profile_and_organisation_pages_count_in_the_database(visitor, url):
    add_activities(2)
    small, large = query_counts(visitor, url, grow=lambda: add_activities(8))
    assert small == large
