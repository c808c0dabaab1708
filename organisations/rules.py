"""The rules of a person's affiliation across its fields (core.rules), asked by the
affiliation's form and so by the API, which writes people through the person's form.
People are not imported; the database's constraint on the dates is the backstop."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.rules import Rule


def dates_in_order(start, end) -> str | None:
    if start and end and end < start:
        return _("An affiliation cannot end before it starts.")
    return None


AFFILIATION_RULES = (Rule("valid_to", ("valid_from", "valid_to"), dates_in_order),)
