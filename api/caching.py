"""API reads kept until the data changes (core.cache).

A list or a record read through the API is serialised and rendered once per
change of the data and kept, as the bytes sent, under its full address
(filters, ordering, cursor, page size), whether the client is signed in (which
records it may see) and the language. Throttling and permission checks run
before, on every request; errors are never kept.
"""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpResponse

from core import permissions
from core.cache import remember


class KeptReadsMixin:
    #: People's contact data is always read afresh: a change of its visibility
    #: made outside the site (without history) must never wait for the cache.
    keep_reads = True
    #: The models one record's read draws on: its own and those its
    #: serialiser names (api.tests.test_kept_reads checks the list against the
    #: serialiser). A change elsewhere leaves it kept, and its data version is read
    #: from their histories alone: on PostgreSQL a third of the tables, every one
    #: of them locked by the fast path. None: every tracked model (lists, whose
    #: filters may reach further).
    record_models: tuple[type[Model], ...] | None = None

    def list(self, request, *args, **kwargs):
        return self._kept(
            request, lambda: super(KeptReadsMixin, self).list(request, *args, **kwargs)
        )

    def retrieve(self, request, *args, **kwargs):
        return self._kept(
            request,
            lambda: super(KeptReadsMixin, self).retrieve(request, *args, **kwargs),
            self.record_models,
        )

    def _kept(self, request, respond, models=None) -> HttpResponse:
        if not self.keep_reads:
            return respond()
        renderer = request.accepted_renderer
        parts = (
            request.build_absolute_uri(),
            permissions.roles(request.user).authenticated,
            renderer.format,
        )

        def body() -> bytes:
            return renderer.render(
                respond().data, request.accepted_media_type, self.get_renderer_context()
            )

        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        return HttpResponse(
            remember(f"api:{self.basename}", parts, models, body), content_type=content_type
        )
