"""API writes go through the site's own forms.

A request's validated fields are turned into the form data the record's page
would post (with its inline formsets for organisations, people or
affiliations), and the app's form decides: the same choices per role
(``core.permissions.allowed_partnerships`` …), the same cross-field checks
(dates in order, status transitions, ORCID check digits) and the same
``scope()`` for ``core.permissions.can_add``. So the API cannot accept what
the pages refuse, and a rule changed in a form changes for both.

Updates are guarded as on the pages: the record's version is read under a
row lock and must equal the version the client sent (409 otherwise).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from rest_framework import exceptions

from core import permissions

from .errors import Conflict

NON_FIELD = "non_field_errors"


@dataclass(frozen=True)
class Inline:
    """A list field of the API written through an inline formset of the form.

    ``field`` is the API field and the related name on the record; ``form_attr``
    the formset on the form (``form.organisation_roles``) and ``prefix`` its
    prefix in posted data; ``keys`` the row fields, which have the same names
    in the API and the formset.
    """

    field: str
    form_attr: str
    prefix: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class WriteConfig:
    form_class: type
    inlines: tuple[Inline, ...] = ()


def form_value(value):
    """A validated API value as form data."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        return [form_value(v) for v in value]
    if isinstance(value, (datetime.date, Decimal)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return value


def row_key(values: dict, keys: tuple[str, ...]) -> tuple:
    return tuple(str(form_value(values.get(k))) for k in keys)


def inline_data(inline: Inline, existing: list, wanted: list[dict] | None) -> dict:
    """Management and row data for one formset.

    ``wanted`` None keeps the rows as they are (PATCH without the field).
    Otherwise rows equal to a wanted one are kept, the rest marked for
    deletion, and the remaining wanted rows added — so re-sending the same
    list changes nothing, and the unique (record, organisation, role) rows
    are never deleted and re-added in one save.
    """
    rows: list[tuple[object | None, dict, bool]] = []
    remaining = list(wanted or [])
    for obj in existing:
        current = {k: getattr(obj, f"{k}_id", None) or getattr(obj, k) for k in inline.keys}
        match = next(
            (w for w in remaining if row_key(w, inline.keys) == row_key(current, inline.keys)),
            None,
        )
        if match is not None:
            remaining.remove(match)
        rows.append((obj, current, wanted is not None and match is None))
    rows.extend((None, values, False) for values in remaining)

    prefix = inline.prefix
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, (obj, values, delete) in enumerate(rows):
        if obj is not None:
            data[f"{prefix}-{i}-id"] = str(obj.pk)
        if delete:
            data[f"{prefix}-{i}-DELETE"] = "on"
        for key in inline.keys:
            data[f"{prefix}-{i}-{key}"] = form_value(values.get(key))
    return data


#: Codes of the form errors whose message quotes the value posted, which for a choice
#: of records is the record's database id: the API never shows those.
CHOICE_CODES = {"invalid_choice", "invalid_pk_value"}


def public_key(model, pk) -> str:
    """The identifier the API uses for a record (slug, else public id) by its database id."""
    names = {f.name for f in model._meta.get_fields()}
    name = "slug" if "slug" in names else "public_id" if "public_id" in names else None
    found = model._base_manager.filter(pk=pk).values_list(name, flat=True).first() if name else None
    return str(found) if found is not None else "?"


def messages_of(form, name: str) -> list[str]:
    """The messages of one field's errors, database ids replaced by the API's identifiers."""
    field = form.fields.get(name)
    messages = []
    for error in form.errors.as_data().get(name, []):
        params = dict(error.params or {})
        queryset = getattr(field, "queryset", None)
        if error.code in CHOICE_CODES and queryset is not None:
            for key in ("value", "pk"):
                if key in params:
                    params[key] = public_key(queryset.model, params[key])
        messages.extend(str(m) for m in type(error)(error.message, error.code, params))
    return messages


def form_errors(form, config: WriteConfig) -> dict[str, list[str]]:
    """The form's and formsets' errors by API field (dotted paths for rows)."""
    errors: dict[str, list[str]] = {}
    for name in form.errors:
        errors[NON_FIELD if name == "__all__" else name] = messages_of(form, name)
    for inline in config.inlines:
        formset = getattr(form, inline.form_attr)
        if not formset.is_bound:
            continue
        for index, row in enumerate(formset.forms):
            for name in row.errors:
                key = inline.field if name == "__all__" else f"{inline.field}.{index}.{name}"
                errors.setdefault(key, []).extend(messages_of(row, name))
        if formset.non_form_errors():
            errors.setdefault(inline.field, []).extend(str(m) for m in formset.non_form_errors())
    return errors


def build_form(config: WriteConfig, user, values: dict, *, instance=None, partial=False):
    """The app's form, bound to the record's current (PATCH) or default (POST, PUT)
    values overlaid with the fields the client sent."""
    form_class = config.form_class
    model = form_class._meta.model
    fields = list(form_class._meta.fields)
    # PATCH starts from the record, POST and PUT from a new record's defaults.
    base = model_to_dict(instance if (partial and instance) else model(), fields=fields)
    data = {k: form_value(v) for k, v in base.items()}
    data.update({k: form_value(v) for k, v in values.items() if k in fields})
    # Unticked checkboxes are absent from posted data; False must be too.
    data = {k: v for k, v in data.items() if v is not False}
    for inline in config.inlines:
        existing = list(getattr(instance, inline.field).all()) if instance is not None else []
        wanted = values.get(inline.field)
        if wanted is None and not partial:
            wanted = []
        data.update(inline_data(inline, existing, wanted))
    return form_class(data, instance=instance, user=user)


def save(config: WriteConfig, user, values: dict, *, instance=None, partial=False, version=None):
    """Create or update a record as its page would; returns the saved record.

    Raises ValidationError (400) with the form's messages, PermissionDenied
    (403) when the record would be tied to parties the user's role does not
    cover, and Conflict (409) when ``version`` is not the current one.
    """
    form = build_form(config, user, values, instance=instance, partial=partial)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form, config))
    partnerships, organisations = form.scope()
    model = config.form_class._meta.model
    if (instance is None or partnerships or organisations) and not permissions.can_add(
        user, model, partnerships=partnerships, organisations=organisations
    ):
        raise exceptions.PermissionDenied(
            _("Your role does not allow records for these partnerships and organisations.")
        )
    with transaction.atomic():
        if instance is not None:
            current = (
                type(instance)
                .all_objects.select_for_update()
                .filter(pk=instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is None or current != version:
                raise Conflict()
            form.instance.version = current + 1
        return form.save()
