"""Reading a spreadsheet file into a header and rows, whatever program saved it.

CSV: read by ``core.tabular.read_csv`` (shared with the reference data, and
imported from here as before): UTF-8 (with or without the byte-order mark
Excel writes), else Windows-1252, or UTF-16 with its byte-order mark; anything
else is refused with a message instead of being read as nonsense. The
separator (comma, semicolon, tab) is found from the header line.

XLSX: the first worksheet, streamed by ``imports.xlsx`` (the standard
library's zip and XML parser, within limits on size, rows, columns and text
that it lists), so a big sheet is never loaded whole and a small file cannot
make much work by declaring a big one. Formulas are never evaluated: a formula
cell is reported as a problem (``Formula``), since its value would be whatever
the last program that saved the file computed, if anything.

Rows are numbered as the user sees them: the header is row 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The CSV reader is core's, shared with the reference data; imported from here too.
from core.tabular import (  # noqa: F401
    BINARY,
    CSV_SEPARATORS,
    MAX_FIELD_CHARS,
    ReadError,
    Table,
    decode,
    read_csv,
)


@dataclass(frozen=True)
class Formula:
    """A formula found in an XLSX cell; never evaluated."""

    text: str


def read_xlsx(raw: bytes) -> Table:
    from .xlsx import Workbook

    book = Workbook(raw)
    # The first reading of the rows goes on from the header's (the rows after it
    # may already be parsed); a reading after that opens the sheet again.
    first_reading = book.rows()
    first = next(first_reading, None)
    if first is None or first[0] != 1 or not any(c not in (None, "") for c in first[1]):
        raise ReadError(_("The file is empty."))
    header = [_header_cell(cell) for cell in first[1]]
    kept = [first_reading]

    def rows() -> Iterator[tuple[int, list]]:
        width = len(header)
        for number, cells in kept.pop() if kept else book.rows():
            if number < 2 or not any(c not in (None, "") for c in cells):
                continue
            # A sheet leaves blank cells at a row's end out; each column is read
            # all the same, so a blank clears the value, as a blank CSV field does.
            if len(cells) < width:
                cells.extend([None] * (width - len(cells)))
            yield number, cells

    estimate = book.estimated_rows()
    return Table(header=header, _rows=rows, total=max((estimate or 2) - 1, 1))


def _header_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Formula):
        return cell.text
    return str(cell)


def read_table(raw: bytes, filename: str) -> Table:
    """A CSV or XLSX file as a table; which one is told by the content, not the name."""
    if not raw or not raw.strip():
        raise ReadError(_("The file is empty."))
    if raw.startswith(b"PK\x03\x04"):
        return read_xlsx(raw)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ReadError(
            _("The file is not an XLSX workbook (Excel 2007 or later) that can be read.")
        )
    if filename.lower().endswith(".xls") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(
            _("Old Excel files (.xls) cannot be read. Save the sheet as XLSX or “CSV UTF-8”.")
        )
    return read_csv(raw)
