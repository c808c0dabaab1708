"""Readable change history: who changed which fields, from what to what.

What a reader sees depends on who they are (``viewer``): an editor is named to
signed-in readers only, by their name and never by their username, and a
record a foreign key pointed to (a need's contact person) is named only if the
reader may see it; a visitor gets "(not shown publicly)" instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from core import permissions

HIDDEN_FIELDS = {"version", "updated", "created", "deleted_by"}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class Entry:
    when: Any
    user: str  # who made the change, as the reader may see it
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[Change] = field(default_factory=list)


def _field(model: type[models.Model], name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since; show the raw value
        return None


def _display(model: type[models.Model], name: str, value: Any, related: dict) -> Any:
    f = _field(model, name)
    if value in (None, ""):
        return "–"
    if f is None:
        return value
    if f.is_relation and f.many_to_one:
        return related.get((f.related_model, value), value)
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, list) and f.choices is None and getattr(f, "base_field", None) is None:
        return ", ".join(str(v) for v in value)
    return value


def _related_names(model: type[models.Model], deltas: list, signed_in: bool) -> dict:
    """Names of the objects foreign keys pointed to, one query per related model.

    For a visitor, records their model keeps from the public (``public()`` on
    its queryset: people who chose not to be shown) are not named."""
    wanted: dict[type, set] = {}
    for delta in deltas:
        for change in delta.changes if delta else ():
            f = _field(model, change.field)
            if f is not None and f.is_relation and f.many_to_one:
                for value in (change.old, change.new):
                    if value not in (None, ""):
                        wanted.setdefault(f.related_model, set()).add(value)
    names = {}
    for related_model, pks in wanted.items():
        manager = getattr(related_model, "all_objects", related_model._base_manager)
        queryset = manager.filter(pk__in=pks)
        shown = None
        if not signed_in and hasattr(queryset, "public"):
            shown = set(queryset.public().values_list("pk", flat=True))
        for obj in queryset:
            visible = shown is None or obj.pk in shown
            names[(related_model, obj.pk)] = str(obj) if visible else _("(not shown publicly)")
    return names


def _editor(user, signed_in: bool) -> str:
    """Who made a change, for this reader: a name for signed-in readers (never
    the username, which is how one signs in), a role word for visitors."""
    if user is None:
        return _("the system")
    if not signed_in:
        return _("an editor")
    return user.get_full_name() or _("a user without a name")


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001
        return name


def history_of(obj: models.Model, viewer, limit: int = 200) -> list[Entry]:
    """The record's history, newest first, with the fields each change touched,
    as ``viewer`` (the request's user) may see it."""
    model = type(obj)
    signed_in = permissions.roles(viewer).authenticated
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    deltas = [
        record.diff_against(records[i + 1]) if i + 1 < len(records) else None
        for i, record in enumerate(records[:limit])
    ]
    related = _related_names(model, deltas, signed_in)
    entries = []
    for record, delta in zip(records[:limit], deltas, strict=True):
        changes: list[Change] = []
        for change in delta.changes if delta else ():
            if change.field in HIDDEN_FIELDS:
                continue
            changes.append(
                Change(
                    field=_label(model, change.field),
                    old=_display(model, change.field, change.old, related),
                    new=_display(model, change.field, change.new, related),
                )
            )
        entries.append(
            Entry(
                when=record.history_date,
                user=_editor(record.history_user, signed_in),
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
