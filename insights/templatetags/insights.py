"""The rules' findings on pages whose views belong to other apps.

``{% partnership_insights partnership as insights %}`` gives the partnership's
anchoring gaps, its suggested maturity and the motor assessment of its lead.
"""

from __future__ import annotations

from django import template

from insights.rules import partnership_insights as compute
from insights.rules import status_labels

register = template.Library()


@register.simple_tag
def partnership_insights(partnership) -> dict:
    """``{"gaps": [...], "maturity": MaturitySuggestion, "motor": MotorAssessment|None}``."""
    return compute(partnership)


@register.filter
def status_label(status: str) -> str:
    """The translated name of a criterion status ("met", "not_met", "unknown")."""
    return status_labels().get(status, status)


@register.simple_tag
def partnership_map(partnership) -> dict | None:
    """The map of Norway with the partnership's member municipalities, if boundaries exist."""
    from organisations.refdata import has_refdata

    from ..maps import national_map

    return national_map(partnership=partnership) if has_refdata() else None
