"""The first worksheet of an XLSX workbook, read as a stream of rows, with limits.

Only the standard library: ``zipfile``, and the C XML parser of ElementTree
fed a part of the workbook a chunk at a time, calling a small reader back for
each element instead of building a tree. Nothing is kept but the row being
read, so memory stays flat however long the sheet is, and text is measured
while it arrives. The work is bounded by what the file holds, never by what it
declares: the sheet's ``<dimension>`` (which can claim A1:XFD1048576 for two
rows) only estimates the rows for a progress bar, and a row is as wide as its
last cell.

What a cell gives (as openpyxl's reader gave with ``data_only=False``): text
(shared, inline or a formula's text result) as ``str``; a number as ``int``
when its text has no ".", "e" or "E", else ``float``; a number in a date or
time format as ``datetime.datetime`` from the Excel serial (1900 or 1904
calendar, with Excel's 29 February 1900), ``datetime.time`` for a time of day
alone and ``datetime.timedelta`` for elapsed time ("[h]:mm"); ISO text
(``t="d"``) as ``datetime.datetime``; ``bool``; an error as its text ("#N/A");
a formula as ``Formula("=...")``, never evaluated (the other cells of a shared
formula get its first cell's formula moved to where they are). Text escaped as
``_xHHHH_`` (Excel writes a carriage return as ``_x000D_``) is unescaped.

Limits, each refused with a ``ReadError`` that names the limit and the part,
row or cell where it was met. A national file (50,000 rows × 14 columns, about
40 MB of sheet) is far within all of them, and so is the export of every
activity at national scale (190,000 rows × 23 columns; about 300 MB of sheet,
estimated from its 121 MB as CSV). CSV has no limit of its own but the web
upload's 20 MB; these bound what a small XLSX can unpack to.

- ``MAX_SHEET_BYTES`` (512 MB): the sheet, unpacked. It is streamed, so this
  bounds the time (some 35 s at the 15 MB/s it is read), not the memory.
- ``MAX_SHARED_STRINGS_BYTES`` (128 MB): the shared texts, unpacked. They are
  kept while the file is read: at most ``MAX_SHARED_STRINGS`` (2,000,000)
  texts, ``MAX_SHARED_STRINGS_CHARS`` (64 million) characters in all.
- ``MAX_PART_BYTES`` (16 MB): each other part read (the package's and the
  workbook's relationships, the workbook, the styles), of which at most
  ``MAX_PART_ELEMENTS`` (100,000; Excel allows 64,000 cell formats) elements are
  kept.
- A part's size is checked against what the zip's directory declares before it
  is opened and again against the bytes actually unpacked (a directory can
  lie), so a "zip bomb" stops at the limit. ``MAX_ZIP_DIRECTORY_BYTES`` (1 MB,
  some 10,000 entries; an XLSX has a dozen) is checked before the zip is opened.
- ``MAX_ROWS`` (1,048,576, Excel's own, so no sheet Excel saves is refused): by
  a row's number and by the rows read.
- ``MAX_COLUMNS`` (200; unikom's widest kind has 37 columns): by the column of
  any cell, so a cell at XFD1 is refused at once instead of padding 16,384
  cells; a row also holds at most that many cells.
- ``MAX_CELL_CHARS`` (100,000; Excel itself holds at most 32,767): one value,
  counted while it is read.
- ``MAX_DEPTH`` (64) elements open inside one another, and
  ``MAX_BYTES_WITHOUT_TAG`` (1 MB) of a part without an element ending (a giant
  tag or attribute, which the parser would otherwise gather whole); both are
  checked after each chunk of ``CHUNK_BYTES`` (64 kB) is parsed.
- A part with a DOCTYPE or ENTITY declaration is refused (XLSX files never have
  one; its first bytes, and every chunk, are checked before the parser sees
  them, and the parser refuses one too), so no entity is ever expanded.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError, XMLParser

from django.utils.translation import gettext as _

from .reading import Formula, ReadError

MB = 1024 * 1024
MAX_SHEET_BYTES = 512 * MB
MAX_SHARED_STRINGS_BYTES = 128 * MB
MAX_PART_BYTES = 16 * MB
MAX_PART_ELEMENTS = 100_000
MAX_ZIP_DIRECTORY_BYTES = 1 * MB
MAX_ROWS = 1_048_576
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
MAX_SHARED_STRINGS = 2_000_000
MAX_SHARED_STRINGS_CHARS = 64_000_000
MAX_DEPTH = 64
MAX_BYTES_WITHOUT_TAG = 1 * MB
CHUNK_BYTES = 64 * 1024

#: Built-in number formats that are dates or times (ECMA-376 18.8.30, with the
#: East Asian ones); 46 is elapsed time, [h]:mm:ss.
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
ELAPSED_FORMAT_IDS = frozenset([46])

WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)
MS_PER_DAY = 86_400_000

# SpreadsheetML elements read, by their tag in either namespace of OOXML
# (transitional, strict) or in none, as the parser names them: "{namespace}name".
NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
TAGS = {
    f"{{{namespace}}}{name}" if namespace else name: name
    for namespace in (*NAMESPACES, "")
    for name in ("row", "c", "v", "f", "is", "t", "rPh", "si", "sheetData", "dimension")
}

DIGITS = "0123456789"
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")
ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
# "<!DOCTYPE" and "<!ENTITY" as UTF-8 (or any ASCII-compatible encoding) and UTF-16
# bytes; XML is case-sensitive, so "<!doctype" is no declaration (but an error).
DECLARATION = re.compile(
    b"|".join(
        re.escape(word.encode(encoding))
        for word in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("ascii", "utf-16-le", "utf-16-be")
    )
)
# Number formats: what to drop before looking for date letters, and elapsed time.
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
FORMAT_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
FORMAT_BRACKETS = re.compile(r"\[[^\]]*\]")
FORMAT_DATE_LETTER = re.compile(r"[dmyhs]", re.IGNORECASE)
# A cell reference in a formula, outside strings and quoted sheet names.
FORMULA_PART = re.compile(
    r"\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'"
    r"|(?<![A-Za-z0-9_.])(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)(?![A-Za-z0-9_(])"
)


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


COLUMNS = {column_letters(i): i for i in range(1, MAX_COLUMNS + 1)}


# -- messages ------------------------------------------------------------------------


def _unreadable(cell: str | None = None, row: int | None = None) -> ReadError:
    if cell is None:
        return ReadError(
            _("The file is not an XLSX workbook (Excel 2007 or later) that can be read.")
        )
    return ReadError(
        _("Cell %(cell)s (row %(row)d): the workbook is damaged there and cannot be read.")
        % {"cell": cell, "row": row}
    )


def _too_big(part: str, limit: int) -> ReadError:
    return ReadError(
        _(
            "The workbook's part %(part)s unpacks to more than %(limit)d MB, the most unikom "
            "reads. Split the file into smaller ones, or save it as “CSV UTF-8”."
        )
        % {"part": part, "limit": limit // MB}
    )


def _too_many_columns(cell: str, row: int) -> ReadError:
    return ReadError(
        _(
            "Cell %(cell)s (row %(row)d): the sheet has more columns than unikom reads "
            "(at most %(limit)d)."
        )
        % {"cell": cell, "row": row, "limit": MAX_COLUMNS}
    )


def _too_long(cell: str, row: int) -> ReadError:
    return ReadError(
        _(
            "Cell %(cell)s (row %(row)d): the cell holds more than %(limit)d characters, the "
            "most unikom reads in one cell."
        )
        % {"cell": cell, "row": row, "limit": MAX_CELL_CHARS}
    )


def _too_deep(part: str) -> ReadError:
    return ReadError(
        _(
            "The workbook's part %(part)s nests elements more than %(limit)d deep, which "
            "spreadsheet programs never do; it is not read."
        )
        % {"part": part, "limit": MAX_DEPTH}
    )


def _too_many_elements(part: str) -> ReadError:
    return ReadError(
        _(
            "The workbook's part %(part)s holds more than %(limit)d entries, the most unikom "
            "reads there; it is not read."
        )
        % {"part": part, "limit": MAX_PART_ELEMENTS}
    )


def _no_element_end(part: str) -> ReadError:
    return ReadError(
        _(
            "The workbook's part %(part)s holds more than %(limit)d MB without an element "
            "ending (a giant tag or attribute), which spreadsheet programs never write; it is "
            "not read."
        )
        % {"part": part, "limit": MAX_BYTES_WITHOUT_TAG // MB}
    )


def _declaration(part: str) -> ReadError:
    return ReadError(
        _(
            "The workbook's part %(part)s holds a document type declaration (DOCTYPE or "
            "ENTITY), which XLSX files never have; it is not read."
        )
        % {"part": part}
    )


# -- the zip and the XML of its parts ----------------------------------------------------


def _check_zip_directory(raw: bytes) -> None:
    """Refuse a zip whose directory (its list of entries) is bigger than an XLSX's,
    before ``zipfile`` makes an object of every entry: 20 MB hold 300,000 empty
    entries, which take zipfile 2 s and 150 MB."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 22 - 65_535))
    if end < 0 or end + 22 > len(raw):
        return  # not a zip: zipfile says so
    size = int.from_bytes(raw[end + 12 : end + 16], "little")
    if size == 0xFFFFFFFF:  # Zip64: the size is in the record its locator points to
        locator = end - 20
        if locator < 0 or raw[locator : locator + 4] != b"PK\x06\x07":
            return  # zipfile finds no directory either
        record = int.from_bytes(raw[locator + 8 : locator + 16], "little")
        if raw[record : record + 4] != b"PK\x06\x06":
            return
        size = int.from_bytes(raw[record + 40 : record + 48], "little")
    if size > MAX_ZIP_DIRECTORY_BYTES:
        raise ReadError(
            _(
                "The file's list of contents is larger than an XLSX workbook's (more than "
                "%(limit)d MB); it is not read."
            )
            % {"limit": MAX_ZIP_DIRECTORY_BYTES // MB}
        )


def _chunks(archive: zipfile.ZipFile, part: str, limit: int) -> Iterator[bytes]:
    """The unpacked bytes of a part, checked for size and declarations before they are parsed."""
    info = archive.getinfo(part)
    if info.file_size > limit:
        raise _too_big(part, limit)
    read = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            read += len(chunk)
            if read > limit:
                raise _too_big(part, limit)
            window = tail + chunk
            if (b"<!" in window or b"<\x00!" in window) and DECLARATION.search(window):
                raise _declaration(part)
            tail = chunk[-32:]
            yield chunk


class _Target:
    """What every reader of a part has: the parser calls ``start``, ``data`` and
    ``end``, which count ``starts``, ``ends`` and pieces of kept text (``seen``);
    ``done`` stops the reading early."""

    part = ""
    starts = 0
    ends = 0
    seen = 0
    done = False

    def data(self, text: str) -> None:
        pass

    def doctype(self, name, pubid, system) -> None:
        raise _declaration(self.part)

    def close(self) -> None:
        return None


def _parse(archive: zipfile.ZipFile, part: str, limit: int, target: _Target) -> Iterator[int]:
    """Feed a part to ``target`` a chunk at a time; yields the bytes fed after each chunk."""
    target.part = part
    # No entity can be declared (a DOCTYPE is refused above and in the target), so
    # the attacks defusedxml guards against cannot happen; and nothing is built.
    parser = XMLParser(target=target)  # noqa: S314
    quiet = 0
    seen = 0
    fed = 0
    for chunk in _chunks(archive, part, limit):
        parser.feed(chunk)
        fed += len(chunk)
        # Checked a chunk at a time: elements opened and not closed (the parser
        # keeps their names), and bytes that made no element end or kept text
        # (the parser gathers a tag or attribute whole before it calls back).
        if target.starts - target.ends > MAX_DEPTH:
            raise _too_deep(part)
        if target.ends + target.seen == seen:
            quiet += len(chunk)
            if quiet > MAX_BYTES_WITHOUT_TAG:
                raise _no_element_end(part)
        else:
            seen, quiet = target.ends + target.seen, 0
        yield fed
        if target.done:
            return
    parser.close()
    yield fed


class _Elements(_Target):
    """The attributes of the wanted elements of a small part, each with the local
    name of the element it is in."""

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.found: list[tuple[str, str, dict]] = []
        self.stack: list[str] = []

    def start(self, tag: str, attrib: dict) -> None:
        self.starts += 1
        name = tag.rpartition("}")[2]
        if name in self.wanted:
            if len(self.found) >= MAX_PART_ELEMENTS:
                raise _too_many_elements(self.part)
            self.found.append((name, self.stack[-1] if self.stack else "", attrib))
        self.stack.append(name)

    def end(self, tag: str) -> None:
        self.stack.pop()
        self.ends += 1


def _elements(archive, part: str, wanted: set[str]) -> list[tuple[str, str, dict]]:
    target = _Elements(wanted)
    for _chunk in _parse(archive, part, MAX_PART_BYTES, target):
        pass
    return target.found


def _attribute(attrib: dict, name: str) -> str | None:
    """An attribute by its local name, in whatever namespace (r:id has two, as OOXML has)."""
    for key, value in attrib.items():
        if key == name or key.endswith("}" + name):
            return value
    return None


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)


