"""Whole-list downloads kept on disk until the data changes.

The first anonymous request for an unfiltered export (or the archive) after a
change streams it as before and writes the same bytes to a file in
``UNIKOM_DATA_DIR/exports``; later requests at the same data version
(``core.cache.data_version``) are sent from that file, which reads at disk
speed instead of formatting 200,000 records again. The file appears under its
final name only when it is complete (written aside, then renamed), so a
download broken off half-way leaves nothing behind; a newer version of the same
download replaces the older one.

Filtered exports and those of signed-in users (who may see records the public
does not) are always produced afresh: they are smaller, and keeping every
combination would fill the disk.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from core.cache import data_version

logger = logging.getLogger(__name__)

#: Query parameters that do not narrow the records (only the file's form).
FORM_ONLY = {"bom"}


def folder() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def keepable(request: HttpRequest, *, public_only: bool = False) -> bool:
    """Whether the download is the same for every visitor: unfiltered, and asked
    for anonymously unless it holds public records only whoever asks (the
    archive); and keeping is on (``UNIKOM_KEEP_DOWNLOADS``)."""
    return (
        settings.UNIKOM_KEEP_DOWNLOADS
        and (public_only or not request.user.is_authenticated)
        and set(request.GET) <= FORM_ONLY
    )


class Kept:
    """Where one download (``name``: kind and format, or the archive) is kept."""

    def __init__(self, request: HttpRequest, name: str, suffix: str) -> None:
        same = repr(
            (name, sorted(request.GET.lists()), get_language(), request.build_absolute_uri("/"))
        )
        self.stem = hashlib.sha256(same.encode()).hexdigest()[:32]
        version = hashlib.sha256(data_version().encode()).hexdigest()[:16]
        self.path = folder() / f"{self.stem}-{version}{suffix}"

    def open(self):
        """The kept file opened for reading, or None."""
        try:
            return self.path.open("rb")
        except OSError:  # not kept (yet), or the folder is not there
            return None

    def tee(self, blocks: Iterator[bytes]) -> Iterator[bytes]:
        """``blocks`` as they come, written to the kept file at the same time.

        A disk that cannot take the file (full, read-only) only stops the keeping:
        the download goes on.
        """
        out, part = self._open_part()
        complete = False
        try:
            for block in blocks:
                if out is not None:
                    try:
                        out.write(block)
                    except OSError as error:
                        self._unwritable(error)
                        out.close()
                        out = None
                yield block
            complete = out is not None
        finally:
            if out is not None:
                try:
                    out.close()
                except OSError as error:
                    self._unwritable(error)
                    complete = False
            if part is not None:
                if complete:
                    self._publish(part)
                else:  # the client went away, producing it failed, or the disk did
                    part.unlink(missing_ok=True)

    def _open_part(self):
        """A new file beside the kept one, open for writing, and its path; (None,
        None) if the disk cannot take it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, part = tempfile.mkstemp(dir=self.path.parent, prefix=".part-")
        except OSError as error:
            self._unwritable(error)
            return None, None
        return os.fdopen(handle, "wb"), Path(part)

    def _unwritable(self, error: OSError) -> None:
        logger.warning("A download cannot be kept in %s: %s", self.path.parent, error)

    def _publish(self, part: Path) -> None:
        os.replace(part, self.path)
        for older in self.path.parent.glob(f"{self.stem}-*"):
            if older != self.path:
                older.unlink(missing_ok=True)
