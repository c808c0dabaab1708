"""Form data helpers shared by the event tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def post_data(**values) -> dict:
    """Valid POST data for a new event; ``values`` override fields."""
    start = timezone.localtime() + timedelta(days=20)
    data = {
        "title": "Nettverksmøte",
        "kind": "network_meeting",
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT15:00"),
        "location": "Universitetet i Sørøst-Norge, Drammen",
        "online_url": "",
        "organiser": "",
        "partnership": "",
        "themes": [],
        "description": "",
        "is_public": "on",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(client, url: str) -> dict:
    """The edit form's current values, as the browser would post them back."""
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name == "themes":
            value = [t.pk for t in value]
        elif name in ("starts_at", "ends_at"):
            value = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        elif name == "is_public":
            if not value:
                continue
            value = "on"
        data[name] = value
    return data
