"""The OpenAPI schema, generated once per version of the code and language.

drf-spectacular walks every view and serializer to write the schema (about half a
second for unikom's API); the result depends only on the code, the language and
the version asked for (the schema is public: the same for every reader). It is
kept in each process and in the shared cache, under a fingerprint of the code
(every module of the project's apps, and the versions of the libraries that
shape the schema), so one worker generates it for all and a deployment of other
code generates it afresh.
"""

from __future__ import annotations

import hashlib
from functools import cache as once
from importlib.metadata import version as installed
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

LIBRARIES = ("django", "djangorestframework", "drf-spectacular", "django-filter")


@once
def code_fingerprint() -> str:
    """A hash of the project's modules (path, size, modification time) and of the
    versions of the libraries that shape the schema; read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    folders = {Path(c.path) for c in apps.get_app_configs() if Path(c.path).is_relative_to(root)}
    folders.add(root / "config")
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for name in LIBRARIES:
        digest.update(f"{name}={installed(name)};".encode())
    return digest.hexdigest()[:24]


class SchemaView(SpectacularAPIView):
    _generated: dict[str, dict] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        parts = (code_fingerprint(), get_language(), version, self.serve_public)
        key = "unikom:api-schema:" + ":".join(map(str, parts))
        schema = self._generated.get(key) or cache.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=request, public=self.serve_public)
            cache.set(key, schema, 24 * 3600)
        self._generated[key] = schema
        return Response(
            data=schema,
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )
