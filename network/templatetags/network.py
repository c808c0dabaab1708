"""Template filters of the network page."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from organisations.choices import OrganisationKind

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """The human label of a node's kind: an organisation kind, or "Person"."""
    if kind == "person":
        return _("Person")
    return str(dict(OrganisationKind.choices).get(kind, kind))