# -- number formats, Excel dates, formulas -------------------------------------------------


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or a time: its first section holds d, m,
    y, h or s outside quoted text, escaped characters and [colour]/[locale] brackets."""
    section = FORMAT_LITERALS.sub("", code.split(";")[0])
    if FORMAT_ELAPSED.search(section):
        return True
    return FORMAT_DATE_LETTER.search(FORMAT_BRACKETS.sub("", section)) is not None


def is_elapsed_format(code: str) -> bool:
    return FORMAT_ELAPSED.search(FORMAT_LITERALS.sub("", code.split(";")[0])) is not None


def from_excel(serial: float, date1904: bool = False, elapsed: bool = False):
    """A date and time, a time of day or a duration from an Excel serial number of days.

    Excel's 1900 calendar has a 29 February 1900, so serials before 60 (1 March
    1900) are a day off; a serial below 1 is a time of day. Rounded to the
    millisecond, as Excel shows it.
    """
    if elapsed:
        delta = datetime.timedelta(days=serial)
        if delta.microseconds:
            delta = datetime.timedelta(
                seconds=delta.total_seconds() // 1, microseconds=round(delta.microseconds, -3)
            )
        return delta
    days, fraction = divmod(serial, 1)
    moment = datetime.timedelta(milliseconds=round(fraction * MS_PER_DAY))
    if 0 <= serial < 1 and moment.days == 0:
        minutes, seconds = divmod(moment.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return datetime.time(hours, minutes, seconds, moment.microseconds)
    if date1904:
        return MAC_EPOCH + datetime.timedelta(days=days) + moment
    if 0 < serial < 60:
        days += 1
    return WINDOWS_EPOCH + datetime.timedelta(days=days) + moment


def _iso_date(text: str):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return datetime.time.fromisoformat(text.removeprefix("T"))
    except ValueError:
        return text  # not a date: left as text, for the column's reader to refuse


def shift_formula(text: str, rows: int, columns: int) -> str:
    """A formula as it reads ``rows`` down and ``columns`` right of where it was
    written: what a shared formula is in its other cells. Relative references
    move; $-fixed ones do not."""

    def move(match: re.Match) -> str:
        if match.group(2) is None:  # a string or a quoted sheet name
            return match.group(0)
        column_fixed, letters, row_fixed, digits = match.groups()
        column, row = column_number(letters.upper()), int(digits)
        if not column_fixed:
            column += columns
        if not row_fixed:
            row += rows
        if not (1 <= column <= 16_384 and 1 <= row <= 1_048_576):
            return "#REF!"
        return f"{column_fixed}{column_letters(column)}{row_fixed}{row}"

    return FORMULA_PART.sub(move, text)


def _last_row(ref: str) -> int | None:
    match = re.search(r"([0-9]+)$", ref)
    return int(match.group(1)) if match else None


# -- the readers of the shared strings and of the sheet ----------------------------------


class _LongText:
    """A shared text over ``MAX_CELL_CHARS``: kept as its length, refused where a cell uses it."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


