"""Reading reference data from files in the formats of ``shared/data/ref``.

CSV files are read by :func:`core.tabular.read_csv`, the importer's reader
(UTF-8 with or without a byte-order mark, else Windows-1252; comma, semicolon
or tab); GeoJSON files must be UTF-8, as the standard says.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from core import tabular
from core.loading import Problem, Problems

from .base import (
    FILES,
    MUNICIPALITIES_FILE,
    FeatureSet,
    Progress,
    RefdataError,
    Sources,
    Table,
    at,
    quiet,
)
from .writing import LoadReport, load


def load_directory(
    path: Path | str, *, dry_run: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Load reference data from the files in ``path`` (formats of ``shared/data/ref``).

    ``municipalities.csv`` is required; the other files are loaded when
    present and reported as skipped when not. Raises :class:`RefdataError`
    listing every problem, and then writes nothing. With ``dry_run`` the
    report says what would change, and nothing is written.
    """
    say = progress or quiet
    problems = Problems(RefdataError)
    sources = read_folder(Path(path), problems, progress=say)
    return load(sources, problems, dry_run=dry_run, progress=say)


def read_folder(
    path: Path, problems: Problems, *, progress: Progress, complete: bool = False
) -> Sources:
    """Read the reference files in ``path``; with ``complete``, every one is required."""
    if not path.is_dir():
        raise RefdataError([Problem(_("%(path)s is not a folder.") % {"path": path})])
    sources = Sources(municipalities=None)
    for name, attribute, columns in FILES:
        file = path / name
        if not file.is_file():
            if name == MUNICIPALITIES_FILE:
                problems.append(at(name, _("the file is missing, and it is required.")))
            elif complete:
                problems.append(at(name, _("the file is missing, and the snapshot needs it.")))
            else:
                sources.skipped.append(_("%(file)s (not in the folder)") % {"file": name})
            continue
        progress(_("Reading %(file)s") % {"file": name})
        if columns is None:
            setattr(sources, attribute, _read_geojson(file, problems))
        else:
            setattr(sources, attribute, _read_csv(file, columns, problems, sources.notes))
    return sources


def _read_text(path: Path, problems: Problems) -> str | None:
    """Read a UTF-8 file (a byte order mark is allowed); report where it is not UTF-8.

    GeoJSON is UTF-8 by its standard (RFC 7946), so it is read only as UTF-8.
    """
    data = path.read_bytes()
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = data.count(b"\n", 0, offset) + 1
        problems.append(
            at(
                path.name,
                _(
                    "the file is not UTF-8: byte %(offset)d (on line %(line)d) is 0x%(byte)02X. "
                    "Save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')."
                )
                % {"offset": offset, "line": line, "byte": data[offset]},
            )
        )
        return None


def _read_csv(
    path: Path, required: Iterable[str], problems: Problems, notes: list[str]
) -> Table | None:
    """Read a CSV file with a header row; report missing columns and ragged rows.

    The file is read as the importer reads one (:func:`core.tabular.read_csv`):
    UTF-8 or Windows-1252 (then ``notes`` says so), comma, semicolon or tab.
    Rows are numbered as a spreadsheet shows them: the header is row 1, and a
    cell with a line break inside quotes does not shift the numbers.
    """
    name = path.name
    try:
        read = tabular.read_csv(path.read_bytes())
        rows = list(read.rows())
    except tabular.ReadError as error:
        problems.append(at(name, error.message))
        return None
    notes.extend(f"{name}: {note}" for note in read.notes)
    return table_from_rows(name, read.header, rows, required, problems)


def table_from_rows(
    name: str,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    required: Iterable[str],
    problems: Problems,
) -> Table | None:
    """A CSV file's (or a snapshot's copy of one) header and numbered rows as a :class:`Table`.

    Blank rows are left out; a row with more or fewer cells than the header is
    a problem.
    """
    if not any(cell.strip() for cell in header):
        problems.append(at(name, _("the file is empty; the first row must name the columns.")))
        return None
    header = [cell.strip() for cell in header]
    missing = [column for column in required if column not in header]
    for column in missing:
        problems.append(at(name, _("the column is missing."), row=1, column=column))
    if missing:
        return None
    table = Table(source=name, rows=[])
    for number, record in rows:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(
                at(
                    name,
                    _("the row has %(cells)d cells, but the header has %(columns)d.")
                    % {"cells": len(record), "columns": len(header)},
                    row=number,
                )
            )
            continue
        cells = {h: cell.strip() for h, cell in zip(header, record, strict=True)}
        table.rows.append((number, cells))
    return table


def _read_geojson(path: Path, problems: Problems) -> FeatureSet | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            at(
                path.name,
                _("malformed JSON at line %(line)d, character %(column)d: %(error)s.")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
        )
        return None
    return feature_set(path.name, data, problems)


def feature_set(source: str, data: object, problems: Problems) -> FeatureSet | None:
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        problems.append(at(source, _("expected a GeoJSON FeatureCollection.")))
        return None
    return FeatureSet(source=source, features=data["features"])
