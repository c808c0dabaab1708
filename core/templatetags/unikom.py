"""Template filters shared by all pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from partnerships.choices import InitiativeSide, Maturity, PartnershipKind

register = template.Library()

LABELS = {
    "kind": dict(PartnershipKind.choices),
    "initiative": dict(InitiativeSide.choices),
    "maturity": dict(Maturity.choices),
}


@register.filter
def year(value) -> str:
    """A year without thousand separators, or a dash when it is not known."""
    return "–" if value in (None, "") else str(value)


@register.filter
def num(value) -> str:
    """A number for SVG attributes: always a dot, never localised."""
    return str(value)


@register.filter
def label(value: str, facet: str) -> str:
    """The human label of a choice value, e.g. ``p.kind|label:"kind"``."""
    if not value:
        return _("Not recorded")
    return str(LABELS[facet].get(value, value))
