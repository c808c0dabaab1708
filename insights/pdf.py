"""Loading WeasyPrint, which draws the report as a PDF, for the page and the command.

WeasyPrint is slow to import and needs the Pango system libraries, so it is
loaded only when a PDF is asked for. When it cannot be loaded, ``PdfUnavailable``
names what is missing and how to install it: ``/report/pdf/`` answers 503 with
that message, ``unikom report --format pdf`` stops with it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

PDF_LIBRARIES_HINT = (
    "WeasyPrint needs the Pango libraries to make a PDF. On Debian or Ubuntu install them "
    "with: apt-get install libpango-1.0-0 libpangoft2-1.0-0."
)
NOT_INSTALLED = "WeasyPrint is not installed: pip install 'weasyprint>=62,<71'."


class PdfUnavailable(Exception):
    """WeasyPrint cannot be loaded; the message (English, for whoever runs the
    server) names what is missing and how to install it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_weasyprint() -> ModuleType:
    """The weasyprint module, or PdfUnavailable naming what is missing."""
    try:
        return importlib.import_module("weasyprint")
    except ImportError as exc:
        raise PdfUnavailable(NOT_INSTALLED) from exc
    except OSError as exc:
        raise PdfUnavailable(
            f"WeasyPrint could not load a system library ({exc}). {PDF_LIBRARIES_HINT}"
        ) from exc
