"""Needs in the permission matrix (protocol: tests.support.testing.MatrixCase)."""

from __future__ import annotations

from needs.models import Need
from tests.support.testing import MatrixCase


def make(partnership, organisation) -> Need:
    return Need.objects.create(
        title="Matrix need",
        description="A need made by the permission matrix.",
        organisation=organisation,
        partnership=partnership,
        suited_for=["thesis"],
    )


def add_data(partnership, organisation) -> dict:
    return {
        "title": "Matrix need (added)",
        "description": "A need added by the permission matrix.",
        "organisation": organisation.pk,
        "partnership": partnership.pk if partnership else "",
        "suited_for": ["thesis"],
        "status": "open",
        "is_public": "on",
    }


def edit_data(record: Need) -> dict:
    return {
        "title": f"{record.title} (edited)",
        "description": record.description,
        "organisation": record.organisation_id,
        "partnership": record.partnership_id or "",
        "service_area": record.service_area_id or "",
        "suited_for": record.suited_for or ["thesis"],
        "contact": record.contact_id or "",
        "deadline": record.deadline.isoformat() if record.deadline else "",
        "status": record.status,
        "led_to": list(record.led_to.values_list("pk", flat=True)),
        "is_public": "on" if record.is_public else "",
        "version": record.version,
    }


def urls(record: Need) -> dict[str, str]:
    base = f"/research-needs/{record.public_id}/"
    return {"edit": base + "edit/", "trash": base + "trash/", "history": base + "history/"}


CASES = [
    MatrixCase(
        name="need",
        model=Need,
        make=make,
        add_url="/research-needs/add/",
        add_data=add_data,
        edit_data=edit_data,
        urls=urls,
        org_editors_may_edit=True,
    )
]
