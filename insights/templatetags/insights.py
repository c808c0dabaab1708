"""The rules' findings on pages whose views belong to other apps.

``{% partnership_insights partnership as insights %}`` gives the partnership's
anchoring gaps, its suggested maturity and the motor assessment of its lead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

from insights.rules import partnership_insights as compute
from insights.rules import status_labels
from organisations.refdata import has_refdata

register = template.Library()


@register.simple_tag
def partnership_insights(partnership) -> dict:
    """``{"gaps": [...], "maturity": MaturitySuggestion, "motor": MotorAssessment|None}``."""
    return compute(partnership)


@register.filter
def status_label(status: str) -> str:
    """The translated name of a status ("met", "not_met", "unknown", "not_applicable",
    "stated", "term_rejected")."""
    return status_labels().get(status, status)


@register.simple_tag
def partnership_map(partnership) -> dict | None:
    """The map of Norway with the partnership's member municipalities, if boundaries exist."""
    from ..maps import national_map

    return national_map(partnership=partnership) if has_refdata() else None


@register.filter
def source_label(url: str) -> str:
    """A short citation for a source address: its host and the last part of its path
    (``ks.no › samarbeidsomrader``)."""

    parts = urlsplit(url or "")
    host = parts.netloc.removeprefix("www.")
    last = [p for p in parts.path.split("/") if p]
    return f"{host} › {last[-1]}" if last else host
