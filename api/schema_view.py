"""The OpenAPI schema, generated once per version of the code and language.

drf-spectacular walks every view and serializer to write the schema (about half a
second for unikom's API); the result depends only on the code, the language and
the version asked for (the schema is public: the same for every reader). It is
kept in each process (as sent, YAML or JSON) and in the shared cache, under a
fingerprint of the code (core.fingerprint), so one worker generates it for all
and a deployment of other code generates it afresh.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView

from core.fingerprint import code_fingerprint


class SchemaView(SpectacularAPIView):
    _generated: dict[str, dict] = {}
    #: The schema as sent, by key and format: drawing it as YAML takes longer
    #: (about 30 ms) than generating it once, spread over every request.
    _rendered: dict[tuple[str, str], tuple[bytes, str]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        parts = (code_fingerprint(), get_language(), version, self.serve_public)
        key = "unikom:api-schema:" + ":".join(map(str, parts))
        media_type = request.accepted_media_type
        kept = self._rendered.get((key, media_type))
        if kept is None:
            schema = self._generated.get(key) or cache.get(key)
            if schema is None:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                schema = generator.get_schema(request=request, public=self.serve_public)
                cache.set(key, schema, 24 * 3600)
            self._generated[key] = schema
            renderer = request.accepted_renderer
            content = renderer.render(schema, media_type, self.get_renderer_context())
            charset = getattr(renderer, "charset", None)
            content_type = f"{media_type}; charset={charset}" if charset else media_type
            kept = self._rendered[(key, media_type)] = (content, content_type)
        content, content_type = kept
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'inline; filename="{self._get_filename(request, version)}"'
        )
        return response
