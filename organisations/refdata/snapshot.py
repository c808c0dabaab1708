"""The reference data snapshot shipped with unikom: building, encoding and loading it.

The snapshot (``organisations/data/refdata-snapshot.json.gz``) holds the
tables of the official files, only the columns the loader reads, and their
boundaries simplified as the map draws them; ``scripts/build_refdata_snapshot.py``
builds it with :func:`build_snapshot`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from datetime import date
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.loading import Problems

from .. import geo
from .base import (
    FEATURE_KEYS,
    FILES,
    MUNICIPALITIES_FILE,
    REFERENCE_DATE,
    Progress,
    RefdataError,
    Sources,
    at,
    quiet,
)
from .reading import feature_set, read_folder, table_from_rows
from .validation import validate
from .writing import LoadReport, load

#: The snapshot shipped with unikom, built by scripts/build_refdata_snapshot.py.
SNAPSHOT_FILE = Path(__file__).resolve().parent.parent / "data" / "refdata-snapshot.json.gz"
SNAPSHOT_FORMAT = "unikom-refdata-snapshot"
SNAPSHOT_VERSION = 1

#: Decimals of longitude/latitude kept in the snapshot (about 1 m, as the official
#: files): enough that its outlines are drawn exactly as from the full files.
SNAPSHOT_DECIMALS = 5


def load_snapshot(
    path: Path | str | None = None, *, dry_run: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Load the reference data snapshot shipped with unikom (or the one at ``path``).

    The snapshot holds the tables of the official files and their boundaries,
    simplified (see :func:`build_snapshot`); it is checked and written exactly
    as :func:`load_directory` checks and writes the files, so a later
    ``load_directory`` or :func:`fetch` updates what it loaded in place.
    Raises :class:`RefdataError` when the snapshot is missing, damaged or
    invalid, and then writes nothing.
    """
    path = SNAPSHOT_FILE if path is None else Path(path)
    say = progress or quiet
    problems = Problems(RefdataError)
    say(_("Reading %(file)s") % {"file": path.name})
    snapshot = _read_snapshot(path)
    sources = _sources_from_snapshot(path.name, snapshot, problems)
    return load(sources, problems, dry_run=dry_run, progress=say)


def build_snapshot(
    folder: Path | str, *, about: dict | None = None, progress: Progress | None = None
) -> dict:
    """Derive the snapshot from the official files in ``folder``; see :func:`encode_snapshot`.

    All five files are required, and they are read and checked as
    :func:`load_directory` reads and checks them (a problem raises
    :class:`RefdataError`), so a snapshot never holds what a load would
    refuse. The snapshot keeps, per CSV file, the header and rows of the
    columns the loader reads, and per GeoJSON file the features with only
    their number and the geometry simplified as the map draws it (see
    :func:`geo.simplified`). ``about`` (sources, licences, attribution) is
    recorded with the reference date, the simplification and the size and
    SHA-256 of every file it was built from. Nothing in it depends on when
    or where it was built, so the same files always give the same snapshot.
    """
    folder = Path(folder)
    say = progress or quiet
    problems = Problems(RefdataError)
    sources = read_folder(folder, problems, progress=say, complete=True)
    say(_("Checking the files"))
    validate(sources, problems)
    problems.check()
    files: dict[str, object] = {}
    for name, attribute, columns in FILES:
        value = getattr(sources, attribute)
        if columns is not None:
            rows = [[cells[column] for column in columns] for _row, cells in value.rows]
            files[name] = [list(columns), *rows]
            continue
        say(_("Simplifying %(file)s") % {"file": name})
        key, tolerance = FEATURE_KEYS[name]
        features = sorted(value.features, key=lambda feature: feature["properties"][key])
        files[name] = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {key: feature["properties"][key]},
                    "geometry": geo.simplified(feature["geometry"], tolerance, SNAPSHOT_DECIMALS),
                }
                for feature in features
            ],
        }
    recorded = {
        **(about or {}),
        "valid_on": REFERENCE_DATE.isoformat(),
        "simplification": {
            "method": "Douglas-Peucker in the map projection of organisations.geo",
            "tolerance_municipalities": geo.MUNICIPALITY_TOLERANCE,
            "tolerance_counties": geo.COUNTY_TOLERANCE,
            "decimals": SNAPSHOT_DECIMALS,
        },
        "built_from": {
            name: {
                "bytes": (folder / name).stat().st_size,
                "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            }
            for name, _attribute, _columns in FILES
        },
    }
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "about": recorded,
        "files": files,
    }


