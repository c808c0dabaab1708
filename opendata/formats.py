"""Writers for the export formats: CSV, XLSX and JSON (JSON-LD is in ``jsonld``).

CSV and XLSX are read by spreadsheets, so every text cell passes through
``columns.neutralise`` (the formula guard); JSON is read by programs and keeps
values exactly as they are.

Every writer reads the records a batch at a time (``Selection.records``) and
hands its output on as it goes: CSV and JSON as text pieces, XLSX as blocks of
a zip file written while it is sent. ``json_pieces`` writes exactly the text
``dumps(json_document(...))`` gives, without holding the document.
"""

from __future__ import annotations

import csv
import io
import json
import queue
import threading
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TIME_FORMATS
from openpyxl.compat import safe_string
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from . import columns as cols
from .exports import Selection
from .licence import LICENCE, SOURCE_NAME, attribution_text

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: fmt -> (content type, file extension)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": (XLSX_TYPE, "xlsx"),
    "json": ("application/json", "json"),
    "jsonld": ("application/ld+json", "jsonld"),
}


def filename(kind: str, fmt: str, generated: datetime) -> str:
    return f"unikom-{kind}-{timezone.localtime(generated).date().isoformat()}.{FORMATS[fmt][1]}"


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(selection: Selection, ctx: cols.ExportContext, *, bom: bool = False) -> Iterator[str]:
    """The export as CSV text, one line at a time (header first).

    ``bom`` starts the text with a byte order mark, which Excel needs to read
    UTF-8 (without it, "ø" shows as "Ã¸").
    """
    writer = csv.writer(_Echo())
    line = writer.writerow(cols.header(selection.kind))
    yield (BOM + line) if bom else line
    for values in selection.values(ctx):
        yield writer.writerow(cols.cells(values))


def csv_text(selection: Selection, ctx: cols.ExportContext, *, bom: bool = False) -> str:
    return "".join(csv_lines(selection, ctx, bom=bom))


def _xlsx_value(column: cols.Column, value: Any) -> Any:
    """A typed cell value: dates as dates, numbers as numbers, the rest as guarded text."""
    if value is None:
        return None
    if column.type == cols.DATETIME and isinstance(value, datetime):
        # Excel has no time zones: the local (TIME_ZONE) wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if column.type in (cols.DATE, cols.INTEGER, cols.NUMBER) and isinstance(
        value, date | int | Decimal
    ):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", cols.to_string(value))
    return cols.neutralise(text)


#: A generous bound on the bytes of one row in any format (a national export's
#: activities take about 0.6 KB in CSV, 2.5 KB in the sheet's XML). A file of
#: more rows than ZIP64_LIMIT / MAX_ROW_BYTES (about 260,000) is written with
#: ZIP64 sizes, which must be chosen before its size is known.
MAX_ROW_BYTES = 8 * 1024


