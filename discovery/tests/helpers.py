"""Records for the discovery tests, made through the ORM (signals keep the index current)."""

from __future__ import annotations

from activities.models import Activity, ActivityOrganisation, ActivityPerson
from needs.models import Need
from organisations.models import Affiliation, Organisation, Person
from partnerships.models import Partnership, Theme


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def activity(
    title: str,
    summary: str = "",
    *,
    partnerships=(),
    themes=(),
    organisations=(),
    people=(),
    **values,
) -> Activity:
    values.setdefault("activity_type", "research_project")
    a = Activity.objects.create(title=title, summary=summary, **values)
    a.partnerships.set(Partnership.objects.filter(slug__in=partnerships))
    a.themes.set(Theme.objects.filter(slug__in=themes))
    for slug in organisations:
        ActivityOrganisation.objects.create(activity=a, organisation=org(slug), role="partner")
    for person, role in people:
        ActivityPerson.objects.create(activity=a, person=person, role=role)
    return a


def need(title: str, description: str = "", *, by: str = "drammen", **values) -> Need:
    values.setdefault("suited_for", ["thesis"])
    if isinstance(values.get("partnership"), str):
        values["partnership"] = Partnership.objects.get(slug=values["partnership"])
    if isinstance(values.get("service_area"), str):
        values["service_area"] = Theme.objects.get(slug=values["service_area"])
    return Need.objects.create(title=title, description=description, organisation=org(by), **values)


def researcher(
    name: str, at: str = "usn", unit: str = "", title: str = "Førsteamanuensis", **values
):
    person = Person.objects.create(name=name, **values)
    Affiliation.objects.create(person=person, organisation=org(at), unit=unit, title=title)
    return person
