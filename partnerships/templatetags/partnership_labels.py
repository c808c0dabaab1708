"""The labels of a partnership's choice values in templates: ``p.kind|label:"kind"``."""

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
def label(value: str, facet: str) -> str:
    """The human label of a choice value, or "Not recorded" when there is none."""
    if not value:
        return _("Not recorded")
    return str(LABELS[facet].get(value, value))
