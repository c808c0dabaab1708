"""Readable change history: who changed which fields, from what to what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

HIDDEN_FIELDS = {"version", "updated", "created", "deleted_by"}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class Entry:
    when: Any
    user: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model: type[models.Model], name: str, value: Any) -> Any:
    try:
        f = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since; show the raw value
        return value
    if f.choices and value not in (None, ""):
        return dict(f.flatchoices).get(value, value)
    if value in (None, ""):
        return "–"
    if name == "deleted_at":
        return value
    return value


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001
        return name


def history_of(obj: models.Model, limit: int = 200) -> list[Entry]:
    """The record's history, newest first, with the fields each change touched."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                changes.append(
                    Change(
                        field=_label(model, change.field),
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
        entries.append(
            Entry(
                when=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