def _about_text(value: Any) -> str:
    return cols.neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class Pipe:
    """A write-only file that keeps what is written until it is taken.

    ``zipfile`` accepts a file it cannot seek in: it then writes each member's
    sizes and checksum after its data (a "data descriptor") instead of going
    back to its header, so a zip file (the archive, a workbook) can be sent
    while it is written.
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        # A member may be written in a thread of its own (``written_aside``).
        self._lock = threading.Lock()

    def write(self, data) -> int:
        with self._lock:
            self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        with self._lock:
            data = b"".join(self._parts)
            self._parts.clear()
        return data


#: Blocks handed to ``written_aside``'s thread that may wait for it, and their
#: size: the thread waits for the interpreter before each block (up to 5 ms,
#: ``sys.getswitchinterval``), which a block of 1 MB (10 ms to compress) outweighs.
WAITING_BLOCKS = 4
HANDED_BYTES = 1024 * 1024


def written_aside(member, blocks: Iterable[bytes]) -> Iterator[None]:
    """Write ``blocks`` to ``member`` (a zip member open for writing) in a thread
    of its own, pausing (``yield``) after handing over each block.

    zlib compresses without holding the interpreter, so while the thread
    compresses one block this one makes the next (a national workbook's or
    archive's compression took a fifth of its time, in the same thread as
    the rows). At most ``WAITING_BLOCKS`` blocks wait. The member is written
    by the thread alone until this ends; an error in it is raised here; a
    download that stops early stops the thread after the block it writes.
    """
    handed: queue.Queue = queue.Queue(maxsize=WAITING_BLOCKS)
    failed: list[BaseException] = []

    def write() -> None:
        while (block := handed.get()) is not None:
            if not failed:
                try:
                    member.write(block)
                except BaseException as error:  # noqa: BLE001 (raised again in the caller's thread)
                    failed.append(error)

    writer = threading.Thread(target=write, name="unikom-zip-writer", daemon=True)
    writer.start()
    try:
        gathered: list[bytes] = []
        size = 0
        for block in blocks:
            if failed:
                break
            gathered.append(block)
            size += len(block)
            if size >= HANDED_BYTES:
                handed.put(b"".join(gathered))
                gathered, size = [], 0
            yield
        if gathered and not failed:
            handed.put(b"".join(gathered))
    finally:
        handed.put(None)
        writer.join()
    if failed:
        raise failed[0]


def xlsx_write(target, selection: Selection, ctx: cols.ExportContext, meta: dict) -> None:
    """Write the workbook of ``xlsx_stream`` to ``target`` (a binary file)."""
    for block in xlsx_stream(selection, ctx, meta):
        target.write(block)


def xlsx_stream(selection: Selection, ctx: cols.ExportContext, meta: dict) -> Iterator[bytes]:
    """The export as an Excel workbook, in blocks of bytes sent while the
    records are read (the zip is written with data descriptors, as ``Pipe``
    explains, so nothing waits for its end): a sheet of rows (bold, frozen
    header) and a sheet "about" with source, licence, attribution and filters.

    openpyxl (write-only mode) writes the workbook with the header row alone:
    styles, the about sheet and the package's other parts. The rows are then
    written into that sheet as they are read, by ``xlsx_rows``, which gives
    the same XML openpyxl would (tested) at many times its speed: openpyxl
    builds an XML element for every cell, which took minutes for a national
    export. Memory holds one batch of records and one block of output.
    """
    kind = cols.KINDS[selection.kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind.name)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    sheet.append([heading(c.name) for c in kind.columns])
    styles = {t: _style_id(sheet, TIME_FORMATS[t]) for t in (date, datetime)}

    about = workbook.create_sheet(title="about")
    for key in ("source", "licence", "attribution", "generated", "count"):
        about.append([key, _about_text(_flat(meta[key]))])
    for key, value in meta["filters"].items():
        # The filters come from the address: anything a client typed, control
        # characters included, which a worksheet cannot hold.
        about.append([_about_text(f"filter: {key}"), _about_text(value)])
    skeleton = io.BytesIO()
    workbook.save(skeleton)

    rows = xlsx_rows(kind, selection.values(ctx), styles)
    zip64 = selection.count * MAX_ROW_BYTES > zipfile.ZIP64_LIMIT
    pipe = Pipe()
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as package,
    ):
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            if info.filename != sheet.path.lstrip("/"):
                package.writestr(copy, source.read(info))
                continue
            # The header-only sheet, with the rows put in after the header row.
            head, end, tail = source.read(info).decode("utf-8").partition("</sheetData>")
            with package.open(copy, "w", force_zip64=zip64) as member:
                member.write(head.encode("utf-8"))
                yield pipe.take()  # the workbook's first bytes, before any record is read
                for _ in written_aside(member, chunks(rows)):
                    if data := pipe.take():
                        yield data
                member.write((end + tail).encode("utf-8"))
    yield pipe.take()  # the rest, and the central directory written on close


def _style_id(sheet, number_format: str) -> int:
    """The workbook's style for cells in ``number_format`` (registered if new)."""
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return cell.style_id


#: Column types whose values are text (or None), written without ``_xlsx_value``'s checks.
_TEXT_TYPES = frozenset({cols.STRING, cols.TEXT, cols.CODE, cols.SLUG, cols.UUID, cols.URL})


