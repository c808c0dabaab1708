"""Write records so that re-running a load changes nothing that is already right.

Loaders (reference data, the bundled dataset, imports) describe the wanted
state as plain values; these helpers save only what differs, so that a second
run leaves no new rows in the change history.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def normalise(instance: models.Model, name: str, value: Any) -> tuple[str, Any]:
    """Return the attribute name and the Python value a field would hold."""
    field = instance._meta.get_field(name)
    if field.is_relation:
        return field.attname, (value.pk if isinstance(value, models.Model) else value)
    if value is None:
        return field.attname, None
    return field.attname, field.to_python(value)


def apply_values(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``instance``; return whether anything changed."""
    changed = False
    for name, value in values.items():
        attname, value = normalise(instance, name, value)
        if getattr(instance, attname) != value:
            setattr(instance, attname, value)
            changed = True
    return changed


def save_changed(obj: models.Model, values: dict[str, Any], *, reason: str = "") -> str:
    """Apply ``values`` to ``obj`` (new or saved) and save only if something differs.

    Returns ``"created"``, ``"updated"`` or ``"unchanged"``; ``reason`` goes into
    the change history.
    """
    is_new = obj._state.adding
    if not apply_values(obj, values) and not is_new:
        return "unchanged"
    obj._change_reason = reason
    obj.save()
    return "created" if is_new else "updated"


def check_constraints(instance: models.Model) -> None:
    """Run the model's check constraints in Python (unique ones need the database)."""
    errors: list[ValidationError] = []
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            try:
                constraint.validate(type(instance), instance)
            except ValidationError as error:
                errors.append(error)
    if errors:
        raise ValidationError(errors)


class SyncCounter:
    """Counts what a load created, updated, deleted and left alone."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = {}

    def add(self, label: str, outcome: str, n: int = 1) -> None:
        bucket = self.counts.setdefault(
            label, {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
        )
        bucket[outcome] += n

    def changed(self) -> int:
        return sum(b["created"] + b["updated"] + b["deleted"] for b in self.counts.values())

    def lines(self) -> list[str]:
        return [
            _(
                "%(label)s: %(created)d created, %(updated)d updated, %(deleted)d deleted, "
                "%(unchanged)d unchanged"
            )
            % {"label": label, **b}
            for label, b in self.counts.items()
        ]


def sync_children(
    queryset: models.QuerySet,
    rows: Iterable[dict[str, Any]],
    key: Callable[[dict[str, Any]], Hashable],
    *,
    counter: SyncCounter,
    label: str,
    reason: str = "",
) -> None:
    """Make the rows of ``queryset`` equal to ``rows``, matched by ``key``.

    Existing rows whose key is in ``rows`` are updated only where a value
    differs, missing ones are created and rows no longer wanted are deleted.
    ``key`` receives a dict of field attnames (``organisation_id``) to values.
    """
    existing: dict[Hashable, models.Model] = {}
    for obj in queryset:
        existing[key(_attvalues(obj))] = obj
    model = queryset.model
    for values in rows:
        probe = model()
        apply_values(probe, values)
        obj = existing.pop(key(_attvalues(probe)), probe)
        counter.add(label, save_changed(obj, values, reason=reason))
    for obj in existing.values():
        obj._change_reason = reason
        obj.delete()
        counter.add(label, "deleted")


def _attvalues(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
