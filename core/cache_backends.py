"""The default cache: a folder every server process of the machine shares.

Django's FileBasedCache, with two changes:

- a folder it cannot write to or read (a full, read-only or missing disk) is a
  cache that keeps nothing, not an error: the page is computed as if it had never
  been kept, and the failure is logged once per process and kind;
- it counts its files to see whether some must go (MAX_ENTRIES) at most every
  CULL_SECONDS in each process, not on every write: listing the folder took 4 ms
  with 3,000 files, and the API's rate limit writes on every request;
- a new value replaces an entry by removing the old file and renaming the new
  one into its place, not by renaming over it: on ext4 a rename that replaces a
  file first writes the new file's data to disk (auto_da_alloc), 0.11 ms of the
  0.17 ms of a write, on every API request. A reader in between finds no entry (a
  miss), and after a crash an entry may be an empty file, which Django reads as
  expired; an entry that cannot be read at all is a miss too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import tempfile
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
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
        try:
            return self._or(default, super().get, key, default, version)
        except (EOFError, pickle.UnpicklingError, zlib.error, ValueError):
            return default  # a damaged entry: a miss

    def set(self, *args, **kwargs) -> None:
        self._or(None, self._replace, *args, **kwargs)

    def _replace(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        """Django's ``set``, with the old file removed before the new one is renamed."""
        self._createdir()  # the folder may have been deleted
        name = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        renamed = False
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
            os.rename(tmp_path, name)
            renamed = True
        finally:
            if not renamed:
                os.remove(tmp_path)

    def add(self, *args, **kwargs) -> bool:
        return self._or(False, super().add, *args, **kwargs)

    def touch(self, *args, **kwargs) -> bool:
        return self._or(False, super().touch, *args, **kwargs)
