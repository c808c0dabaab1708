"""Reference data: municipalities, counties, Oslo districts, institutions, boundaries.

The raw official files are never bundled (see DESIGN.md, "Data"); a compact
snapshot derived from them is. Three ways in, one way to the database:

- :func:`load_snapshot` reads the snapshot shipped in ``organisations/data``
  (what ``unikom setup`` loads when nothing else is configured), which
  :func:`build_snapshot` derives from the official files
  (``scripts/build_refdata_snapshot.py``): the same tables, only the
  columns the loader reads, and boundaries simplified as the map draws them;
- :func:`load_directory` reads files in the formats of ``shared/data/ref``
  (``municipalities.csv`` and, optionally, ``institutions.csv``,
  ``oslo_bydeler.csv``, ``fylker_2024.geojson``, ``kommuner_2024.geojson``);
- :func:`fetch` downloads the same facts from SSB KLASS (and boundaries from
  ``UNIKOM_BOUNDARIES_URL``) and converts them into the same tables.

Each hands a :class:`Sources` to :func:`_load`, which first validates
everything and collects every problem (so that a user fixes a file once, not
once per error), then writes all of it in one transaction. Any problem raises
:class:`RefdataError` before anything is written, so a bad file never leaves
the database half-loaded. Loading is idempotent: a record is saved only when
one of its values changed, which keeps the change history free of noise.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import http.client
import io
import json
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.sync import save_changed
from core.text import slugify_nb

from . import geo
from .choices import KNOWLEDGE_KINDS, OrganisationKind, RecordSource
from .models import Boundary, Organisation

#: The day the loaded codes, names and population figures are valid for.
REFERENCE_DATE = date(2024, 1, 1)

MUNICIPALITIES_FILE = "municipalities.csv"
INSTITUTIONS_FILE = "institutions.csv"
DISTRICTS_FILE = "oslo_bydeler.csv"
COUNTY_BOUNDARIES_FILE = "fylker_2024.geojson"
MUNICIPALITY_BOUNDARIES_FILE = "kommuner_2024.geojson"

#: The snapshot shipped with unikom, built by scripts/build_refdata_snapshot.py.
SNAPSHOT_FILE = Path(__file__).resolve().parent / "data" / "refdata-snapshot.json.gz"
SNAPSHOT_FORMAT = "unikom-refdata-snapshot"
SNAPSHOT_VERSION = 1
#: Decimals of longitude/latitude kept in the snapshot (about 1 m, as the official
#: files): enough that its outlines are drawn exactly as from the full files.
SNAPSHOT_DECIMALS = 5

MUNICIPALITY_COLUMNS = (
    "kommunenummer",
    "name",
    "name_norwegian",
    "fylkesnummer",
    "fylke_name",
    "fylke_name_official",
    "population_2024_01_01",
)
DISTRICT_COLUMNS = ("bydelsnummer", "name", "kommunenummer")
INSTITUTION_COLUMNS = (
    "name_nb",
    "name_en",
    "short_name",
    "category",
    "dbh_code",
    "ror_id",
    "orgnr",
)

#: SSB KLASS classifications: municipalities, counties, city districts.
KLASS_MUNICIPALITIES, KLASS_COUNTIES, KLASS_DISTRICTS = 131, 104, 103
KLASS_PAGE_URL = "https://www.ssb.no/klass/klassifikasjoner/{}"
#: "Uoppgitt" (unknown) codes in KLASS, and Oslo's statistical non-districts
#: (Sentrum, Marka, Uoppgitt), which are not administrative units.
KLASS_UNKNOWN_CODES = {"99", "9999"}
OSLO = "0301"
OSLO_NON_DISTRICTS = {"030116", "030117", "030199"}

INSTITUTION_KINDS = {
    "universitet": OrganisationKind.UNIVERSITY,
    "vitenskapelig høgskole": OrganisationKind.UNIVERSITY_COLLEGE,
    "høgskole": OrganisationKind.UNIVERSITY_COLLEGE,
    "forskningsinstitutt": OrganisationKind.RESEARCH_INSTITUTE,
}

CHANGE_REASON = "Reference data"

_MUNICIPALITY_NUMBER = re.compile(r"[0-9]{4}")
_COUNTY_NUMBER = re.compile(r"[0-9]{2}")
_DISTRICT_NUMBER = re.compile(r"[0-9]{6}")
_ORG_NUMBER = re.compile(r"[0-9]{9}")
_DBH_CODE = re.compile(r"[0-9]{4}")
_ROR_ID = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}")
_ROR_PREFIX = re.compile(r"^(https?://)?(www\.)?ror\.org/", re.IGNORECASE)
_POPULATION = re.compile(r"[0-9]+")
_COUNTY_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")

#: The reference files in the order they are read: the file, the attribute of
#: :class:`Sources` it fills, and the columns a CSV file must have (``None``
#: for GeoJSON). Only the first is required.
_FILES = (
    (MUNICIPALITIES_FILE, "municipalities", MUNICIPALITY_COLUMNS),
    (DISTRICTS_FILE, "districts", DISTRICT_COLUMNS),
    (INSTITUTIONS_FILE, "institutions", INSTITUTION_COLUMNS),
    (COUNTY_BOUNDARIES_FILE, "county_features", None),
    (MUNICIPALITY_BOUNDARIES_FILE, "municipality_features", None),
)
#: The property that names each boundary feature, and the simplification the map uses.
_FEATURE_KEYS = {
    COUNTY_BOUNDARIES_FILE: ("fylkesnummer", geo.COUNTY_TOLERANCE),
    MUNICIPALITY_BOUNDARIES_FILE: ("kommunenummer", geo.MUNICIPALITY_TOLERANCE),
}

Progress = Callable[[str], None]


class RefdataError(Exception):
    """The reference data has problems; nothing was written.

    ``errors`` holds one line per problem, each naming the file, the row (as a
    spreadsheet shows it: the header is row 1) and the column.
    """

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class RefdataUnavailable(Exception):
    """The official sources could not be reached (offline, server error, bad answer)."""


# -- the report -----------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    """What a load created, updated and left unchanged, per kind of record."""

    counties: Counts = field(default_factory=Counts)
    municipalities: Counts = field(default_factory=Counts)
    districts: Counts = field(default_factory=Counts)
    institutions: Counts = field(default_factory=Counts)
    boundaries: Counts = field(default_factory=Counts)
    #: Optional inputs that were not there, each with the reason.
    skipped: list[str] = field(default_factory=list)
    #: Anything else the user should know (e.g. population not in the source).
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for _label, counts in self.by_kind())

    def by_kind(self) -> list[tuple[str, Counts]]:
        """(translated label, counts) for each kind of record, in load order."""
        return [
            (_("Counties"), self.counties),
            (_("Municipalities"), self.municipalities),
            (_("Oslo districts"), self.districts),
            (_("Knowledge institutions"), self.institutions),
            (_("Boundaries"), self.boundaries),
        ]

    def summary(self) -> str:
        lines = []
        if self.dry_run:
            lines.append(_("Dry run: nothing was written. A load would change this:"))
        for label, counts in self.by_kind():
            lines.append(
                _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "label": label,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        lines += [_("Skipped: %(what)s") % {"what": what} for what in self.skipped]
        lines += self.notes
        return "\n".join(lines)


# -- the inputs, as read from files or downloads -------------------------------------


@dataclass
class Table:
    """The rows of one CSV file, or of a download converted to the same columns.

    ``rows`` pairs each row's number (as the user should be told it) with its
    cells, keyed by column name and stripped of surrounding white space.
    """

    source: str
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class FeatureSet:
    """The features of one GeoJSON FeatureCollection."""

    source: str
    features: list


@dataclass
class Sources:
    """Everything read, before validation. ``None`` means "not given"."""

    municipalities: Table | None
    districts: Table | None = None
    institutions: Table | None = None
    municipality_features: FeatureSet | None = None
    county_features: FeatureSet | None = None
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: False when the source never has population figures (KLASS); the
    #: caller then says so in ``notes`` instead of counting the gaps.
    has_population: bool = True


# -- the validated records ------------------------------------------------------


@dataclass(frozen=True)
class CountyRecord:
    number: str
    name: str
    official_name: str


@dataclass(frozen=True)
class MunicipalityRecord:
    number: str
    name: str
    official_name: str
    county_number: str
    #: ``None``: the source has no figure, so the stored one is kept.
    population: int | None


@dataclass(frozen=True)
class DistrictRecord:
    number: str
    name: str
    municipality_number: str


@dataclass(frozen=True)
class InstitutionRecord:
    source: str
    row: int
    name: str
    name_en: str
    short_name: str
    kind: str
    dbh_code: str | None
    org_number: str | None
    ror_id: str | None


@dataclass(frozen=True)
class Outline:
    svg_path: str
    centroid_x: float
    centroid_y: float


@dataclass
class Refdata:
    counties: dict[str, CountyRecord]
    municipalities: list[MunicipalityRecord]
    districts: list[DistrictRecord]
    institutions: list[InstitutionRecord]
    municipality_outlines: dict[str, Outline]
    county_outlines: dict[str, Outline]


# -- public entry points ------------------------------------------------------------


def load_directory(
    path: Path | str, *, dry_run: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Load reference data from the files in ``path`` (formats of ``shared/data/ref``).

    ``municipalities.csv`` is required; the other files are loaded when
    present and reported as skipped when not. Raises :class:`RefdataError`
    listing every problem, and then writes nothing. With ``dry_run`` the
    report says what would change, and nothing is written.
    """
    say = progress or _quiet
    problems: list[str] = []
    sources = _read_folder(Path(path), problems, progress=say)
    return _load(sources, problems, dry_run=dry_run, progress=say)


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
    say = progress or _quiet
    problems: list[str] = []
    say(_("Reading %(file)s") % {"file": path.name})
    snapshot = _read_snapshot(path)
    sources = _sources_from_snapshot(path.name, snapshot, problems)
    return _load(sources, problems, dry_run=dry_run, progress=say)


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
    say = progress or _quiet
    problems: list[str] = []
    sources = _read_folder(folder, problems, progress=say, complete=True)
    say(_("Checking the files"))
    _validate(sources, problems)
    if problems:
        raise RefdataError(problems)
    files: dict[str, object] = {}
    for name, attribute, columns in _FILES:
        value = getattr(sources, attribute)
        if columns is not None:
            rows = [[cells[column] for column in columns] for _row, cells in value.rows]
            files[name] = [list(columns), *rows]
            continue
        say(_("Simplifying %(file)s") % {"file": name})
        key, tolerance = _FEATURE_KEYS[name]
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
            for name, _attribute, _columns in _FILES
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
        raise RefdataError([_at(name, _snapshot_damaged(exc))]) from exc
    if (
        not isinstance(snapshot, dict)
        or snapshot.get("format") != SNAPSHOT_FORMAT
        or not isinstance(snapshot.get("files"), dict)
    ):
        raise RefdataError(
            [_at(name, _snapshot_damaged(_("it is not a unikom reference data snapshot")))]
        )
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise RefdataError(
            [
                _at(
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


def fetch(
    *, timeout: float | None = None, progress: Progress | None = None, dry_run: bool = False
) -> LoadReport:
    """Download reference data from SSB KLASS (and boundaries, if configured) and load it.

    Municipalities (KLASS 131), counties (104) and Oslo's districts (103) as
    of :data:`REFERENCE_DATE`; boundaries from ``UNIKOM_BOUNDARIES_URL`` when
    set. KLASS has no population figures, so stored ones are kept. Raises
    :class:`RefdataUnavailable` when a source cannot be reached or answers
    with something unusable, and :class:`RefdataError` as
    :func:`load_directory` does.
    """
    say = progress or _quiet
    problems: list[str] = []
    timeout = settings.UNIKOM_FETCH_TIMEOUT if timeout is None else timeout
    base = settings.UNIKOM_KLASS_URL.rstrip("/")
    codes = {}
    for number in (KLASS_MUNICIPALITIES, KLASS_COUNTIES, KLASS_DISTRICTS):
        url = f"{base}/classifications/{number}/codesAt?date={REFERENCE_DATE.isoformat()}"
        say(_("Downloading %(url)s") % {"url": url})
        codes[number] = _klass_codes(url, timeout)

    sources = _sources_from_klass(
        codes[KLASS_MUNICIPALITIES], codes[KLASS_COUNTIES], codes[KLASS_DISTRICTS]
    )
    boundaries_url = settings.UNIKOM_BOUNDARIES_URL
    if boundaries_url:
        say(_("Downloading %(url)s") % {"url": boundaries_url})
        sources.municipality_features = _feature_set(
            boundaries_url, _download_json(boundaries_url, timeout), problems
        )
    else:
        sources.skipped.append(
            _("municipality boundaries (UNIKOM_BOUNDARIES_URL is not set)"),
        )
    sources.skipped.append(_("county boundaries (no download source)"))
    sources.skipped.append(
        _("knowledge institutions (no download source; load %(file)s with 'unikom refdata load')")
        % {"file": INSTITUTIONS_FILE}
    )
    sources.notes.append(
        _(
            "Population is not in SSB KLASS, so population figures were left as they "
            "were. Load %(file)s with 'unikom refdata load DIR' to update them."
        )
        % {"file": MUNICIPALITIES_FILE}
    )
    return _load(sources, problems, dry_run=dry_run, progress=say)


def _read_folder(
    path: Path, problems: list[str], *, progress: Progress, complete: bool = False
) -> Sources:
    """Read the reference files in ``path``; with ``complete``, every one is required."""
    if not path.is_dir():
        raise RefdataError([_("%(path)s is not a folder.") % {"path": path}])
    sources = Sources(municipalities=None)
    for name, attribute, columns in _FILES:
        file = path / name
        if not file.is_file():
            if name == MUNICIPALITIES_FILE:
                problems.append(_at(name, _("the file is missing, and it is required.")))
            elif complete:
                problems.append(_at(name, _("the file is missing, and the snapshot needs it.")))
            else:
                sources.skipped.append(_("%(file)s (not in the folder)") % {"file": name})
            continue
        progress(_("Reading %(file)s") % {"file": name})
        if columns is None:
            setattr(sources, attribute, _read_geojson(file, problems))
        else:
            setattr(sources, attribute, _read_csv(file, columns, problems))
    return sources


def _read_snapshot(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefdataError(
            [_at(path.name, _snapshot_damaged(exc.strerror or type(exc).__name__))]
        ) from exc
    return decode_snapshot(data, path.name)


def _snapshot_damaged(reason: object) -> str:
    return _(
        "the reference data snapshot cannot be read (%(reason)s). Reinstall unikom, or "
        "build the snapshot again with scripts/build_refdata_snapshot.py."
    ) % {"reason": reason}


def _sources_from_snapshot(name: str, snapshot: dict, problems: list[str]) -> Sources:
    """The tables and feature collections in a snapshot, as :func:`_read_folder` gives them.

    Each is named "<snapshot> › <file>" in messages, so a problem is placed
    as precisely as in the files the snapshot was built from.
    """
    files = snapshot["files"]
    sources = Sources(municipalities=None)
    for file, attribute, columns in _FILES:
        source = f"{name} › {file}"
        value = files.get(file)
        if value is None:
            if file == MUNICIPALITIES_FILE:
                problems.append(_at(source, _("missing from the snapshot, and it is required.")))
            else:
                sources.skipped.append(_("%(file)s (not in the snapshot)") % {"file": file})
        elif columns is None:
            setattr(sources, attribute, _feature_set(source, value, problems))
        elif isinstance(value, list) and all(
            isinstance(row, list) and all(isinstance(cell, str) for cell in row) for row in value
        ):
            setattr(sources, attribute, _table(source, value, columns, problems))
        else:
            problems.append(_at(source, _("expected a table: rows that are lists of text cells.")))
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


def has_refdata() -> bool:
    """Whether municipalities from reference data are in the database."""
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, record_source=RecordSource.REFDATA
    ).exists()


def _valid_on(value: object) -> str:
    """The snapshot's reference date, written as the reader's language writes dates."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        day = REFERENCE_DATE
    return date_format(day, "DATE_FORMAT")


# -- messages ------------------------------------------------------------------------


def _at(
    source: str,
    problem: str,
    *,
    row: int | None = None,
    column: str | None = None,
) -> str:
    """Place a problem: "<file>, row <n>, column <name>: <what is wrong>"."""
    values = {"file": source, "row": row, "column": column, "problem": problem}
    if row is not None and column is not None:
        return _("%(file)s, row %(row)d, column %(column)s: %(problem)s") % values
    if row is not None:
        return _("%(file)s, row %(row)d: %(problem)s") % values
    return _("%(file)s: %(problem)s") % values


def _at_feature(source: str, number: int, prop: str | None, problem: str) -> str:
    """Place a problem in a GeoJSON file: "<file>, feature <n>, property <name>: …"."""
    values = {"file": source, "feature": number, "property": prop, "problem": problem}
    if prop is None:
        return _("%(file)s, feature %(feature)d, geometry: %(problem)s") % values
    return _("%(file)s, feature %(feature)d, property %(property)s: %(problem)s") % values


def _quiet(message: str) -> None:
    """The default progress callback: say nothing."""


# -- reading files ----------------------------------------------------------------------


def _read_text(path: Path, problems: list[str]) -> str | None:
    """Read a UTF-8 file (a byte order mark is allowed); report where it is not UTF-8."""
    data = path.read_bytes()
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = data.count(b"\n", 0, offset) + 1
        problems.append(
            _at(
                path.name,
                _(
                    "the file is not UTF-8: byte %(offset)d (on line %(line)d) is 0x%(byte)02X. "
                    "Save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')."
                )
                % {"offset": offset, "line": line, "byte": data[offset]},
            )
        )
        return None


def _read_csv(path: Path, required: Iterable[str], problems: list[str]) -> Table | None:
    """Read a CSV file with a header row; report missing columns and ragged rows.

    Rows are numbered as a spreadsheet shows them: the header is row 1, and a
    cell with a line break inside quotes does not shift the numbers.
    """
    text = _read_text(path, problems)
    if text is None:
        return None
    name = path.name
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        problems.append(_at(name, _("the file is not valid CSV (%(error)s).") % {"error": exc}))
        return None
    return _table(name, records, required, problems)


def _table(
    name: str, records: list[list[str]], required: Iterable[str], problems: list[str]
) -> Table | None:
    """The header row and data rows of a CSV file (or a snapshot's copy) as a :class:`Table`."""
    if not records or not any(cell.strip() for cell in records[0]):
        problems.append(_at(name, _("the file is empty; the first row must name the columns.")))
        return None
    header = [cell.strip() for cell in records[0]]
    missing = [column for column in required if column not in header]
    for column in missing:
        problems.append(_at(name, _("the column is missing."), row=1, column=column))
    if missing:
        return None
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(
                _at(
                    name,
                    _("the row has %(cells)d cells, but the header has %(columns)d.")
                    % {"cells": len(record), "columns": len(header)},
                    row=number,
                )
            )
            continue
        rows.append((number, {h: cell.strip() for h, cell in zip(header, record, strict=True)}))
    return Table(source=name, rows=rows)


def _read_geojson(path: Path, problems: list[str]) -> FeatureSet | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            _at(
                path.name,
                _("malformed JSON at line %(line)d, character %(column)d: %(error)s.")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
        )
        return None
    return _feature_set(path.name, data, problems)


def _feature_set(source: str, data: object, problems: list[str]) -> FeatureSet | None:
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        problems.append(_at(source, _("expected a GeoJSON FeatureCollection.")))
        return None
    return FeatureSet(source=source, features=data["features"])


# -- downloading ------------------------------------------------------------------------


def _download_json(url: str, timeout: float) -> object:
    """GET ``url`` and parse its JSON; any failure becomes :class:`RefdataUnavailable`."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise RefdataUnavailable(
            _("%(url)s is not an http or https address; check the settings.") % {"url": url}
        )
    # The scheme is checked above, so urllib cannot be made to open a local file.
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "unikom"})  # noqa: S310
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except HTTPError as exc:
        raise RefdataUnavailable(_unavailable(url, f"HTTP {exc.code} {exc.reason}")) from exc
    except URLError as exc:
        raise RefdataUnavailable(_unavailable(url, str(exc.reason))) from exc
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise RefdataUnavailable(_unavailable(url, str(exc) or type(exc).__name__)) from exc
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefdataUnavailable(_unavailable(url, _("the answer is not JSON"))) from exc


def _unavailable(url: str, reason: str) -> str:
    return _(
        "Could not download reference data from %(url)s (%(reason)s). This machine seems "
        "to be offline, or the server is not answering. To load reference data from files "
        "instead, run: unikom refdata load DIR (DIR holds %(file)s and the other files)."
    ) % {"url": url, "reason": reason, "file": MUNICIPALITIES_FILE}


def _klass_codes(url: str, timeout: float) -> list[dict]:
    """Download one KLASS ``codesAt`` answer and return its list of codes."""
    data = _download_json(url, timeout)
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, list) or not all(isinstance(code, dict) for code in codes):
        raise RefdataUnavailable(_unavailable(url, _("the answer has no list of codes")))
    return codes


def _sources_from_klass(
    municipality_codes: list[dict], county_codes: list[dict], district_codes: list[dict]
) -> Sources:
    """Turn KLASS codes into the tables that the CSV files would give.

    KLASS names are official, multilingual forms ("Guovdageaidnu -
    Kautokeino", "Herøy (Nordland)"). The Norwegian name alone is kept from
    the database where it is one of the parts, and otherwise taken as the
    first part without a county suffix.
    """
    known = dict(
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality_number__isnull=False
        ).values_list("municipality_number", "name")
    )
    known_counties = dict(
        Organisation.objects.filter(
            kind=OrganisationKind.COUNTY, county_number__isnull=False
        ).values_list("county_number", "name")
    )
    counties = {
        str(code.get("code", "")): str(code.get("name", "")).strip() for code in county_codes
    }

    municipalities = Table(source=_klass_label(KLASS_MUNICIPALITIES), rows=[])
    for number, code in enumerate(municipality_codes, start=1):
        value, name = str(code.get("code", "")).strip(), str(code.get("name", "")).strip()
        if value in KLASS_UNKNOWN_CODES:
            continue
        county_number = value[:2]
        county = counties.get(county_number, "")
        municipalities.rows.append(
            (
                number,
                {
                    "kommunenummer": value,
                    "name": name,
                    "name_norwegian": _norwegian_name(name, known.get(value)),
                    "fylkesnummer": county_number,
                    "fylke_name": _norwegian_name(county, known_counties.get(county_number)),
                    "fylke_name_official": county,
                    "population_2024_01_01": "",
                },
            )
        )

    districts = Table(source=_klass_label(KLASS_DISTRICTS), rows=[])
    for number, code in enumerate(district_codes, start=1):
        value = str(code.get("code", "")).strip()
        if value.startswith(OSLO) and value not in OSLO_NON_DISTRICTS:
            districts.rows.append(
                (
                    number,
                    {
                        "bydelsnummer": value,
                        "name": str(code.get("name", "")).strip(),
                        "kommunenummer": OSLO,
                    },
                )
            )
    return Sources(municipalities=municipalities, districts=districts, has_population=False)


def _klass_label(classification: int) -> str:
    return _("SSB KLASS %(number)d") % {"number": classification}


def _norwegian_name(official: str, current: str | None) -> str:
    parts = [part.strip() for part in _COUNTY_SUFFIX.sub("", official).split(" - ")]
    if current in parts:
        return current
    return parts[0]


# -- validation -------------------------------------------------------------------------


def _load(
    sources: Sources, problems: list[str], *, dry_run: bool, progress: Progress
) -> LoadReport:
    """Validate ``sources`` and, if all is well, write them in one transaction."""
    data = _validate(sources, problems)
    if problems:
        raise RefdataError(problems)
    report = LoadReport(skipped=sources.skipped, notes=list(sources.notes), dry_run=dry_run)
    unknown_population = sum(1 for m in data.municipalities if m.population is None)
    if unknown_population and sources.has_population:
        report.notes.append(
            ngettext(
                "%(count)d municipality has no population figure; the stored one was kept.",
                "%(count)d municipalities have no population figure; the stored ones were kept.",
                unknown_population,
            )
            % {"count": unknown_population}
        )
    with transaction.atomic():
        _Writer(report, progress).write(data)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _validate(sources: Sources, problems: list[str]) -> Refdata:
    """Check every row and feature, adding a located message to ``problems`` for each fault."""
    counties, municipalities = _validate_municipalities(sources.municipalities, problems)
    # Without a readable municipality table, references to it cannot be checked;
    # saying so for every district and boundary would bury the real problem.
    municipality_numbers = county_numbers = None
    if sources.municipalities is not None:
        municipality_numbers = {m.number for m in municipalities} | _numbers_in(
            sources.municipalities
        )
        county_numbers = set(counties)
    return Refdata(
        counties=counties,
        municipalities=municipalities,
        districts=_validate_districts(sources.districts, municipality_numbers, problems),
        institutions=_validate_institutions(sources.institutions, problems),
        municipality_outlines=_validate_outlines(
            sources.municipality_features,
            key="kommunenummer",
            pattern=_MUNICIPALITY_NUMBER,
            expected=_("four digits, e.g. 0301"),
            known=municipality_numbers,
            unknown=_("municipality %(value)s is not in %(file)s."),
            tolerance=geo.MUNICIPALITY_TOLERANCE,
            problems=problems,
        ),
        county_outlines=_validate_outlines(
            sources.county_features,
            key="fylkesnummer",
            pattern=_COUNTY_NUMBER,
            expected=_("two digits, e.g. 03"),
            known=county_numbers,
            unknown=_("no municipality in %(file)s is in county %(value)s."),
            tolerance=geo.COUNTY_TOLERANCE,
            problems=problems,
        ),
    )


def _numbers_in(table: Table | None) -> set[str]:
    """Every well-formed kommunenummer in the table, even on rows with other problems.

    So that a district in a bad municipality row is not reported as unknown too.
    """
    if table is None:
        return set()
    return {
        cells["kommunenummer"]
        for _row, cells in table.rows
        if _MUNICIPALITY_NUMBER.fullmatch(cells["kommunenummer"])
    }


class _Checker:
    """Checks the cells of one row, collecting problems with their place."""

    def __init__(self, source: str, row: int, cells: dict[str, str], problems: list[str]):
        self.source, self.row, self.cells, self.problems = source, row, cells, problems
        self.ok = True

    def fail(self, column: str, problem: str) -> None:
        self.ok = False
        self.problems.append(_at(self.source, problem, row=self.row, column=column))

    def required(self, column: str) -> str:
        value = self.cells[column]
        if not value:
            self.fail(column, _("the cell is empty."))
        return value

    def matches(
        self, column: str, pattern: re.Pattern, expected: str, *, value: str | None = None
    ) -> str:
        """The cell's value if it matches ``pattern``; else report ``expected`` and return ''."""
        value = self.cells[column] if value is None else value
        if not value:
            self.fail(column, _("the cell is empty."))
            return ""
        if pattern.fullmatch(value):
            return value
        self.fail(
            column,
            _("“%(value)s” is not valid: expected %(expected)s.")
            % {"value": value, "expected": expected},
        )
        return ""

    def unique(
        self, column: str, value: str, seen: dict[str, int], *, key: str | None = None
    ) -> None:
        """Report ``value`` if an earlier row had it; remember it otherwise."""
        key = value if key is None else key
        if key in seen:
            self.fail(
                column,
                _("“%(value)s” is already used in row %(row)d.")
                % {"value": value, "row": seen[key]},
            )
        else:
            seen[key] = self.row


def _validate_municipalities(
    table: Table | None, problems: list[str]
) -> tuple[dict[str, CountyRecord], list[MunicipalityRecord]]:
    counties: dict[str, tuple[CountyRecord, int]] = {}
    municipalities: list[MunicipalityRecord] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows if table else []:
        check = _Checker(table.source, row, cells, problems)
        number = check.matches("kommunenummer", _MUNICIPALITY_NUMBER, _("four digits, e.g. 0301"))
        if number:
            check.unique("kommunenummer", number, seen)
        name = check.required("name_norwegian")
        official_name = check.required("name")
        county_number = check.matches("fylkesnummer", _COUNTY_NUMBER, _("two digits, e.g. 03"))
        if number and county_number and county_number != number[:2]:
            check.fail(
                "fylkesnummer",
                _("“%(value)s” is not the first two digits of kommunenummer %(number)s.")
                % {"value": county_number, "number": number},
            )
        county_name = check.required("fylke_name")
        county_official = check.required("fylke_name_official")
        population = None
        if cells["population_2024_01_01"]:
            population = check.matches(
                "population_2024_01_01", _POPULATION, _("a whole number of residents, e.g. 15221")
            )
        if county_number and county_name and county_official:
            county = CountyRecord(county_number, county_name, county_official)
            first, first_row = counties.setdefault(county_number, (county, row))
            for column, value, earlier in (
                ("fylke_name", county.name, first.name),
                ("fylke_name_official", county.official_name, first.official_name),
            ):
                if value != earlier:
                    check.fail(
                        column,
                        _(
                            "“%(value)s” differs from “%(earlier)s” in row %(row)d "
                            "for county %(county)s."
                        )
                        % {
                            "value": value,
                            "earlier": earlier,
                            "row": first_row,
                            "county": county_number,
                        },
                    )
        if check.ok:
            municipalities.append(
                MunicipalityRecord(
                    number=number,
                    name=name,
                    official_name=official_name,
                    county_number=county_number,
                    population=int(population) if population else None,
                )
            )
    return {number: county for number, (county, _row) in counties.items()}, municipalities


def _validate_districts(
    table: Table | None, municipality_numbers: set[str] | None, problems: list[str]
) -> list[DistrictRecord]:
    districts: list[DistrictRecord] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows if table else []:
        check = _Checker(table.source, row, cells, problems)
        number = check.matches("bydelsnummer", _DISTRICT_NUMBER, _("six digits, e.g. 030101"))
        if number:
            check.unique("bydelsnummer", number, seen)
        name = check.required("name")
        municipality = check.matches(
            "kommunenummer", _MUNICIPALITY_NUMBER, _("four digits, e.g. 0301")
        )
        if (
            municipality
            and municipality_numbers is not None
            and (municipality not in municipality_numbers)
        ):
            check.fail(
                "kommunenummer",
                _("municipality %(number)s is not in %(file)s.")
                % {"number": municipality, "file": MUNICIPALITIES_FILE},
            )
        elif number and municipality and not number.startswith(municipality):
            check.fail(
                "bydelsnummer",
                _("“%(value)s” does not start with kommunenummer %(number)s.")
                % {"value": number, "number": municipality},
            )
        if check.ok:
            districts.append(DistrictRecord(number, name, municipality))
    return districts


def _validate_institutions(table: Table | None, problems: list[str]) -> list[InstitutionRecord]:
    institutions: list[InstitutionRecord] = []
    seen: dict[str, dict[str, int]] = {column: {} for column in INSTITUTION_COLUMNS}
    for row, cells in table.rows if table else []:
        check = _Checker(table.source, row, cells, problems)
        name = check.required("name_nb")
        short_name = cells["short_name"]
        if short_name:
            check.unique("short_name", short_name, seen["short_name"], key=short_name.casefold())
        category = cells["category"].casefold()
        if category and category not in INSTITUTION_KINDS:
            check.fail(
                "category",
                _("“%(value)s” is not a known category: use one of %(choices)s, or leave it empty.")
                % {"value": cells["category"], "choices": ", ".join(INSTITUTION_KINDS)},
            )
        identifiers = {}
        for column, pattern, expected, value in (
            ("dbh_code", _DBH_CODE, _("four digits, e.g. 1110"), cells["dbh_code"]),
            (
                "orgnr",
                _ORG_NUMBER,
                _("nine digits, e.g. 971035854"),
                cells["orgnr"].replace(" ", ""),
            ),
            (
                "ror_id",
                _ROR_ID,
                _("a ROR id such as https://ror.org/01xtthb56"),
                _ROR_PREFIX.sub("", cells["ror_id"]).lower(),
            ),
        ):
            if value and check.matches(column, pattern, expected, value=value):
                check.unique(column, value, seen[column])
            identifiers[column] = value or None
        if category:
            kind = INSTITUTION_KINDS.get(category, OrganisationKind.OTHER)
        elif identifiers["dbh_code"]:
            kind = OrganisationKind.UNIVERSITY_COLLEGE
        else:
            kind = OrganisationKind.RESEARCH_INSTITUTE
        if check.ok:
            institutions.append(
                InstitutionRecord(
                    source=table.source,
                    row=row,
                    name=name,
                    name_en=cells["name_en"],
                    short_name=short_name,
                    kind=kind,
                    dbh_code=identifiers["dbh_code"],
                    org_number=identifiers["orgnr"],
                    ror_id=identifiers["ror_id"],
                )
            )
    return institutions


def _validate_outlines(
    features: FeatureSet | None,
    *,
    key: str,
    pattern: re.Pattern,
    expected: str,
    known: set[str] | None,
    unknown: str,
    tolerance: float,
    problems: list[str],
) -> dict[str, Outline]:
    """Check each feature's key and geometry, and project it into an SVG outline."""
    outlines: dict[str, Outline] = {}
    seen: dict[str, int] = {}
    for number, feature in enumerate(features.features if features else [], start=1):
        source = features.source
        if not isinstance(feature, dict):
            problems.append(
                _at(source, _("feature %(n)d is not a GeoJSON feature.") % {"n": number})
            )
            continue
        properties = feature.get("properties")
        value = properties.get(key) if isinstance(properties, dict) else None
        ok = True
        if not isinstance(value, str) or not pattern.fullmatch(value):
            ok = False
            problems.append(
                _at_feature(
                    source,
                    number,
                    key,
                    _("“%(value)s” is not valid: expected %(expected)s.")
                    % {"value": value, "expected": expected},
                )
            )
        elif value in seen:
            ok = False
            problems.append(
                _at_feature(
                    source,
                    number,
                    key,
                    _("“%(value)s” is already used in feature %(first)d.")
                    % {"value": value, "first": seen[value]},
                )
            )
        elif known is not None and value not in known:
            ok = False
            problems.append(
                _at_feature(
                    source,
                    number,
                    key,
                    unknown % {"value": value, "file": MUNICIPALITIES_FILE},
                )
            )
        else:
            seen[value] = number
        try:
            geometry = feature.get("geometry")
            path, (x, y) = geo.outline(geometry, tolerance)
        except geo.GeometryError as exc:
            problems.append(
                _at_feature(
                    source,
                    number,
                    None,
                    _("not a Polygon or MultiPolygon we can draw (%(error)s).") % {"error": exc},
                )
            )
            continue
        if ok:
            outlines[value] = Outline(path, x, y)
    return outlines


# -- writing ----------------------------------------------------------------------------


class _Slugs:
    """Hands out unique slugs, deterministically, in the order asked for.

    A record that exists keeps its slug: slugs are in public URLs.
    """

    MAX_LENGTH = 120

    def __init__(self) -> None:
        self.taken = set(Organisation.objects.values_list("slug", flat=True))

    def claim(self, current: Organisation | None, *candidates: str) -> str:
        if current is not None and current.slug:
            return current.slug
        options = [slugify_nb(c)[: self.MAX_LENGTH].strip("-") for c in candidates]
        options = [option for option in options if option] or ["organisation"]
        slug = next((option for option in options if option not in self.taken), None)
        suffix = 2
        while slug is None:
            candidate = f"{options[0][: self.MAX_LENGTH - 6]}-{suffix}"
            slug = None if candidate in self.taken else candidate
            suffix += 1
        self.taken.add(slug)
        return slug


@dataclass
class _Plan:
    """What a load decided before its first write: existing records and slugs."""

    counties: dict[str, Organisation]
    municipalities: dict[str, Organisation]
    districts: dict[str, Organisation]
    institutions: list[tuple[InstitutionRecord, Organisation | None]]
    #: The slug each record gets, by number (by position for institutions).
    slugs: dict[str, dict] = field(
        default_factory=lambda: {
            "county": {},
            "municipality": {},
            "district": {},
            "institution": {},
        }
    )


class _Writer:
    """Writes validated reference data; called inside one transaction."""

    def __init__(self, report: LoadReport, progress: Progress) -> None:
        self.report = report
        self.say = progress

    def write(self, data: Refdata) -> None:
        plan = self._plan(data)
        counties = self._write_counties(data, plan)
        municipalities = self._write_municipalities(data, plan, counties)
        self._write_districts(data, plan, municipalities)
        self._write_institutions(plan)
        outlines = [
            (municipalities[number], outline)
            for number, outline in sorted(data.municipality_outlines.items())
        ] + [
            (counties[number], outline) for number, outline in sorted(data.county_outlines.items())
        ]
        if outlines:
            self.say(_("Writing %(count)d boundaries") % {"count": len(outlines)})
        self._save_boundaries(outlines)

    def _plan(self, data: Refdata) -> _Plan:
        """Settle everything that reads the database to decide: matches, clashes, slugs."""
        plan = _Plan(
            counties=_existing("county_number", data.counties),
            municipalities=_existing(
                "municipality_number", [m.number for m in data.municipalities]
            ),
            districts=_existing("district_number", [d.number for d in data.districts]),
            institutions=self._match_institutions(data.institutions),
        )
        # Municipalities choose first: "oslo" is Oslo municipality's, and Oslo
        # county gets "oslo-fylke". A name with a county suffix ("Herøy
        # (Nordland)") is ambiguous without it, so it gives "heroy-nordland".
        slugs = _Slugs()
        for record in sorted(data.municipalities, key=lambda m: m.number):
            candidates = [record.official_name]
            if not _COUNTY_SUFFIX.search(record.official_name):
                candidates.insert(0, record.name)
            current = plan.municipalities.get(record.number)
            plan.slugs["municipality"][record.number] = slugs.claim(current, *candidates)
        for number, county in sorted(data.counties.items()):
            current = plan.counties.get(number)
            plan.slugs["county"][number] = slugs.claim(current, county.name, f"{county.name} fylke")
        names = {m.number: m.name for m in data.municipalities}
        for record in data.districts:
            current = plan.districts.get(record.number)
            name = f"{names[record.municipality_number]} {record.name}"
            plan.slugs["district"][record.number] = slugs.claim(current, name)
        for index, (record, match) in enumerate(plan.institutions):
            plan.slugs["institution"][index] = slugs.claim(match, record.short_name, record.name)
        return plan

    def _write_counties(self, data: Refdata, plan: _Plan) -> dict[str, Organisation]:
        if data.counties:
            self.say(_("Writing %(count)d counties") % {"count": len(data.counties)})
        return {
            number: self._save(
                plan.counties.get(number),
                self.report.counties,
                slug=plan.slugs["county"][number],
                kind=OrganisationKind.COUNTY,
                county_number=number,
                name=county.name,
                official_name=county.official_name,
                record_source=RecordSource.REFDATA,
                source_url=KLASS_PAGE_URL.format(KLASS_COUNTIES),
            )
            for number, county in sorted(data.counties.items())
        }

    def _write_municipalities(
        self, data: Refdata, plan: _Plan, counties: dict[str, Organisation]
    ) -> dict[str, Organisation]:
        if data.municipalities:
            self.say(_("Writing %(count)d municipalities") % {"count": len(data.municipalities)})
        written = {}
        for record in data.municipalities:
            population = {}
            if record.population is not None:
                population = {"population": record.population, "population_date": REFERENCE_DATE}
            written[record.number] = self._save(
                plan.municipalities.get(record.number),
                self.report.municipalities,
                slug=plan.slugs["municipality"][record.number],
                kind=OrganisationKind.MUNICIPALITY,
                municipality_number=record.number,
                name=record.name,
                official_name=record.official_name,
                parent=counties[record.county_number],
                record_source=RecordSource.REFDATA,
                source_url=KLASS_PAGE_URL.format(KLASS_MUNICIPALITIES),
                **population,
            )
        return written

    def _write_districts(
        self, data: Refdata, plan: _Plan, municipalities: dict[str, Organisation]
    ) -> None:
        if data.districts:
            self.say(_("Writing %(count)d Oslo districts") % {"count": len(data.districts)})
        for record in data.districts:
            self._save(
                plan.districts.get(record.number),
                self.report.districts,
                slug=plan.slugs["district"][record.number],
                kind=OrganisationKind.DISTRICT,
                district_number=record.number,
                name=record.name,
                parent=municipalities[record.municipality_number],
                record_source=RecordSource.REFDATA,
                source_url=KLASS_PAGE_URL.format(KLASS_DISTRICTS),
            )

    def _write_institutions(self, plan: _Plan) -> None:
        if plan.institutions:
            count = len(plan.institutions)
            self.say(_("Writing %(count)d knowledge institutions") % {"count": count})
        for index, (record, match) in enumerate(plan.institutions):
            # Empty cells never erase what is known: the file is not exhaustive.
            known = {
                "name_en": record.name_en,
                "short_name": record.short_name,
                "dbh_code": record.dbh_code,
                "org_number": record.org_number,
                "ror_id": record.ror_id,
            }
            self._save(
                match,
                self.report.institutions,
                slug=plan.slugs["institution"][index],
                kind=record.kind,
                name=record.name,
                record_source=RecordSource.REFDATA,
                **{name: value for name, value in known.items() if value},
            )

    def _save(self, current: Organisation | None, counts: Counts, **values) -> Organisation:
        """Create or update one organisation, saving only if a value changed."""
        organisation = current or Organisation()
        outcome = save_changed(organisation, values, reason=CHANGE_REASON)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        return organisation

    def _save_boundaries(self, outlines: list[tuple[Organisation, Outline]]) -> None:
        counts = self.report.boundaries
        existing = {
            boundary.organisation_id: boundary
            for boundary in Boundary.objects.filter(
                organisation_id__in=[organisation.pk for organisation, _outline in outlines]
            )
        }
        for organisation, outline in outlines:
            boundary = existing.get(organisation.pk)
            values = {
                "svg_path": outline.svg_path,
                "centroid_x": outline.centroid_x,
                "centroid_y": outline.centroid_y,
            }
            if boundary is not None and all(getattr(boundary, k) == v for k, v in values.items()):
                counts.unchanged += 1
                continue
            _boundary, created = Boundary.objects.update_or_create(
                organisation=organisation, defaults=values
            )
            if created:
                counts.created += 1
            else:
                counts.updated += 1

    def _match_institutions(
        self, records: list[InstitutionRecord]
    ) -> list[tuple[InstitutionRecord, Organisation | None]]:
        """Find the organisation each row describes, and refuse identifier clashes.

        A row matches by DBH code, then organisation number, then ROR id, then
        (case-insensitively) by short name among knowledge institutions, so
        that an institution created by hand or by the bundled dataset is
        updated rather than duplicated.
        """
        columns = {"dbh_code": "dbh_code", "org_number": "orgnr", "ror_id": "ror_id"}
        wanted = Q(kind__in=KNOWLEDGE_KINDS)
        for attribute in columns:
            values = {getattr(record, attribute) for record in records} - {None}
            wanted |= Q(**{f"{attribute}__in": values})
        candidates = list(Organisation.objects.filter(wanted).order_by("pk")) if records else []
        index = {
            attribute: {getattr(o, attribute): o for o in candidates if getattr(o, attribute)}
            for attribute in columns
        }
        by_short_name: dict[str, Organisation] = {}
        for organisation in candidates:
            if organisation.kind in KNOWLEDGE_KINDS and organisation.short_name:
                by_short_name.setdefault(organisation.short_name.casefold(), organisation)

        problems: list[str] = []
        claimed: dict[int, int] = {}
        matches = []
        for record in records:
            match = next(
                (
                    index[attribute][getattr(record, attribute)]
                    for attribute in columns
                    if getattr(record, attribute) in index[attribute]
                ),
                None,
            )
            if match is None and record.short_name:
                match = by_short_name.get(record.short_name.casefold())
            if match is not None and match.pk in claimed:
                problems.append(
                    _at(
                        record.source,
                        _("this row and row %(row)d both describe “%(name)s” in the database.")
                        % {"row": claimed[match.pk], "name": match.name},
                        row=record.row,
                    )
                )
            elif match is not None:
                claimed[match.pk] = record.row
            for attribute, column in columns.items():
                holder = index[attribute].get(getattr(record, attribute))
                if holder is not None and holder is not match:
                    problems.append(
                        _at(
                            record.source,
                            _("“%(value)s” already belongs to “%(name)s” in the database.")
                            % {"value": getattr(record, attribute), "name": holder.name},
                            row=record.row,
                            column=column,
                        )
                    )
            matches.append((record, match))
        if problems:
            raise RefdataError(problems)
        return matches


def _existing(field_name: str, numbers: Iterable[str]) -> dict[str, Organisation]:
    """The organisations that already have one of ``numbers`` in ``field_name``."""
    numbers = list(numbers)
    if not numbers:
        return {}
    found = Organisation.objects.filter(**{f"{field_name}__in": numbers})
    return {getattr(organisation, field_name): organisation for organisation in found}
