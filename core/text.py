"""Small text helpers shared by every app."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.text import slugify

#: Numbers from this size up are grouped (12 345); four digits stay whole (2500),
#: as Språkrådet allows, so counts and years read alike.
GROUP_FROM = 10_000

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def slugify_nb(value: str) -> str:
    """Slugify a Norwegian name so that æ, ø and å keep a readable ASCII form.

    Django's slugify drops letters that do not decompose (``Bærum`` becomes
    ``brum``); this maps them first (``baerum``).
    """
    return slugify(value.translate(_NORWEGIAN))


def format_number(value):
    """A count or an amount in the reader's language: 12 345 and 0,8 in bokmål,
    12,345 and 0.8 in English; four-digit numbers stay whole. Not for years or
    identifiers. Values that are not numbers come back unchanged."""
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        grouped = abs(value) >= GROUP_FROM
    except TypeError:
        return value
    if isinstance(value, Decimal | float):
        # 150000.00 is 150 000 and 0.80 is 0,8: stored decimals add no zeros.
        if value == int(value):
            value = int(value)
        elif isinstance(value, Decimal):
            value = value.normalize()
    return number_format(value, use_l10n=True, force_grouping=grouped)
