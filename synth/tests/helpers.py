"""What the synth tests compare: table contents without the load's time stamps."""

from __future__ import annotations

from django.apps import apps

from search.models import SearchDocument
from synth.models import SyntheticLoad

#: Set from the clock at load time; everything else is the seed's.
TIME_STAMPS = {"created", "updated", "history_date", "history_id"}


def rows(model) -> list[tuple]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in TIME_STAMPS]
    return list(model._base_manager.order_by("pk").values_list(*names))


def search_index() -> set[tuple]:
    """The index by record rather than by document id (ids change on a rebuild)."""
    return set(
        SearchDocument.objects.values_list(
            "kind", "object_id", "title", "body", "url", "terms", "title_terms", "status", "facets"
        )
    )


def database(*, labels: list[str] | None = None) -> dict:
    """Every table's rows (or those of ``labels``), the search index compared by record."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model in (SearchDocument, SyntheticLoad):
            continue
        if labels is None or label in labels:
            out[label] = rows(model)
    out["search index"] = search_index()
    return out
