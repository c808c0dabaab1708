"""The default cache: a folder every server process of the machine shares.

Django's FileBasedCache, with two changes:

- a folder it cannot write to or read (a full, read-only or missing disk) is a
  cache that keeps nothing, not an error: the page is computed as if it had never
  been kept, and the failure is logged once per process and kind;
- it counts its files to see whether some must go (MAX_ENTRIES) at most every
  CULL_SECONDS in each process, not on every write: listing the folder took 4 ms
  with 3,000 files, and the API's rate limit writes on every request.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)


CULL_SECONDS = 30


class FileCache(FileBasedCache):
    _warned: set[str] = set()
    _culled_at = float("-inf")

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._culled_at < CULL_SECONDS:
            return
        self._culled_at = now
        super()._cull()

    def _unwritable(self, error: OSError) -> None:
        kind = type(error).__name__
        if kind not in self._warned:
            self._warned.add(kind)
            logger.warning("The cache folder %s cannot be written: %s", self._dir, error)

    def _or(self, default, method, *args, **kwargs):
        """``method(*args, **kwargs)``, or ``default`` if the folder fails it."""
        try:
            return method(*args, **kwargs)
        except OSError as error:  # a missing file is a miss already, not an error
            self._unwritable(error)
            return default

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def set(self, *args, **kwargs) -> None:
        self._or(None, super().set, *args, **kwargs)

    def add(self, *args, **kwargs) -> bool:
        return self._or(False, super().add, *args, **kwargs)

    def touch(self, *args, **kwargs) -> bool:
        return self._or(False, super().touch, *args, **kwargs)
