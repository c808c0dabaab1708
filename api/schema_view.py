"""The OpenAPI schema, generated once per process and language.

drf-spectacular walks every view and serializer to write the schema (about half a
second for unikom's API); the result depends only on the code, the language and
the version asked for (the schema is public: the same for every reader), so each
server process keeps what it generated. A new deployment starts new processes,
which generate it afresh.
"""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    _generated: dict[tuple, dict] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (get_language(), version, self.serve_public, self.urlconf)
        if key not in self._generated:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._generated[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=self._generated[key],
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )
