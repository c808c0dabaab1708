"""The activity in the permission matrix (protocol: tests.support.testing.MatrixCase)."""

from __future__ import annotations

from django.urls import reverse

from activities.models import Activity, ActivityOrganisation
from tests.support.testing import MatrixCase

from .helpers import new_data


def make(partnership, organisation) -> Activity:
    activity = Activity.objects.create(
        title="Matriseprosjekt",
        activity_type="research_project",
        professional_owner=organisation,
    )
    if partnership is not None:
        activity.partnerships.add(partnership)
    if organisation is not None:
        ActivityOrganisation.objects.create(
            activity=activity, organisation=organisation, role="owner"
        )
    return activity


def add_data(partnership, organisation) -> dict:
    """A new activity in the partnership's portfolio, owned by the organisation.

    Either may be None: organisation editors may not choose partnerships
    (core.permissions.allowed_partnerships), coordinators need one.
    """
    return new_data(
        title="Nytt matriseprosjekt",
        partnerships=[partnership] if partnership is not None else [],
        professional_owner=organisation.pk if organisation is not None else "",
        organisations=[(organisation, "owner")] if organisation is not None else [],
    )


def edit_data(record: Activity) -> dict:
    """The record as its edit page would post it back, with a new title."""
    roles = list(record.organisation_roles.order_by("pk"))
    data = new_data(
        title="Endret matriseprosjekt",
        partnerships=list(record.partnerships.all()),
        professional_owner=record.professional_owner_id or "",
        start_date="",
        end_date="",
        version=record.version,
    )
    data.update(
        {
            "organisations-TOTAL_FORMS": str(len(roles)),
            "organisations-INITIAL_FORMS": str(len(roles)),
        }
    )
    for i, row in enumerate(roles):
        data[f"organisations-{i}-id"] = str(row.pk)
        data[f"organisations-{i}-activity"] = str(record.pk)
        data[f"organisations-{i}-organisation"] = str(row.organisation_id)
        data[f"organisations-{i}-role"] = row.role
    return data


def urls(record: Activity) -> dict[str, str]:
    return {
        name: reverse(f"activities:{name}", args=[record.public_id])
        for name in ("edit", "trash", "history")
    }


CASES = [
    MatrixCase(
        name="activity",
        model=Activity,
        make=make,
        add_url="/activities/add/",
        add_data=add_data,
        edit_data=edit_data,
        urls=urls,
        org_editors_may_edit=True,
    )
]
