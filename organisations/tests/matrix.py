"""People in the permission matrix (core/tests/test_permission_matrix.py).

A person belongs to the organisations of their affiliations, and through
them to the partnerships those organisations are members of.
"""

from __future__ import annotations

from organisations.models import Affiliation, Person
from tests.support.testing import MatrixCase

FORMSET = "affiliations"


def make(partnership, organisation) -> Person:
    person = Person.objects.create(name="Kari Matrise", email="kari@example.org")
    Affiliation.objects.create(person=person, organisation=organisation, title="Rådgiver")
    return person


def add_data(partnership, organisation) -> dict:
    return {
        "name": "Ola Ny",
        "orcid": "0000-0002-1825-0097",
        "email": "ola@example.org",
        "phone": "",
        "is_public": "on",
        f"{FORMSET}-TOTAL_FORMS": "1",
        f"{FORMSET}-INITIAL_FORMS": "0",
        f"{FORMSET}-MIN_NUM_FORMS": "0",
        f"{FORMSET}-MAX_NUM_FORMS": "1000",
        f"{FORMSET}-0-organisation": str(organisation.pk),
        f"{FORMSET}-0-title": "Forsker",
        f"{FORMSET}-0-unit": "",
        f"{FORMSET}-0-valid_from": "2020-01-01",
        f"{FORMSET}-0-valid_to": "",
    }


def edit_data(person: Person) -> dict:
    affiliations = list(person.affiliations.order_by("pk"))
    data = {
        "name": person.name + " (endret)",
        "orcid": person.orcid or "",
        "email": person.email,
        "phone": person.phone,
        "version": str(person.version),
        f"{FORMSET}-TOTAL_FORMS": str(len(affiliations)),
        f"{FORMSET}-INITIAL_FORMS": str(len(affiliations)),
        f"{FORMSET}-MIN_NUM_FORMS": "0",
        f"{FORMSET}-MAX_NUM_FORMS": "1000",
    }
    if person.is_public:
        data["is_public"] = "on"
    if person.contact_public:
        data["contact_public"] = "on"
    for i, a in enumerate(affiliations):
        data.update(
            {
                f"{FORMSET}-{i}-id": str(a.pk),
                f"{FORMSET}-{i}-person": str(person.pk),
                f"{FORMSET}-{i}-organisation": str(a.organisation_id),
                f"{FORMSET}-{i}-title": a.title,
                f"{FORMSET}-{i}-unit": a.unit,
                f"{FORMSET}-{i}-valid_from": a.valid_from.isoformat() if a.valid_from else "",
                f"{FORMSET}-{i}-valid_to": a.valid_to.isoformat() if a.valid_to else "",
            }
        )
    return data


def urls(person: Person) -> dict[str, str]:
    base = f"/people/{person.public_id}/"
    return {"edit": base + "edit/", "trash": base + "trash/", "history": base + "history/"}


CASES = [
    MatrixCase(
        name="organisations.person",
        model=Person,
        make=make,
        add_url="/people/add/",
        add_data=add_data,
        edit_data=edit_data,
        urls=urls,
        org_editors_may_edit=True,
        # A person's affiliations may name any organisation; the scope is checked after.
        refused_add_status=403,
    )
]
