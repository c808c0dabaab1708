"""Cursor pagination: each page links to the next by an opaque cursor.

The database seeks to the cursor's position instead of counting past
``OFFSET`` rows, so page 1000 costs what page 1 costs. Clients follow
``next`` and ``previous``; there are no page numbers and no total count
(counting a large filtered list is itself slow).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

MAX_PAGE_SIZE = 200


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = _(
        "Results per page (1–200, default 50); larger values are cut to 200."
    )
    invalid_cursor_message = _("Invalid cursor: use the next or previous link of a page.")

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None

    def paginate_queryset(self, queryset, request, view=None):
        """A cursor made by hand can decode to a position its ordering field cannot
        hold (``?cursor=cD0yMDI1``: the year 2025 for a date and time): that is the
        client's error, not the server's."""
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError):
            if not request.query_params.get(self.cursor_query_param):
                raise
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None
