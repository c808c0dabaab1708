"""The rules of an event, whichever way it is written (core.rules): by its form,
by the API (through the form) and by the importer (imports.kinds)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.rules import Rule


def dates_in_order(starts, ends) -> str | None:
    if starts and ends and ends < starts:
        return _("The event cannot end before it starts.")
    return None


def place_or_link(location, online_url) -> str | None:
    """An event happens somewhere: at a place, online, or both."""
    if not location and not online_url:
        return _("Give a place, an online link, or both.")
    return None


RULES = (
    Rule("ends_at", ("starts_at", "ends_at"), dates_in_order),
    Rule("location", ("location", "online_url"), place_or_link),
)
