"""Ordering and text search for the API's lists.

Ordering is limited to fields that are never empty, because a cursor
(api.pagination) marks its place by the value of the first ordering field;
an unknown field is refused with 400 rather than ignored, so a typo shows.
The primary key is always appended, to give rows a fixed order.

``search=`` on a list of indexed records (partnerships, organisations,
activities, needs, events, people) asks the site's full-text index
(search.service.filter_records: Norwegian stems, phrases, prefixes); the
other lists keep DRF's word-in-field search.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, filters
from rest_framework.fields import CharField

from search.documents import kind_for_model
from search.service import filter_records


class IndexSearchFilter(filters.SearchFilter):
    """``search=`` through the search index for the kinds it holds."""

    search_description = gettext_lazy(
        "Words to find, as in the site's search: every word, in any inflected form "
        '(Norwegian stemming); "a phrase"; prefix*. Lists of other kinds match words '
        "in their text fields."
    )

    def filter_queryset(self, request, queryset, view):
        if kind_for_model(queryset.model) is None or not self.get_search_fields(view, request):
            return super().filter_queryset(request, queryset, view)
        value = request.query_params.get(self.search_param, "")
        raw = CharField(trim_whitespace=False, allow_blank=True).run_validation(value)
        if not raw.strip():
            return queryset
        # Signed-in clients also see records that are not public
        # (core.permissions.visible), which the index leaves out: those are
        # matched on the view's search fields.
        unindexed = None
        if getattr(request.user, "is_authenticated", False):
            unindexed = self.get_search_fields(view, request)
        return filter_records(queryset, raw, unindexed_fields=unindexed)


def with_index_search(backends):
    """The configured filter backends with DRF's SearchFilter replaced by IndexSearchFilter."""
    return [IndexSearchFilter if b is filters.SearchFilter else b for b in backends]


class StrictOrderingFilter(filters.OrderingFilter):
    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = {
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [f for f in fields if f.lstrip("-") not in valid]
            if unknown or len(fields) != 1:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Order by one of: %(fields)s (prefix - for descending).")
                            % {"fields": ", ".join(sorted(valid))}
                        ]
                    }
                )
            ordering = fields
        else:
            ordering = list(self.get_default_ordering(view) or [])
        tiebreak = "-pk" if ordering and ordering[0].startswith("-") else "pk"
        return [*ordering, tiebreak] if "pk" not in {o.lstrip("-") for o in ordering} else ordering