class _Strings(_Target):
    """The shared strings: each <si>'s <t>, or its rich-text runs' <t>; phonetic
    <rPh> runs are not part of the text."""

    def __init__(self) -> None:
        self.strings: list = []
        self.total = 0
        self.parts: list[str] | None = None  # of the <si> being read
        self.text: list[str] | None = None  # of the <t> being read
        self.length = 0
        self.phonetic = False

    def start(self, tag: str, attrib: dict) -> None:
        self.starts += 1
        kind = TAGS.get(tag)
        if kind == "t":
            if self.parts is not None and not self.phonetic:
                self.text = []
        elif kind == "si":
            self.parts = []
            self.length = 0
        elif kind == "rPh":
            self.phonetic = True

    def data(self, text: str) -> None:
        if self.text is not None:
            self.seen += 1
            self.length += len(text)
            if self.length <= MAX_CELL_CHARS:  # beyond, only counted
                self.text.append(text)

    def end(self, tag: str) -> None:
        self.ends += 1
        kind = TAGS.get(tag)
        if kind == "t":
            if self.text is not None:
                self.parts.append("".join(self.text))
                self.text = None
        elif kind == "si":
            if self.parts is None:
                return
            if self.length > MAX_CELL_CHARS:
                self.strings.append(_LongText(self.length))
            else:
                text = _unescape("".join(self.parts))
                self.total += len(text)
                if self.total > MAX_SHARED_STRINGS_CHARS:
                    raise ReadError(
                        _(
                            "The workbook's shared texts hold more than %(limit)d characters "
                            "in all, the most unikom reads. Split the file into smaller ones."
                        )
                        % {"limit": MAX_SHARED_STRINGS_CHARS}
                    )
                self.strings.append(text)
            if len(self.strings) > MAX_SHARED_STRINGS:
                raise ReadError(
                    _(
                        "The workbook holds more than %(limit)d different texts, the most "
                        "unikom reads. Split the file into smaller ones."
                    )
                    % {"limit": MAX_SHARED_STRINGS}
                )
            self.parts = None
        elif kind == "rPh":
            self.phonetic = False