def encode_snapshot(snapshot: dict) -> bytes:
    """The snapshot as the file holds it: compact UTF-8 JSON, gzipped without a timestamp."""
    text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def decode_snapshot(data: bytes, name: str = SNAPSHOT_FILE.name) -> dict:
    """Read what :func:`encode_snapshot` wrote; raise :class:`RefdataError` if it is not that."""
    try:
        snapshot = json.loads(gzip.decompress(data).decode("utf-8"))
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise RefdataError([at(name, _snapshot_damaged(exc))]) from exc
    if (
        not isinstance(snapshot, dict)
        or snapshot.get("format") != SNAPSHOT_FORMAT
        or not isinstance(snapshot.get("files"), dict)
    ):
        raise RefdataError(
            [at(name, _snapshot_damaged(_("it is not a unikom reference data snapshot")))]
        )
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise RefdataError(
            [
                at(
                    name,
                    _(
                        "snapshot version %(found)s is not one this unikom reads "
                        "(version %(version)d). Install the matching unikom."
                    )
                    % {"found": snapshot.get("version"), "version": SNAPSHOT_VERSION},
                )
            ]
        )
    return snapshot


def _read_snapshot(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefdataError(
            [at(path.name, _snapshot_damaged(exc.strerror or type(exc).__name__))]
        ) from exc
    return decode_snapshot(data, path.name)


def _snapshot_damaged(reason: object) -> str:
    return _(
        "the reference data snapshot cannot be read (%(reason)s). Reinstall unikom, or "
        "build the snapshot again with scripts/build_refdata_snapshot.py."
    ) % {"reason": reason}


def _sources_from_snapshot(name: str, snapshot: dict, problems: Problems) -> Sources:
    """The tables and feature collections in a snapshot, as :func:`read_folder` gives them.

    Each is named "<snapshot> › <file>" in messages, so a problem is placed
    as precisely as in the files the snapshot was built from.
    """
    files = snapshot["files"]
    sources = Sources(municipalities=None)
    for file, attribute, columns in FILES:
        source = f"{name} › {file}"
        value = files.get(file)
        if value is None:
            if file == MUNICIPALITIES_FILE:
                problems.append(at(source, _("missing from the snapshot, and it is required.")))
            else:
                sources.skipped.append(_("%(file)s (not in the snapshot)") % {"file": file})
        elif columns is None:
            setattr(sources, attribute, feature_set(source, value, problems))
        elif isinstance(value, list) and all(
            isinstance(row, list) and all(isinstance(cell, str) for cell in row) for row in value
        ):
            header, rows = (value[0], enumerate(value[1:], start=2)) if value else ([], [])
            setattr(sources, attribute, table_from_rows(source, header, rows, columns, problems))
        else:
            problems.append(at(source, _("expected a table: rows that are lists of text cells.")))
    about = snapshot.get("about")
    about = about if isinstance(about, dict) else {}
    sources.notes.append(
        _(
            "Loaded the reference data snapshot shipped with unikom (valid on %(date)s; "
            "boundaries simplified for the map). 'unikom refdata load DIR' or "
            "'unikom refdata fetch' replaces it."
        )
        % {"date": _valid_on(about.get("valid_on"))}
    )
    credits = about.get("attribution")
    if isinstance(credits, list) and all(isinstance(credit, str) for credit in credits):
        sources.notes.append(
            _("Attribution: %(credits)s.") % {"credits": "; ".join(_(c) for c in credits)}
        )
    return sources


def _valid_on(value: object) -> str:
    """The snapshot's reference date, written as the reader's language writes dates."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        day = REFERENCE_DATE
    return date_format(day, "DATE_FORMAT")
