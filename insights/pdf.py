"""Loading WeasyPrint, which draws the report as a PDF, for the page and the command.

WeasyPrint is slow to import and needs the Pango system libraries, so it is
loaded only when a PDF is asked for. When it cannot be loaded, ``PdfUnavailable``
names what is missing and how to install it: ``/report/pdf/`` answers 503 with
that message, ``unikom report --format pdf`` stops with it.

The site draws its PDFs in a process of its own (``draw_pdf``): the national
report is some 700 pages, which WeasyPrint laid out in 94 s and 1.2 GB, memory a
server worker would have kept (480 MB after it, measured at national scale).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
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


#: The child that draws: the HTML on its standard input, the PDF on its output.
#: It needs no Django, only WeasyPrint, which the parent has already loaded once.
DRAW = (
    "import sys, weasyprint; "
    "sys.stdout.buffer.write("
    "weasyprint.HTML(string=sys.stdin.buffer.read().decode('utf-8')).write_pdf())"
)


def draw_pdf(html: str) -> bytes:
    """``html`` (a self-contained document) drawn as a PDF by WeasyPrint in a
    child process, whose memory goes back to the system when it ends."""
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", DRAW], input=html.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise RuntimeError(f"WeasyPrint stopped ({done.returncode}): {problem[0]}")
    return done.stdout
