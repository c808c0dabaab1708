"""Form data for the activity tests: new activities, and what an edit page posts back."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Model


def rows(prefix: str, items: list[tuple], field: str) -> dict:
    """Management form and rows for a role formset of a new activity."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for i, (obj, role) in enumerate(items):
        data[f"{prefix}-{i}-{field}"] = str(getattr(obj, "pk", obj))
        data[f"{prefix}-{i}-role"] = role
    return data


def new_data(
    *,
    partnerships=(),
    organisations: list[tuple] = (),
    people: list[tuple] = (),
    **values,
) -> dict:
    """Valid POST data for a new activity; ``values`` override fields (None drops one)."""
    data = {
        "title": "Samskaping i hjemmetjenesten",
        "activity_type": "research_project",
        "thesis_level": "",
        "status": "ongoing",
        "summary": "Et prosjekt om samskaping.",
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "partnerships": [getattr(p, "pk", p) for p in partnerships],
        "themes": [],
        "professional_owner": "",
        "professional_owner_level": "",
        "strategic_owner": "",
        "strategic_owner_level": "",
        "funding_source": "",
        "funding_amount": "",
        "cristin_project_id": "",
        "nfr_project_number": "",
        "is_public": "on",
        **rows("organisations", list(organisations), "organisation"),
        **rows("people", list(people), "person"),
    }
    for key, value in values.items():
        if isinstance(value, Model):
            value = value.pk
        data[key] = value
    return {k: v for k, v in data.items() if v is not None}


def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (list, tuple)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return [getattr(v, "pk", v) for v in items]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _form_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = _value(form.initial.get(name, field.initial))
        if value is None:
            continue
        data[form.add_prefix(name)] = value
    return data


def data_from_context(context) -> dict:
    """The values an edit page shows, as the browser would post them back."""
    data = _form_values(context["form"])
    for formset in context["formsets"]:
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = value
        for form in formset.forms:
            data.update(_form_values(form))
    return data


def edit_data(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return data_from_context(response.context)


def add_row(data: dict, prefix: str, field: str, obj, role: str) -> dict:
    """Fill the next empty row of a formset in posted-back edit data."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    initial = int(data[f"{prefix}-INITIAL_FORMS"])
    for i in range(initial, total):
        if not data.get(f"{prefix}-{i}-{field}"):
            data[f"{prefix}-{i}-{field}"] = str(obj.pk)
            data[f"{prefix}-{i}-role"] = role
            return data
    raise AssertionError("no empty row left")
