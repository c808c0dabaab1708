"""Writers for the export formats: CSV, XLSX and JSON (JSON-LD is in ``jsonld``).

CSV and XLSX are read by spreadsheets, so every text cell passes through
``columns.neutralise`` (the formula guard); JSON is read by programs and keeps
values exactly as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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
    for record in selection.records:
        row = cols.row_strings(selection.kind, record, ctx)
        yield writer.writerow([cols.neutralise(v) for v in row.values()])


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


def xlsx_bytes(selection: Selection, ctx: cols.ExportContext, meta: dict) -> bytes:
    """The export as an Excel workbook: a sheet of rows (bold, frozen header) and
    a sheet "about" with source, licence, attribution and filters."""
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
    for record in selection.records:
        values = cols.row_values(kind.name, record, ctx)
        sheet.append([_xlsx_value(c, values[c.name]) for c in kind.columns])

    about = workbook.create_sheet(title="about")
    for key in ("source", "licence", "attribution", "generated", "count"):
        about.append([key, cols.neutralise(_flat(meta[key]))])
    for key, value in meta["filters"].items():
        about.append([f"filter: {key}", cols.neutralise(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    return str(value)


def meta(selection: Selection, generated: datetime, base_url: str = "") -> dict:
    """Where the data comes from, under which terms, and which filters chose it."""
    return {
        "source": f"{SOURCE_NAME} {base_url}".strip(),
        "kind": selection.kind,
        "licence": dict(LICENCE),
        "attribution": attribution_text(),
        "generated": timezone.localtime(generated).isoformat(timespec="seconds"),
        "filters": selection.filters,
        "count": len(selection.records),
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


def json_document(
    selection: Selection, ctx: cols.ExportContext, generated: datetime
) -> dict[str, Any]:
    """``{"meta": {...}, "columns": [...], "data": [{column: value}]}`` with typed
    values: numbers, booleans, lists as arrays, dates as ISO strings, null when unset."""
    return {
        "meta": meta(selection, generated, ctx.base_url),
        "columns": column_info(selection.kind),
        "data": [
            {k: _json_value(v) for k, v in cols.row_values(selection.kind, r, ctx).items()}
            for r in selection.records
        ],
    }


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)


def chunks(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """Group streamed lines into blocks, so a large CSV is not sent a line at a time."""
    buffer: list[str] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")
