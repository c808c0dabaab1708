"""Ordering and text search for the API's lists.

Ordering is limited to fields that are never empty, because a cursor
(api.pagination) marks its place by the value of the first ordering field;
an unknown field is refused with 400 rather than ignored, so a typo shows.
The primary key is always appended, to give rows a fixed order.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, filters


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
