"""What every part of the reference data loader shares.

The files and their columns, the reference date, the errors, and the inputs as
read (:class:`Table`, :class:`FeatureSet`, :class:`Sources`) before they are
validated. Problems are :class:`core.loading.Problem` values, placed by
:func:`at` (file, row, column) and :func:`at_feature` (file, feature, property).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from core.loading import LoadError, Problem

from .. import geo

#: The day the loaded codes, names and population figures are valid for.
REFERENCE_DATE = date(2024, 1, 1)

MUNICIPALITIES_FILE = "municipalities.csv"
INSTITUTIONS_FILE = "institutions.csv"
DISTRICTS_FILE = "oslo_bydeler.csv"
COUNTY_BOUNDARIES_FILE = "fylker_2024.geojson"
MUNICIPALITY_BOUNDARIES_FILE = "kommuner_2024.geojson"

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

#: A county suffix in a municipality's official name: "Herøy (Nordland)".
COUNTY_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")

#: The reference files in the order they are read: the file, the attribute of
#: :class:`Sources` it fills, and the columns a CSV file must have (``None``
#: for GeoJSON). Only the first is required.
FILES = (
    (MUNICIPALITIES_FILE, "municipalities", MUNICIPALITY_COLUMNS),
    (DISTRICTS_FILE, "districts", DISTRICT_COLUMNS),
    (INSTITUTIONS_FILE, "institutions", INSTITUTION_COLUMNS),
    (COUNTY_BOUNDARIES_FILE, "county_features", None),
    (MUNICIPALITY_BOUNDARIES_FILE, "municipality_features", None),
)

#: The property that names each boundary feature, and the simplification the map uses.
FEATURE_KEYS = {
    COUNTY_BOUNDARIES_FILE: ("fylkesnummer", geo.COUNTY_TOLERANCE),
    MUNICIPALITY_BOUNDARIES_FILE: ("kommunenummer", geo.MUNICIPALITY_TOLERANCE),
}


Progress = Callable[[str], None]


class RefdataError(LoadError):
    """The reference data has problems; nothing was written.

    ``problems`` holds every one (a :class:`core.loading.Problem`), and
    ``errors`` one line per problem, each naming the file, the row (as a
    spreadsheet shows it: the header is row 1) and the column.
    """


class RefdataUnavailable(Exception):
    """The official sources could not be reached (offline, server error, bad answer)."""


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


def at(
    source: str,
    problem: str,
    *,
    row: int | None = None,
    column: str | None = None,
) -> Problem:
    """Place a problem: "<file>, row <n>, column <name>: <what is wrong>"."""
    return Problem(problem, source, row, column or "")


def at_feature(source: str, number: int, prop: str | None, problem: str) -> Problem:
    """Place a problem in a GeoJSON file: "<file>, feature <n>, property <name>: …"."""
    return Problem(problem, source, column=prop or "", feature=number)


def quiet(message: str) -> None:
    """The default progress callback: say nothing."""
