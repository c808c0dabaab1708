"""Events in the permission matrix (protocol: tests.support.testing.MatrixCase)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from events.models import Event
from tests.support.testing import MatrixCase

FORMAT = "%Y-%m-%dT%H:%M"


def make(partnership, organisation) -> Event:
    start = timezone.now() + timedelta(days=14)
    return Event.objects.create(
        title="Matrix event",
        kind="seminar",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Rådhuset",
        organiser=organisation,
        partnership=partnership,
    )


def add_data(partnership, organisation) -> dict:
    start = timezone.localtime() + timedelta(days=14)
    return {
        "title": "Matrix event (added)",
        "kind": "seminar",
        "starts_at": start.strftime("%Y-%m-%dT10:00"),
        "ends_at": start.strftime("%Y-%m-%dT12:00"),
        "location": "Rådhuset",
        "online_url": "",
        "organiser": organisation.pk,
        "partnership": partnership.pk if partnership else "",
        "description": "",
        "is_public": "on",
    }


def edit_data(record: Event) -> dict:
    return {
        "title": f"{record.title} (edited)",
        "kind": record.kind,
        "starts_at": timezone.localtime(record.starts_at).strftime(FORMAT),
        "ends_at": timezone.localtime(record.ends_at).strftime(FORMAT),
        "location": record.location,
        "online_url": record.online_url,
        "organiser": record.organiser_id,
        "partnership": record.partnership_id or "",
        "themes": list(record.themes.values_list("pk", flat=True)),
        "description": record.description,
        "is_public": "on" if record.is_public else "",
        "version": record.version,
    }


def urls(record: Event) -> dict[str, str]:
    base = f"/events/{record.public_id}/"
    return {"edit": base + "edit/", "trash": base + "trash/", "history": base + "history/"}


CASES = [
    MatrixCase(
        name="event",
        model=Event,
        make=make,
        add_url="/events/add/",
        add_data=add_data,
        edit_data=edit_data,
        urls=urls,
        org_editors_may_edit=True,
    )
]
