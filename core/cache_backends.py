"""The default cache: a folder every server process of the machine shares.

Django's FileBasedCache, except that a folder it cannot write to or read (a full,
read-only or missing disk) is a cache that keeps nothing, not an error: the page is computed as
if it had never been kept, and the failure is logged once per process and kind.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)


class FileCache(FileBasedCache):
    _warned: set[str] = set()

    def _unwritable(self, error: OSError) -> None:
        kind = type(error).__name__
        if kind not in self._warned:
            self._warned.add(kind)
            logger.warning("The cache folder %s cannot be written: %s", self._dir, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OSError as error:  # FileNotFoundError is a miss already
            self._unwritable(error)
            return default

    def set(self, *args, **kwargs) -> None:
        try:
            super().set(*args, **kwargs)
        except OSError as error:
            self._unwritable(error)

    def add(self, *args, **kwargs) -> bool:
        try:
            return super().add(*args, **kwargs)
        except OSError as error:
            self._unwritable(error)
            return False

    def touch(self, *args, **kwargs) -> bool:
        try:
            return super().touch(*args, **kwargs)
        except OSError as error:
            self._unwritable(error)
            return False
