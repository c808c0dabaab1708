"""Small text helpers shared by every app."""

from __future__ import annotations

from django.utils.text import slugify

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def slugify_nb(value: str) -> str:
    """Slugify a Norwegian name so that æ, ø and å keep a readable ASCII form.

    Django's slugify drops letters that do not decompose (``Bærum`` becomes
    ``brum``); this maps them first (``baerum``).
    """
    return slugify(value.translate(_NORWEGIAN))