def xlsx_rows(
    kind: cols.Kind, rows: Iterable[dict[str, Any]], styles: dict[type, int]
) -> Iterator[str]:
    """The ``<row>`` elements of the data sheet from row 2 on, one for each row of
    values (``Selection.values``), as openpyxl writes them in write-only mode:
    typed cells (``_xlsx_value``), empty ones left out, text inline, dates and
    date-times as serial numbers in the styles of ``styles`` (by type).

    Text and lists, most of a sheet's cells, take a shorter way to the same
    cell than ``_xlsx_value``'s checks for every type.
    """
    columns = [
        (get_column_letter(i), column, column.name, column.type in _TEXT_TYPES)
        for i, column in enumerate(kind.columns, start=1)
    ]
    illegal = ILLEGAL_CHARACTERS_RE.sub
    triggers, guard = cols.FORMULA_TRIGGERS, cols.FORMULA_GUARD
    for number, values in enumerate(rows, start=2):
        cells = [f'<row r="{number}">']
        for letter, column, name, text_type in columns:
            value = values[name]
            if value is None:
                continue
            type_ = type(value)
            if type_ is str and text_type or type_ is list:
                # As _xlsx_value: the text without characters a sheet cannot hold,
                # then columns.neutralise's formula guard, inline: a call for each
                # text cell made the national workbook 2-5 % slower. The XML test
                # against openpyxl with _xlsx_value keeps the two equal.
                value = illegal("", value if type_ is str else cols.LIST_SEPARATOR.join(value))
                if value[:1] in triggers:
                    value = guard + value
                type_ = str
            else:
                value = _xlsx_value(column, value)
                if value is None:
                    continue
                type_ = type(value)
            ref = f"{letter}{number}"
            if type_ is str:
                if not value:
                    cells.append(f'<c r="{ref}" t="inlineStr" />')
                    continue
                # Kept as it is where it starts or ends with white space (and is not all of it).
                space = (
                    ' xml:space="preserve"'
                    if (value[0].isspace() or value[-1].isspace()) and not value.isspace()
                    else ""
                )
                text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif type_ is bool:
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, date):  # a datetime is a date too
                style = styles[datetime if isinstance(value, datetime) else date]
                cells.append(
                    f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(to_excel(value))}</v></c>'
                )
            else:
                cells.append(f'<c r="{ref}" t="n"><v>{safe_string(value)}</v></c>')
        cells.append("</row>")
        yield "".join(cells)


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    return str(value)


def meta(selection: Selection, generated: datetime, base_url: str = "", count: Any = None) -> dict:
    """Where the data comes from, under which terms, and which filters chose it.

    ``count`` stands in for the number of rows (``json_pieces`` sends the
    text before it while the rows are still being counted).
    """
    return {
        "source": f"{SOURCE_NAME} {base_url}".strip(),
        "kind": selection.kind,
        "licence": dict(LICENCE),
        "attribution": attribution_text(),
        "generated": timezone.localtime(generated).isoformat(timespec="seconds"),
        "filters": selection.filters,
        "count": selection.count if count is None else count,
    }


def column_info(kind: str) -> list[dict[str, Any]]:
    """The columns as the JSON export and datapackage describe them."""
    return [
        {
            "name": c.name,
            "type": c.type,
            "label": str(c.label),
            "description": str(c.description),
            "importable": c.importable,
            **({"choices": list(c.choices)} if c.choices else {}),
            **({"refers": c.refers} if c.refers else {}),
        }
        for c in cols.KINDS[kind].columns
    ]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_values(values: dict[str, Any]) -> dict[str, Any]:
    """A row of ``columns.row_values`` as JSON holds it."""
    return {k: _json_value(v) for k, v in values.items()}


def json_head(
    selection: Selection, ctx: cols.ExportContext, generated: datetime, count: Any = None
) -> dict:
    return {
        "meta": meta(selection, generated, ctx.base_url, count),
        "columns": column_info(selection.kind),
    }


def json_document(
    selection: Selection, ctx: cols.ExportContext, generated: datetime
) -> dict[str, Any]:
    """``{"meta": {...}, "columns": [...], "data": [{column: value}]}`` with typed
    values: numbers, booleans, lists as arrays, dates as ISO strings, null when unset.

    The whole document in memory: for small selections and tests; exports
    stream the same text with ``json_pieces``.
    """
    return {
        **json_head(selection, ctx, generated),
        "data": [json_values(values) for values in selection.values(ctx)],
    }


#: Stands in for the row count in the opening of a streamed JSON export.
_COUNT = "\ue000count\ue000"


def json_pieces(
    selection: Selection, ctx: cols.ExportContext, generated: datetime
) -> Iterator[str]:
    """The text of ``dumps(json_document(...))``, a row at a time.

    The opening is sent up to ``meta.count`` before anything is read (so the
    download starts at once); the count follows when the keys are in.
    """
    frame = Frame(json_head(selection, ctx, generated, count=_COUNT), "data")
    before, _, after = frame.opening.partition(dumps_at(_COUNT))
    yield before
    yield str(selection.count) + after
    for values in selection.values(ctx):
        yield frame.row(values)
    yield frame.closing()


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)