def _other_value(kind: str | None, value: str | None):
    """The value of a cell that is not a number or a string: boolean, ISO date, error, text.

    "str" (a formula's text), "e" (an error, "#N/A") and unknown types are kept as text.
    """
    if not value:
        return None
    if kind == "b":
        return value.strip() in ("1", "true")
    if kind == "d":
        return _iso_date(value)
    return _unescape(value)


def _put_out_of_sequence(cells: list, column: int, value) -> None:
    """Put a cell that is not the next one in its row: after a gap, or over a repeated column.

    The columns skipped are filled with None.
    """
    length = len(cells)
    if column > length:
        cells.extend([None] * (column - length - 1))
        cells.append(value)
    else:
        cells[column - 1] = value


class _Sheet(_Target):
    """A worksheet's rows: each finished row is put in ``rows`` as (number, cells)."""

    def __init__(self, book: Workbook) -> None:
        self.strings = book.strings
        self.date_styles = book.date_styles
        self.date1904 = book.date1904
        self.shared_formulas: dict[str | None, tuple[str, int, int]] = {}
        self.rows: list[tuple[int, list]] = []
        self.dimension_rows: int | None = None
        self.number = 0  # of the row being read, or the last one
        self.count = 0  # rows read
        self.cells: list | None = None  # of the row being read
        self.column = 0  # of the cell being read, or the last one
        self.width = 0  # cells in the row
        # the cell being read
        self.ref: str | None = None
        self.type: str | None = None
        self.style: str | None = None
        self.value: str | None = None
        self.formula: str | None = None
        self.formula_attrib: dict = {}
        self.inline: list[str] | None = None
        self.text: list[str] | None = None
        self.length = 0
        self.phonetic = False

    def where(self) -> str:
        return self.ref or f"{column_letters(self.column)}{self.number}"

    def start(self, tag: str, attrib: dict) -> None:
        self.starts += 1
        kind = TAGS.get(tag)
        if kind == "c":
            ref = attrib.get("r")
            if ref is None:
                column = self.column + 1
            else:
                column = COLUMNS.get(ref.rstrip(DIGITS))
                if column is None:
                    self.ref = ref
                    if CELL_REFERENCE.fullmatch(ref.upper()) is None:
                        raise _unreadable(ref, self.number)
                    raise _too_many_columns(ref, self.number)
            self.width += 1
            if column > MAX_COLUMNS or self.width > MAX_COLUMNS:
                raise _too_many_columns(
                    ref or f"{column_letters(column)}{self.number}", self.number
                )
            self.column = column
            self.ref = ref
            self.type = attrib.get("t")
            self.style = attrib.get("s")
            self.value = self.formula = self.inline = None
        elif kind == "v":
            self.text = []
            self.length = 0
        elif kind == "t":
            if self.inline is not None and not self.phonetic:
                self.text = []
        elif kind == "is":
            self.inline = []
            self.length = 0
        elif kind == "row":
            self.row_start(attrib.get("r"))
        elif kind == "f":
            self.formula_attrib = attrib
            self.text = []
            self.length = 0
        elif kind == "rPh":
            self.phonetic = True
        elif kind == "dimension":
            self.dimension_rows = _last_row(attrib.get("ref") or "")

    def row_start(self, r: str | None) -> None:
        if r is None:
            number = self.number + 1
        else:
            try:
                number = int(r)
            except ValueError:
                raise _unreadable() from None
        self.count += 1
        if number > MAX_ROWS or self.count > MAX_ROWS:
            raise ReadError(
                _(
                    "Row %(row)d: the sheet has more rows than unikom reads (at most "
                    "%(limit)d). Split the file into smaller ones."
                )
                % {"row": max(number, self.count), "limit": MAX_ROWS}
            )
        if number < 1:
            raise _unreadable()
        self.number = number
        self.cells = []
        self.column = self.width = 0

    def data(self, text: str) -> None:
        if self.text is not None:
            self.seen += 1
            self.length += len(text)
            if self.length > MAX_CELL_CHARS:
                raise _too_long(self.where(), self.number)
            self.text.append(text)

    def end(self, tag: str) -> None:
        self.ends += 1
        kind = TAGS.get(tag)
        if kind == "v":
            if self.text is not None:
                self.value = "".join(self.text)
                self.text = None
        elif kind == "c":
            if self.cells is not None:
                self.cell_end()
        elif kind == "t":
            if self.text is not None:
                if self.inline is not None:
                    self.inline.append("".join(self.text))
                self.text = None
        elif kind == "is":
            pass
        elif kind == "row":
            if self.cells is not None:
                self.rows.append((self.number, self.cells))
                self.cells = None
        elif kind == "f":
            if self.text is not None:
                self.formula = "".join(self.text)
                self.text = None
        elif kind == "rPh":
            self.phonetic = False
        elif kind == "sheetData":
            self.done = True  # what follows the rows (merged cells, formatting) is not needed

    def cell_end(self) -> None:
        """The value of the cell just read, put in its column of the row."""
        value = self.value
        kind = self.type
        if self.formula is not None:
            value = self.formula_value()
        elif kind == "s":
            try:
                value = self.strings[int(value)]
            except (TypeError, ValueError, IndexError):
                raise _unreadable(self.where(), self.number) from None
            if type(value) is _LongText:
                raise _too_long(self.where(), self.number)
        elif kind is None or kind == "n":
            if value:
                try:
                    if "." in value or "e" in value or "E" in value:
                        value = float(value)
                    else:
                        value = int(value)
                except ValueError:
                    raise _unreadable(self.where(), self.number) from None
                style = self.style
                if style is not None and style in self.date_styles:
                    value = self.date_value(value, style)
            else:
                value = None
        elif kind == "inlineStr":
            if self.inline is not None:
                value = _unescape("".join(self.inline))
                if len(value) > MAX_CELL_CHARS:
                    raise _too_long(self.where(), self.number)
            elif value:
                value = _unescape(value)
        else:
            value = _other_value(kind, value)
        cells = self.cells
        column = self.column
        if column == len(cells) + 1:
            cells.append(value)
        else:
            _put_out_of_sequence(cells, column, value)

    def date_value(self, number: float, style: str):
        """A number in a date style as its date, time or both; "#VALUE!" when out of range."""
        try:
            return from_excel(number, self.date1904, self.date_styles[style])
        except (OverflowError, ValueError):
            return "#VALUE!"  # as Excel shows a date out of its range

    def formula_value(self) -> Formula:
        text = self.formula or ""
        attrib = self.formula_attrib
        if attrib.get("t") == "shared":
            index = attrib.get("si")
            if text:
                self.shared_formulas[index] = (text, self.number, self.column)
            elif index in self.shared_formulas:
                first, row, column = self.shared_formulas[index]
                text = shift_formula(first, self.number - row, self.column - column)
                if len(text) > MAX_CELL_CHARS:
                    raise _too_long(self.where(), self.number)
        return Formula("=" + text)


