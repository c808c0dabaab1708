"""Lists and records take a fixed number of queries whatever the amount of data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from api.tests.conftest import as_token
from events.models import Event
from needs.models import Need
from organisations.models import Affiliation, Organisation, Person
from tests.support.testing import add_partnerships, query_counts

pytestmark = pytest.mark.django_db


def add_records(n: int, partnership, theme) -> None:
    """``n`` of every kind of record, each with its relations filled in."""
    orgs = list(Organisation.objects.municipalities().order_by("pk")[:3])
    start = timezone.now() + timedelta(days=3)
    for i in range(n):
        person = Person.objects.create(name=f"Person {i}", email=f"p{i}@example.org")
        for org in orgs:
            Affiliation.objects.create(person=person, organisation=org, title="Rådgiver")
        activity = Activity.objects.create(
            title=f"Aktivitet {i}",
            activity_type="research_project",
            professional_owner=orgs[0],
            strategic_owner=orgs[1],
            strategic_owner_level="political",
        )
        activity.partnerships.add(partnership)
        activity.themes.add(theme)
        for org in orgs:
            ActivityOrganisation.objects.create(activity=activity, organisation=org, role="partner")
        ActivityPerson.objects.create(activity=activity, person=person, role="contact")
        need = Need.objects.create(
            title=f"Behov {i}",
            description="Et behov.",
            organisation=orgs[0],
            partnership=partnership,
            service_area=theme,
            contact=person,
            suited_for=["thesis"],
        )
        need.led_to.add(activity)
        event = Event.objects.create(
            title=f"Møte {i}",
            kind="seminar",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            location="Rådhuset",
            organiser=orgs[0],
            partnership=partnership,
        )
        event.themes.add(theme)


LISTS = [
    "/api/activities/",
    "/api/needs/",
    "/api/events/",
    "/api/people/",
    "/api/partnerships/",
    "/api/memberships/",
    "/api/anchorings/",
    "/api/organisations/?kind=research_institute",
    "/api/themes/",
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "token"])
@pytest.mark.parametrize("url", LISTS)
def test_lists_query_the_same_whatever_their_length(
    api, reader, partnership, theme, url, signed_in
):
    client = as_token(reader, "read") if signed_in else api
    add_records(2, partnership, theme)

    def grow():
        add_records(4, partnership, theme)
        add_partnerships(2)

    small, large = query_counts(client, url, grow=grow)
    assert small == large, (url, small, large)


def test_a_record_queries_the_same_whatever_its_relations(reader, partnership, theme):
    client = as_token(reader, "read")
    add_records(1, partnership, theme)
    activity = Activity.objects.get()
    urls = [
        f"/api/activities/{activity.public_id}/",
        f"/api/needs/{Need.objects.get().public_id}/",
        f"/api/people/{Person.objects.get().public_id}/",
        f"/api/partnerships/{partnership.slug}/",
    ]
    counts = {}
    for url in urls:
        counts[url] = query_counts(client, url, grow=lambda: None)[0]

    person = Person.objects.get()
    for org in Organisation.objects.counties()[:5]:
        ActivityOrganisation.objects.create(activity=activity, organisation=org, role="funder")
        Affiliation.objects.create(person=person, organisation=org)
    for i in range(5):
        extra = Person.objects.create(name=f"Ekstra {i}")
        ActivityPerson.objects.create(activity=activity, person=extra, role="student")
        Need.objects.get().led_to.add(
            Activity.objects.create(title=f"Mer {i}", activity_type="network")
        )
    for url in urls:
        assert query_counts(client, url, grow=lambda: None)[0] == counts[url], url
