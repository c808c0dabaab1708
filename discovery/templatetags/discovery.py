"""Related work and matches on pages whose views belong to other apps.

Each tag renders its own section, so the detail pages only ``{% load discovery %}``
and call one tag; the work is done in discovery.related and discovery.matching
with a fixed number of queries.

* ``{% related_work activity %}`` — related activities and needs;
* ``{% need_matches need %}`` — fitting activities, similar needs, academic
  units and people;
* ``{% matching_needs organisation_or_person %}`` — open needs that fit an
  academic institution or a researcher (nothing for other organisations
  and people).
"""

from __future__ import annotations

from django import template

from discovery import matching
from discovery.facts import is_academic
from discovery.related import related_work as find_related

register = template.Library()


@register.inclusion_tag("discovery/related.html")
def related_work(record) -> dict:
    return {"related": find_related(record)}


@register.inclusion_tag("discovery/need_matches.html")
def need_matches(need) -> dict:
    return {"matches": matching.for_need(need)}


@register.inclusion_tag("discovery/matching_needs.html")
def matching_needs(subject) -> dict:
    if subject._meta.model_name == "person":
        if not matching.is_researcher(subject):
            return {"shown": False}
        return {"matches": matching.needs_for_person(subject), "shown": True}
    parent_kind = subject.parent.kind if subject.parent_id else None
    if not is_academic(subject.kind, parent_kind):
        return {"shown": False}
    return {"matches": matching.needs_for_organisation(subject), "shown": True}
