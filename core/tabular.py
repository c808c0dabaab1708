"""Reading a CSV file into a header and rows, whatever program saved it.

UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252 —
what Excel on Windows saves as plain "CSV" (it agrees with ISO-8859-1/latin-1
on every printable character); UTF-16 with its byte-order mark. Anything else
(a binary file, UTF-16 without a mark) is refused with a :class:`ReadError`
instead of being read as nonsense. The separator (comma, semicolon, tab) is
found from the header line.

Rows are numbered as the user sees them in a spreadsheet: the header is row 1,
and a line break inside a quoted cell does not shift the numbers. Blank rows
are skipped. The importer (``imports.reading``, which adds XLSX) and the
reference data (``organisations.refdata``) read their CSV files with
:func:`read_csv`; see also :mod:`core.loading`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

CSV_SEPARATORS = ",;\t"
# Control characters a text file never holds (tab, line feed, carriage return are fine).
BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_FIELD_CHARS = 1_000_000


class ReadError(Exception):
    """The file cannot be read as a table at all; ``message`` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class Table:
    """A header and a way to read the rows again (the import reads them twice)."""

    header: list[str]
    _rows: object  # a callable returning an iterator of (row number, cells)
    total: int  # rows below the header, or an estimate where the format cannot tell cheaply
    notes: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list]]:
        return self._rows()


def decode(raw: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding it was read with."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    else:
        for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not BINARY.search(text):
                return text, label
            break
    raise ReadError(
        _(
            "The file is not text in a character encoding unikom can read (UTF-8 or "
            "Windows-1252). If it is a spreadsheet, save it as “CSV UTF-8” or as XLSX."
        )
    )


def read_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    if not text.strip():
        raise ReadError(_("The file is empty."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in CSV_SEPARATORS}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    csv.field_size_limit(MAX_FIELD_CHARS)

    def rows() -> Iterator[tuple[int, list]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            next(reader)
            for number, row in enumerate(reader, start=2):
                if any(cell.strip() for cell in row):
                    yield number, row
        except csv.Error as error:
            raise ReadError(
                _("Row %(row)d: the CSV is malformed (%(error)s).")
                % {"row": reader.line_num, "error": error}
            ) from error

    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ReadError(_("Row 1: the CSV is malformed (%(error)s).") % {"error": error}) from error
    notes = []
    if encoding != "UTF-8":
        notes.append(_("The file was read as %(encoding)s text.") % {"encoding": encoding})
    return Table(header=header, _rows=rows, total=max(text.count("\n") - 1, 1), notes=notes)
