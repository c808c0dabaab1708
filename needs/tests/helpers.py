"""Form data helpers shared by the need tests."""

from __future__ import annotations

ADD = "/research-needs/add/"


def post_data(**values) -> dict:
    """Valid POST data for a new need; ``values`` override fields (None drops one)."""
    data = {
        "title": "Kunnskapsoppsummering om velferdsteknologi",
        "description": "Hva vet vi om effekten av velferdsteknologi i hjemmetjenesten?",
        "organisation": "",
        "partnership": "",
        "service_area": "",
        "suited_for": ["knowledge_summary"],
        "contact": "",
        "deadline": "",
        "status": "open",
        "led_to": [],
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
        if name == "led_to":
            value = [a.pk for a in value]
        elif name == "deadline":
            value = value.isoformat()
        elif name == "is_public":
            if not value:
                continue
            value = "on"
        data[name] = value
    return data


def urls(need) -> dict[str, str]:
    base = f"/research-needs/{need.public_id}/"
    return {"edit": base + "edit/", "trash": base + "trash/", "history": base + "history/"}
