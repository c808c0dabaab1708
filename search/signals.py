"""Keep the index current: records saved, trashed, restored, deleted or re-linked.

A record moved to the trash (``deleted_at`` set) or made non-public is taken
out on save; restoring it puts it back. Changes to the rows that feed facets
(themes, partnerships, member and affiliated organisations) index the owning
record again. Fixture loading (``raw``) is skipped: run ``unikom search reindex``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from search import documents, vocabulary

_state = threading.local()

# model label -> kind of the document it is
RECORDS = {
    "partnerships.Partnership": "partnership",
    "organisations.Organisation": "organisation",
    "activities.Activity": "activity",
    "needs.Need": "need",
    "events.Event": "event",
    "organisations.Person": "person",
}
# model label of a linking row -> (kind, attribute holding the owning record's id)
LINKS = {
    "partnerships.Membership": ("partnership", "partnership_id"),
    "activities.ActivityOrganisation": ("activity", "activity_id"),
    "organisations.Affiliation": ("person", "person_id"),
}
# many-to-many fields: (model label, field name) -> kind
M2M = {
    ("partnerships.Partnership", "themes"): "partnership",
    ("activities.Activity", "themes"): "activity",
    ("activities.Activity", "partnerships"): "activity",
    ("events.Event", "themes"): "event",
}


@contextmanager
def paused():
    """Skip index updates inside the block (bulk imports then reindex).

    The block may write the index itself (synth, in bulk): the names kept for
    the typo fallback are forgotten when it ends (search.vocabulary).
    """
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False
        vocabulary.changed()


def _active(kwargs) -> bool:
    return not kwargs.get("raw") and not getattr(_state, "paused", False)


def _record_saved(sender, instance, **kwargs):
    if _active(kwargs):
        documents.update_records(RECORDS[sender._meta.label], [instance.pk])


def _record_deleted(sender, instance, **kwargs):
    if _active(kwargs):
        documents.remove_records(RECORDS[sender._meta.label], [instance.pk])


def _link_changed(sender, instance, **kwargs):
    if _active(kwargs):
        kind, attribute = LINKS[sender._meta.label]
        owner = getattr(instance, attribute, None)
        if owner:
            documents.update_records(kind, [owner])


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or not _active(kwargs):
        return
    if not reverse:
        kind = _M2M_BY_THROUGH.get(sender)
        if kind:
            documents.update_records(kind, [instance.pk])
    else:
        kind = RECORDS.get(model._meta.label)
        if kind and pk_set:
            documents.update_records(kind, pk_set)


_M2M_BY_THROUGH: dict = {}


def connect() -> None:
    for label in RECORDS:
        model = apps.get_model(label)
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"search-save-{label}")
        post_delete.connect(_record_deleted, sender=model, dispatch_uid=f"search-delete-{label}")
    for label in LINKS:
        model = apps.get_model(label)
        post_save.connect(_link_changed, sender=model, dispatch_uid=f"search-link-save-{label}")
        post_delete.connect(_link_changed, sender=model, dispatch_uid=f"search-link-del-{label}")
    for (label, name), kind in M2M.items():
        through = getattr(apps.get_model(label), name).through
        _M2M_BY_THROUGH[through] = kind
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"search-m2m-{label}-{name}")
