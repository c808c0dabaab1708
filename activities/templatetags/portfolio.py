"""Portfolio counts on pages whose views belong to other apps.

``{% organisation_portfolio org as portfolio %}`` gives the organisation's
activities by type for the current visitor, in one query.
"""

from __future__ import annotations

from django import template

from activities.portfolio import organisation_counts, type_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_portfolio(context, organisation) -> dict:
    """``{"counts": [TypeCount, ...], "total": n}`` for one organisation."""
    request = context.get("request")
    counts = organisation_counts(organisation, getattr(request, "user", None))
    return {"counts": type_counts(counts), "total": sum(counts.values())}
