"""Every page says so when the data is synthetic (templates/synth/_banner.html)."""

from __future__ import annotations

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject


def _current():
    from synth.models import SyntheticLoad

    try:
        return SyntheticLoad.objects.order_by("-created", "-id").first()
    except DatabaseError:  # a database not migrated for synth yet: no banner, no error page
        return None


def synthetic(request) -> dict:
    """``synthetic_load``: the synthetic set in the database, or None (one query,
    made only when a page reads it)."""
    return {"synthetic_load": SimpleLazyObject(_current)}
