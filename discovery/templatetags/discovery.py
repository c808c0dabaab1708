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

from collections.abc import Callable

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.cache import remember
from discovery import matching
from discovery.facts import is_academic
from discovery.related import related_work as find_related

register = template.Library()


def _kept(name: str, record, template_name: str, compute: Callable[[], dict]) -> SafeString:
    """The section drawn from ``compute()``, kept until the data changes.

    Each ranking reads the search index and the records' facts (15–30 ms at
    national scale, more on PostgreSQL); none depends on who is reading (only
    public records are ranked), so the drawn section is kept for everyone, per
    record and language, under the version of all the data (core.cache).
    """

    def draw() -> str:
        return render_to_string(template_name, compute())

    key = (record._meta.label, record.pk)
    return mark_safe(remember(f"discovery-{name}", key, None, draw))  # noqa: S308 (escaped when drawn)


@register.simple_tag
def related_work(record) -> SafeString:
    return _kept(
        "related", record, "discovery/related.html", lambda: {"related": find_related(record)}
    )


@register.simple_tag
def need_matches(need) -> SafeString:
    return _kept(
        "need-matches",
        need,
        "discovery/need_matches.html",
        lambda: {"matches": matching.for_need(need)},
    )


@register.simple_tag
def matching_needs(subject) -> SafeString:
    def compute() -> dict:
        if subject._meta.model_name == "person":
            if not matching.is_researcher(subject):
                return {"shown": False}
            return {"matches": matching.needs_for_person(subject), "shown": True}
        parent_kind = subject.parent.kind if subject.parent_id else None
        if not is_academic(subject.kind, parent_kind):
            return {"shown": False}
        return {"matches": matching.needs_for_organisation(subject), "shown": True}

    return _kept("matching-needs", subject, "discovery/matching_needs.html", compute)