class Frame:
    """The text of ``dumps({**head, key: items})`` written an item at a time:
    ``opening``, then ``item(x)`` for each item, then ``closing()``."""

    def __init__(self, head: dict[str, Any], key: str) -> None:
        text = dumps({**head, key: []})
        assert text.endswith(f'"{key}": []\n}}'), "the list must be the last key"
        self.opening = text[: -len("[]\n}")] + "["
        self.empty = True

    def item(self, value: Any) -> str:
        # Each item sits two levels in: in the list, in the top-level object.
        return self._next(dumps_at(value, 2))

    def row(self, values: dict[str, Any]) -> str:
        """``item(json_values(values))`` for a row of ``columns.row_values``."""
        return self._next(json_row_text(values, 2))

    def _next(self, text: str) -> str:
        before = "\n  " if self.empty else ",\n  "
        self.empty = False
        return before + text

    def closing(self) -> str:
        return "]\n}" if self.empty else "\n ]\n}"


def dump_pieces(head: dict[str, Any], key: str, items: Iterable[Any]) -> Iterator[str]:
    """The text of ``dumps({**head, key: list(items)})`` in pieces, one item at a time."""
    frame = Frame(head, key)
    yield frame.opening
    for item in items:
        yield frame.item(item)
    yield frame.closing()


_encode_string = json.encoder.encode_basestring  # ensure_ascii=False, as ``dumps``
_INFINITY = float("inf")


def dumps_at(value: Any, level: int = 0) -> str:
    """``dumps(value)`` as it appears ``level`` levels deep in an indented document.

    The same text as the standard library's encoder gives with ``indent=1``
    (which leaves its C accelerator unused when indenting): written out here
    for the types of export rows and JSON-LD nodes, it takes a fraction of the
    time. Any other type goes to ``json.dumps`` (tested against it).
    """
    type_ = type(value)
    if type_ is str:
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type_ is int:
        return int.__repr__(value)
    if type_ is float:
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if type_ is dict:
        if not value:
            return "{}"
        if not all(type(k) is str for k in value):
            return _indented(value, level)
        inner = "\n" + " " * (level + 1)
        items = (_encode_string(k) + ": " + dumps_at(v, level + 1) for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + " " * level + "}"
    if type_ is list or type_ is tuple:
        if not value:
            return "[]"
        inner = "\n" + " " * (level + 1)
        return (
            "["
            + inner
            + ("," + inner).join(dumps_at(v, level + 1) for v in value)
            + ("\n" + " " * level + "]")
        )
    return _indented(value, level)


def json_row_text(values: dict[str, Any], level: int = 0) -> str:
    """``dumps_at(json_values(values), level)``, in one pass over a row of
    ``columns.row_values``: text, empty cells, dates and lists of text, most
    of an export's values, are written here, anything else by ``dumps_at``."""
    if not values:
        return "{}"
    inner = "\n" + " " * (level + 1)
    item = inner + " "
    end = inner + "]"
    parts = []
    for key, value in values.items():
        type_ = type(value)
        if type_ is str:
            text = _encode_string(value)
        elif value is None:
            text = "null"
        elif type_ is date:
            text = '"' + value.isoformat() + '"'
        elif type_ is list and value and all(type(v) is str for v in value):
            text = "[" + item + ("," + item).join(map(_encode_string, value)) + end
        else:
            text = dumps_at(_json_value(value), level + 1)
        parts.append(_encode_string(key) + ": " + text)
    return "{" + inner + ("," + inner).join(parts) + "\n" + " " * level + "}"


def _indented(value: Any, level: int) -> str:
    # JSON escapes line breaks inside strings, so every line break is layout.
    return dumps(value).replace("\n", "\n" + " " * level)


def chunks(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """Group streamed lines into blocks, so a large CSV is not sent a line at a time.

    The first line (a CSV header, the opening of a JSON document) goes on its
    own, before any record is read: the client sees the download start at once.
    """
    buffer: list[str] = []
    length = 0
    first = True
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size or first:
            yield "".join(buffer).encode("utf-8")
            buffer, length, first = [], 0, False
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_and_json(
    selection: Selection, ctx: cols.ExportContext, generated: datetime, json_target
) -> Iterator[str]:
    """``csv_lines`` (without BOM), writing the text of ``json_pieces`` to the
    text file ``json_target`` on the way: both from one reading of the records."""
    writer = csv.writer(_Echo())
    frame = Frame(json_head(selection, ctx, generated), "data")
    yield writer.writerow(cols.header(selection.kind))
    json_target.write(frame.opening)
    for values in selection.values(ctx):
        yield writer.writerow(cols.cells(values))
        json_target.write(frame.row(values))
    json_target.write(frame.closing())
