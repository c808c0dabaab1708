"""A fingerprint of the running code: what a kept page or schema was drawn with.

Kept results (core.cache, the API schema) are stored under it, so that a
deployment of other code, templates or translations never serves what the old
code drew, even while the data is unchanged.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version as installed
from pathlib import Path

from django.apps import apps
from django.conf import settings

#: The libraries whose versions shape what is drawn (the schema, the pages).
LIBRARIES = ("django", "djangorestframework", "drf-spectacular", "django-filter")
#: The files of the project that shape it, by folder: modules, templates, translations.
PATTERNS = ("*.py", "*.html", "*.txt", "*.xml", "*.mo")


def _project_app(path: Path, root: Path) -> bool:
    """An app of this project, not a library installed inside the checkout (.venv)."""
    return path.is_relative_to(root) and "site-packages" not in path.parts


def _files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    folders = {Path(c.path) for c in apps.get_app_configs() if _project_app(Path(c.path), root)}
    folders.add(root / "config")
    folders.update(Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", []))
    folders.update(Path(p) for p in settings.LOCALE_PATHS)
    files = {
        path
        for folder in folders
        for pattern in PATTERNS
        for path in folder.rglob(pattern)
        if "tests" not in path.relative_to(folder).parts
    }
    # In production the templates name static files by the hashes in this manifest.
    manifest = Path(settings.STATIC_ROOT or root, "staticfiles.json")
    if manifest.is_file():
        files.add(manifest)
    return sorted(files)


@cache
def code_fingerprint() -> str:
    """A hash of the project's files (path, size, modification time) and of the
    versions of the libraries that shape what is drawn; read once per process
    (`unikom serve` reads it before the workers fork)."""
    digest = hashlib.sha256()
    for path in _files():
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for name in LIBRARIES:
        digest.update(f"{name}={installed(name)};".encode())
    return digest.hexdigest()[:24]