# -- the workbook ------------------------------------------------------------------------

LOW_LEVEL_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    EOFError,
    OSError,
    NotImplementedError,  # a compression zipfile does not know
    RuntimeError,  # an encrypted entry
    ValueError,
)


class Workbook:
    """What is needed to read the first worksheet of a workbook.

    Opening one reads the relationships, the workbook, the styles and the shared
    strings, and raises ``ReadError`` for a file that is not a workbook or breaks
    a limit; ``rows()`` streams the sheet, from the raw bytes each time.
    """

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.date1904 = False
        self.date_styles: dict[str, bool] = {}
        self.strings: list = []
        self.dimension_rows: int | None = None
        self.sample: tuple[int, int] | None = None  # (rows, bytes) of the sheet's first chunk
        _check_zip_directory(raw)
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                self._names = {name.lower(): name for name in archive.namelist()}
                self._read_parts(archive)
        except ReadError:
            raise
        except LOW_LEVEL_ERRORS as error:
            raise _unreadable() from error

    def _part(self, name: str) -> str | None:
        """The zip entry of a part (part names are not case-sensitive)."""
        return self._names.get(name.lower())

    def _relationships(self, archive, part: str) -> list[tuple[str, str, str]]:
        """(id, type, part name) of each relationship of ``part`` to another part."""
        folder, base = posixpath.split(part)
        rels = self._part(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return []
        found = []
        for _name, _parent, attrib in _elements(archive, rels, {"Relationship"}):
            if attrib.get("TargetMode") == "External":
                continue
            target = unquote(attrib.get("Target") or "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            found.append((attrib.get("Id") or "", attrib.get("Type") or "", name))
        return found

    def _read_parts(self, archive: zipfile.ZipFile) -> None:
        workbook = "xl/workbook.xml"
        for _id, kind, name in self._relationships(archive, ""):
            if kind.endswith("/officeDocument") and self._part(name):
                workbook = name
                break
        workbook = self._part(workbook)
        if workbook is None:
            raise _unreadable()
        sheets = []
        for name, _parent, attrib in _elements(archive, workbook, {"sheet", "workbookPr"}):
            if name == "sheet":
                sheets.append(_attribute(attrib, "id"))
            else:
                self.date1904 = (attrib.get("date1904") or "").lower() in ("1", "true")
        relationships = self._relationships(archive, workbook)
        if relationships:
            by_id = {rid: (kind, name) for rid, kind, name in relationships}
            sheet = next(
                (
                    self._part(by_id[rid][1])
                    for rid in sheets
                    if rid in by_id and by_id[rid][0].endswith("/worksheet")
                ),
                None,
            )
        else:
            sheet = self._part("xl/worksheets/sheet1.xml")
        if sheet is None:
            raise _unreadable()
        self.sheet = sheet
        self.sheet_bytes = archive.getinfo(sheet).file_size

        def related(suffix: str, default: str) -> str | None:
            for _id, kind, name in relationships:
                if kind.endswith(suffix):
                    return self._part(name)
            return self._part(default)

        styles = related("/styles", "xl/styles.xml")
        if styles:
            self.date_styles = self._read_styles(archive, styles)
        strings = related("/sharedStrings", "xl/sharedStrings.xml")
        if strings:
            target = _Strings()
            for _chunk in _parse(archive, strings, MAX_SHARED_STRINGS_BYTES, target):
                pass
            self.strings = target.strings

    def _read_styles(self, archive, part: str) -> dict[str, bool]:
        """Cell style index, as a cell's ``s`` writes it -> whether the date format of
        the style is elapsed time; for the styles whose number format is a date."""
        custom: dict[int, str] = {}
        formats: list[int] = []
        for name, parent, attrib in _elements(archive, part, {"numFmt", "xf"}):
            try:
                format_id = int(attrib.get("numFmtId") or 0)
            except ValueError:
                format_id = 0
            if name == "numFmt":
                if parent == "numFmts":  # not a conditional format's (in <dxf>)
                    custom[format_id] = attrib.get("formatCode") or ""
            elif parent == "cellXfs":
                formats.append(format_id)
        dates = {}
        for index, format_id in enumerate(formats):
            code = custom.get(format_id)
            if code is not None:
                if is_date_format(code):
                    dates[str(index)] = is_elapsed_format(code)
            elif format_id in DATE_FORMAT_IDS:
                dates[str(index)] = format_id in ELAPSED_FORMAT_IDS
        return dates

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells from column A) of every row the sheet holds, in its
        order; a missing cell is None, and a row ends at its last cell."""
        try:
            with zipfile.ZipFile(io.BytesIO(self.raw)) as archive:
                target = _Sheet(self)
                for fed in _parse(archive, self.sheet, MAX_SHEET_BYTES, target):
                    if self.sample is None:
                        self.dimension_rows = target.dimension_rows
                        self.sample = (target.count, fed)
                    if target.rows:
                        rows, target.rows = target.rows, []
                        yield from rows
        except ReadError:
            raise
        except LOW_LEVEL_ERRORS as error:
            raise _unreadable() from error

    def estimated_rows(self) -> int | None:
        """The sheet's rows, for a progress bar only, once ``rows()`` has begun: as its
        <dimension> says, else from the rows in its first chunk; no more than
        ``MAX_ROWS``, nor than its size could hold (a row with a value takes some
        30 bytes)."""
        if self.dimension_rows is not None:
            rows = self.dimension_rows
        elif self.sample is not None and self.sample[1]:
            rows, read = self.sample
            rows = round(rows * self.sheet_bytes / read)
        else:
            return None
        return min(rows, MAX_ROWS, max(self.sheet_bytes // 30, 1))
