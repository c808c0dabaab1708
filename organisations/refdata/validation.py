"""Validating reference data: every row and feature checked, every problem collected.

:func:`validate` turns :class:`~.base.Sources` into a :class:`Refdata` of
records, adding a placed :class:`core.loading.Problem` to ``problems`` for
each fault; the caller refuses the load if there is any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.loading import Problems

from .. import geo
from ..choices import OrganisationKind
from .base import (
    INSTITUTION_COLUMNS,
    MUNICIPALITIES_FILE,
    FeatureSet,
    Sources,
    Table,
    at,
    at_feature,
)

INSTITUTION_KINDS = {
    "universitet": OrganisationKind.UNIVERSITY,
    "vitenskapelig høgskole": OrganisationKind.UNIVERSITY_COLLEGE,
    "høgskole": OrganisationKind.UNIVERSITY_COLLEGE,
    "forskningsinstitutt": OrganisationKind.RESEARCH_INSTITUTE,
}


_MUNICIPALITY_NUMBER = re.compile(r"[0-9]{4}")
_COUNTY_NUMBER = re.compile(r"[0-9]{2}")
_DISTRICT_NUMBER = re.compile(r"[0-9]{6}")
_ORG_NUMBER = re.compile(r"[0-9]{9}")
_DBH_CODE = re.compile(r"[0-9]{4}")
_ROR_ID = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}")
_ROR_PREFIX = re.compile(r"^(https?://)?(www\.)?ror\.org/", re.IGNORECASE)
_POPULATION = re.compile(r"[0-9]+")


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


def validate(sources: Sources, problems: Problems) -> Refdata:
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

    def __init__(self, source: str, row: int, cells: dict[str, str], problems: Problems):
        self.source, self.row, self.cells, self.problems = source, row, cells, problems
        self.ok = True

    def fail(self, column: str, problem: str) -> None:
        self.ok = False
        self.problems.append(at(self.source, problem, row=self.row, column=column))

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
    table: Table | None, problems: Problems
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
    table: Table | None, municipality_numbers: set[str] | None, problems: Problems
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


def _validate_institutions(table: Table | None, problems: Problems) -> list[InstitutionRecord]:
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
    problems: Problems,
) -> dict[str, Outline]:
    """Check each feature's key and geometry, and project it into an SVG outline."""
    outlines: dict[str, Outline] = {}
    seen: dict[str, int] = {}
    for number, feature in enumerate(features.features if features else [], start=1):
        source = features.source
        if not isinstance(feature, dict):
            problems.append(
                at(source, _("feature %(n)d is not a GeoJSON feature.") % {"n": number})
            )
            continue
        properties = feature.get("properties")
        value = properties.get(key) if isinstance(properties, dict) else None
        ok = True
        if not isinstance(value, str) or not pattern.fullmatch(value):
            ok = False
            problems.append(
                at_feature(
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
                at_feature(
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
                at_feature(
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
                at_feature(
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
