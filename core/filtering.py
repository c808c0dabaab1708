"""Whether a list page is filtered, read from its address in one place.

Every filtered list (activities, needs, meeting places, people, organisations,
partnerships, gaps, the network) asks the same two questions: did the reader
choose any filter, and where does "clear filters" lead? The answer comes from
the query string, so that the filter form (``core/_filters.html``) and the
empty-list message (``core/_empty.html``) agree on every page without each
view computing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext

#: Query parameters that move through a list or switch its tab or order rather
#: than narrow it down: the page number, the upcoming/past tab of meeting places,
#: the sort order, and the export options of the download links.
NOT_FILTERS = frozenset({"page", "when", "sort", "order", "bom"})

#: Of those, the ones a filter form carries along and "clear filters" keeps
#: (the reader stays on the past tab, in the chosen order).
KEPT = frozenset({"when", "sort", "order"})


@dataclass(frozen=True)
class FilterState:
    active: bool
    clear_url: str
    keep: list[tuple[str, str]] = field(default_factory=list)


def filter_state(request) -> FilterState:
    """The filter state of the list at ``request``'s address.

    A filter counts when it has a value: submitting the form with every field
    left empty is not filtering.
    """
    params = request.GET
    active = any(
        value.strip()
        for name, values in params.lists()
        if name not in NOT_FILTERS
        for value in values
    )
    keep = [(name, value) for name, values in params.lists() if name in KEPT for value in values]
    clear_url = request.path + (f"?{urlencode(keep)}" if keep else "")
    return FilterState(active=active, clear_url=clear_url, keep=keep)


def _descending_label(label) -> str:
    return gettext("%s (descending)") % label


_lazy_descending_label = lazy(_descending_label, str)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering filter with its "(descending)" labels kept lazy.

    The upstream filter formats them once, when the filter set's class is made,
    in whatever language is active then: a module first imported during an
    English request showed "Name (descending)" on Norwegian pages afterwards.
    """

    def build_choices(self, fields, labels):
        labels = dict(labels)
        for field_name, param in fields.items():
            label = labels.get(field_name, pretty_name(param))
            labels.setdefault(f"-{param}", _lazy_descending_label(label))
        return super().build_choices(fields, labels)
