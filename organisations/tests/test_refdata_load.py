"""Loading reference data from files: ``load_directory`` and ``unikom refdata load``.

The session database already holds the reference data from the shared
folder (see conftest.py). Tests of bad input copy the good files into
``tmp_path`` and break one thing; every such test checks that the message
names file, row and column, and that the database is exactly as before.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation

from organisations.choices import OrganisationKind, RecordSource
from organisations.models import Boundary, Organisation
from organisations.refdata import RefdataError, has_refdata, load_directory

pytestmark = pytest.mark.django_db

CSV_FILES = ("municipalities.csv", "institutions.csv", "oslo_bydeler.csv")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def copy_files(source: Path, target: Path, names=CSV_FILES) -> Path:
    for name in names:
        shutil.copy(source / name, target / name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def small_feature_collection(refdata_dir: Path, file: str, numbers: dict[str, str]) -> str:
    """A few features of a real GeoJSON file, their keys renamed by ``numbers``."""
    key = "kommunenummer" if file.startswith("kommuner") else "fylkesnummer"
    data = json.loads((refdata_dir / file).read_text(encoding="utf-8"))
    features = [f for f in data["features"] if f["properties"][key] in numbers]
    for feature in features:
        feature["properties"][key] = numbers[feature["properties"][key]]
    return json.dumps({"type": "FeatureCollection", "features": features})


def snapshot() -> tuple:
    """Everything a load may touch, to compare before and after."""
    return (
        list(
            Organisation.objects.order_by("pk").values_list(
                "pk",
                "slug",
                "name",
                "official_name",
                "kind",
                "parent_id",
                "population",
                "record_source",
                "dbh_code",
                "org_number",
                "ror_id",
                "short_name",
            )
        ),
        list(Boundary.objects.order_by("pk").values_list("pk", "organisation_id", "svg_path")),
        Organisation.history.count(),
    )


# -- a full load ---------------------------------------------------------------------


def test_it_loads_all_357_municipalities_with_their_population():
    municipalities = Organisation.objects.municipalities()
    assert municipalities.count() == 357
    assert municipalities.aggregate(total=Sum("population"))["total"] == 5_550_203
    bergen = municipalities.get(municipality_number="4601")
    assert (bergen.name, bergen.slug, bergen.population) == ("Bergen", "bergen", 291_940)
    assert bergen.population_date == date(2024, 1, 1)
    assert bergen.parent.county_number == "46"
    assert bergen.record_source == RecordSource.REFDATA
    assert "ssb.no/klass" in bergen.source_url
    assert not municipalities.filter(parent__isnull=True).exists()


def test_it_keeps_the_official_multilingual_name_beside_the_norwegian_one():
    kautokeino = Organisation.objects.get(municipality_number="5612")
    assert kautokeino.name == "Kautokeino"
    assert kautokeino.official_name == "Guovdageaidnu - Kautokeino"


def test_municipalities_with_the_same_name_get_the_county_in_their_slug():
    slugs = dict(
        Organisation.objects.filter(
            municipality_number__in=["1515", "1818", "3114", "3419", "0301", "3201"]
        ).values_list("municipality_number", "slug")
    )
    assert slugs == {
        "0301": "oslo",
        "1515": "heroy-more-og-romsdal",
        "1818": "heroy-nordland",
        "3114": "valer-ostfold",
        "3419": "valer-innlandet",
        "3201": "baerum",
    }


def test_it_loads_15_counties_and_oslo_county_yields_the_slug_oslo_to_the_municipality():
    counties = Organisation.objects.counties()
    assert counties.count() == 15
    troms = counties.get(county_number="55")
    assert (troms.name, troms.official_name) == ("Troms", "Troms - Romsa - Tromssa")
    assert counties.get(county_number="03").slug == "oslo-fylke"


def test_it_loads_15_oslo_districts_under_oslo():
    districts = Organisation.objects.filter(kind=OrganisationKind.DISTRICT)
    assert districts.count() == 15
    gamle_oslo = districts.get(district_number="030101")
    assert gamle_oslo.parent.municipality_number == "0301"
    assert gamle_oslo.slug == "oslo-gamle-oslo"


def test_it_loads_76_institutions_with_kinds_and_identifiers(refdata_dir, tmp_path):
    report = load_directory(copy_files(refdata_dir, tmp_path), dry_run=True)
    assert report.institutions.total == 76
    uio = Organisation.objects.get(dbh_code="1110")
    assert (uio.short_name, uio.slug, uio.kind) == ("UiO", "uio", OrganisationKind.UNIVERSITY)
    assert (uio.org_number, uio.ror_id) == ("971035854", "01xtthb56")
    kinds = dict(
        Organisation.objects.filter(
            short_name__in=["NHH", "HVL", "KHIO", "UNIS", "SINTEF"]
        ).values_list("short_name", "kind")
    )
    assert kinds == {
        "NHH": OrganisationKind.UNIVERSITY_COLLEGE,
        "HVL": OrganisationKind.UNIVERSITY_COLLEGE,
        "KHIO": OrganisationKind.UNIVERSITY_COLLEGE,  # no category, but a DBH code
        "UNIS": OrganisationKind.RESEARCH_INSTITUTE,  # no category and no DBH code
        "SINTEF": OrganisationKind.RESEARCH_INSTITUTE,
    }
    # Empty identifier cells are NULL, not "", since the columns are unique.
    phs = Organisation.objects.get(short_name="PHS")
    assert (phs.dbh_code, phs.org_number, phs.ror_id) == (None, None, None)


def test_it_stores_a_boundary_for_every_municipality_and_county():
    boundaries = Boundary.objects.all()
    assert boundaries.filter(organisation__kind=OrganisationKind.MUNICIPALITY).count() == 357
    assert boundaries.filter(organisation__kind=OrganisationKind.COUNTY).count() == 15
    assert all(
        path.startswith("M") and path.endswith("Z")
        for path in boundaries.values_list("svg_path", flat=True)
    )


def test_it_tells_whether_reference_data_is_loaded():
    assert has_refdata()
    Organisation.objects.municipalities().update(record_source=RecordSource.DATASET)
    assert not has_refdata()


def test_a_second_load_changes_nothing(refdata_dir):
    load_directory(refdata_dir)  # puts back anything other tests' set-up changed
    before = snapshot()
    report = load_directory(refdata_dir)
    assert not report.changed
    assert report.municipalities.unchanged == 357 and report.boundaries.unchanged == 372
    assert snapshot() == before


def test_it_saves_only_the_rows_whose_values_changed(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    Organisation.objects.filter(municipality_number="4601").update(name="Bjørgvin")
    history = Organisation.history.count()
    report = load_directory(tmp_path)
    assert (report.municipalities.updated, report.municipalities.unchanged) == (1, 356)
    assert Organisation.objects.get(municipality_number="4601").name == "Bergen"
    assert Organisation.history.count() == history + 1


def test_a_municipality_from_the_dataset_is_updated_in_place(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path, ["municipalities.csv"])
    bergen = Organisation.objects.get(municipality_number="4601")
    Organisation.objects.filter(pk=bergen.pk).update(
        name="Bergen kommune", record_source=RecordSource.DATASET, population=None
    )
    report = load_directory(tmp_path)
    updated = Organisation.objects.get(municipality_number="4601")
    assert (updated.pk, updated.slug, updated.name) == (bergen.pk, "bergen", "Bergen")
    assert (updated.record_source, updated.population) == (RecordSource.REFDATA, 291_940)
    assert len(report.skipped) == 4  # every file but municipalities.csv


def test_an_institution_is_matched_by_short_name_and_keeps_its_slug(tmp_path):
    existing = Organisation.objects.create(
        slug="testinstituttet",
        name="Test",
        short_name="ti",
        kind=OrganisationKind.RESEARCH_INSTITUTE,
    )
    (tmp_path / "municipalities.csv").write_text(
        "kommunenummer,name,name_norwegian,fylkesnummer,fylke_name,fylke_name_official,"
        "population_2024_01_01\n0301,Oslo,Oslo,03,Oslo,Oslo,717710\n",
        encoding="utf-8",
    )
    (tmp_path / "institutions.csv").write_text(
        "name_nb,name_en,short_name,category,dbh_code,ror_id,orgnr\n"
        "Testinstituttet,Test Institute,TI,,,https://ror.org/0abcdef12,\n",
        encoding="utf-8",
    )
    report = load_directory(tmp_path)
    assert report.institutions.updated == 1
    existing.refresh_from_db()
    assert (existing.name, existing.slug, existing.ror_id, existing.org_number) == (
        "Testinstituttet",
        "testinstituttet",
        "0abcdef12",
        None,
    )


def test_a_dry_run_reports_what_would_change_and_writes_nothing(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    Organisation.objects.filter(municipality_number="4601").update(name="Bjørgvin")
    before = snapshot()
    report = load_directory(tmp_path, dry_run=True)
    assert report.dry_run and report.municipalities.updated == 1
    assert "Dry run" in report.summary()
    assert snapshot() == before


# -- bad input ----------------------------------------------------------------------------


def missing_file(folder: Path) -> None:
    (folder / "municipalities.csv").unlink()


def missing_column(folder: Path) -> None:
    path = folder / "municipalities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: edit(folder / file, old, new)


def not_text(folder: Path) -> None:
    """Bytes that are no text in any encoding the CSV reader knows (a control character)."""
    path = folder / "municipalities.csv"
    path.write_bytes(path.read_bytes().replace(b"Stavanger", b"Stav\x01nger", 1))


def latin1_geojson(folder: Path, refdata_dir: Path) -> None:
    text = small_feature_collection(refdata_dir, "kommuner_2024.geojson", {"0301": "0301"})
    (folder / "kommuner_2024.geojson").write_bytes(
        text.replace('"0301"', '"0301", "navn": "Bærum"', 1).encode("latin-1")
    )


def geojson(file: str, numbers: dict[str, str], *, cut: bool = False) -> Callable:
    def corrupt(folder: Path, refdata_dir: Path) -> None:
        text = small_feature_collection(refdata_dir, file, numbers)
        (folder / file).write_text(text[:500] if cut else text, encoding="utf-8")

    return corrupt


# Rows as a spreadsheet shows them: the header is row 1, Oslo (0301) row 2,
# Eigersund row 3, Stavanger row 4; UiO is row 2 and UiB row 3 of institutions.csv.
STAVANGER = "1103,Stavanger,Stavanger,,,,11,Rogaland,Rogaland,149048"
BAD_INPUT = {
    "missing file": (missing_file, "municipalities.csv: the file is missing"),
    "missing column": (
        missing_column,
        "municipalities.csv, row 1, column population_2024_01_01: the column is missing",
    ),
    "short kommunenummer": (
        replace("municipalities.csv", STAVANGER, STAVANGER.replace("1103", "113")),
        "municipalities.csv, row 4, column kommunenummer: “113” is not valid: expected four digits",
    ),
    "fylkesnummer of another county": (
        replace("municipalities.csv", STAVANGER, STAVANGER.replace(",11,", ",15,")),
        "municipalities.csv, row 4, column fylkesnummer: “15” is not the first two digits",
    ),
    "three-digit fylkesnummer": (
        replace("municipalities.csv", STAVANGER, STAVANGER.replace(",11,", ",110,")),
        "municipalities.csv, row 4, column fylkesnummer: “110” is not valid: expected two digits",
    ),
    "negative population": (
        replace("municipalities.csv", STAVANGER, STAVANGER.replace("149048", "-149048")),
        "municipalities.csv, row 4, column population_2024_01_01: “-149048” is not valid",
    ),
    "duplicate kommunenummer": (
        replace("municipalities.csv", STAVANGER, STAVANGER.replace("1103", "1101")),
        "municipalities.csv, row 4, column kommunenummer: “1101” is already used in row 3",
    ),
    "county names that disagree": (
        replace(
            "municipalities.csv",
            STAVANGER,
            STAVANGER.replace("Rogaland,Rogaland", "Rogland,Rogaland"),
        ),
        "municipalities.csv, row 4, column fylke_name: “Rogland” differs from “Rogaland” in row 3",
    ),
    "a row with a cell too few": (
        replace("municipalities.csv", STAVANGER, STAVANGER.replace(",149048", "")),
        "municipalities.csv, row 4: the row has 9 cells, but the header has 10",
    ),
    "not text": (
        not_text,
        "municipalities.csv: The file is not text in a character encoding unikom can read",
    ),
    "GeoJSON not UTF-8": (latin1_geojson, "kommuner_2024.geojson: the file is not UTF-8: byte"),
    "eight-digit orgnr": (
        replace("institutions.csv", "971035854", "97103585"),
        "institutions.csv, row 2, column orgnr: “97103585” is not valid: expected nine digits",
    ),
    "duplicate orgnr": (
        replace("institutions.csv", "874789542", "971035854"),
        "institutions.csv, row 3, column orgnr: “971035854” is already used in row 2",
    ),
    "duplicate dbh_code": (
        replace("institutions.csv", ",1120,", ",1110,"),
        "institutions.csv, row 3, column dbh_code: “1110” is already used in row 2",
    ),
    "duplicate ror_id": (
        replace("institutions.csv", "03zga2b32", "01xtthb56"),
        "institutions.csv, row 3, column ror_id: “01xtthb56” is already used in row 2",
    ),
    "duplicate short_name in another case": (
        replace("institutions.csv", ",UiB,", ",UIO,"),
        "institutions.csv, row 3, column short_name: “UIO” is already used in row 2",
    ),
    "unknown category": (
        replace("institutions.csv", ",universitet,statlig,1110", ",univ,statlig,1110"),
        "institutions.csv, row 2, column category: “univ” is not a known category",
    ),
    "five-digit bydelsnummer": (
        replace("oslo_bydeler.csv", "030101,", "03010,"),
        "oslo_bydeler.csv, row 2, column bydelsnummer: “03010” is not valid: expected six digits",
    ),
    "duplicate bydelsnummer": (
        replace("oslo_bydeler.csv", "030102,", "030101,"),
        "oslo_bydeler.csv, row 3, column bydelsnummer: “030101” is already used in row 2",
    ),
    "district in an unknown municipality": (
        replace("oslo_bydeler.csv", "Gamle Oslo,0301", "Gamle Oslo,0302"),
        "oslo_bydeler.csv, row 2, column kommunenummer: municipality 0302 is not in "
        "municipalities.csv",
    ),
    "boundary of an unknown municipality": (
        geojson("kommuner_2024.geojson", {"0301": "0301", "4601": "9998"}),
        "kommuner_2024.geojson, feature 2, property kommunenummer: municipality 9998 is not in "
        "municipalities.csv",
    ),
    "boundary of an unknown county": (
        geojson("fylker_2024.geojson", {"03": "03", "46": "99"}),
        "fylker_2024.geojson, feature 2, property fylkesnummer: no municipality in "
        "municipalities.csv is in county 99",
    ),
    "malformed JSON": (
        geojson("kommuner_2024.geojson", {"0301": "0301"}, cut=True),
        "kommuner_2024.geojson: malformed JSON at line 1, character 501",
    ),
}


@pytest.mark.parametrize(("corrupt", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_names_file_row_and_column_and_changes_nothing(
    refdata_dir, tmp_path, corrupt, message
):
    copy_files(refdata_dir, tmp_path)
    if corrupt.__code__.co_argcount == 2:
        corrupt(tmp_path, refdata_dir)
    else:
        corrupt(tmp_path)
    before = snapshot()
    with pytest.raises(RefdataError) as raised:
        load_directory(tmp_path)
    assert any(error.startswith(message) for error in raised.value.errors), raised.value.errors
    assert message in str(raised.value)
    assert snapshot() == before


def test_it_lists_every_problem_at_once(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    replace("municipalities.csv", STAVANGER, STAVANGER.replace("1103", "113"))(tmp_path)
    replace("institutions.csv", "971035854", "97103585")(tmp_path)
    replace("oslo_bydeler.csv", "030101,", "03010,")(tmp_path)
    with pytest.raises(RefdataError) as raised:
        load_directory(tmp_path)
    assert [error.split(",")[0] for error in raised.value.errors] == [
        "municipalities.csv",
        "oslo_bydeler.csv",
        "institutions.csv",
    ]


def test_a_missing_municipality_file_is_the_only_problem_reported(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path, ["oslo_bydeler.csv"])
    with pytest.raises(RefdataError) as raised:
        load_directory(tmp_path)
    assert raised.value.errors == ["municipalities.csv: the file is missing, and it is required."]


def test_the_byte_and_line_of_bad_encoding_are_named(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    latin1_geojson(tmp_path, refdata_dir)
    data = (tmp_path / "kommuner_2024.geojson").read_bytes()
    offset = next(i for i, byte in enumerate(data) if byte > 127)
    line = data[:offset].count(b"\n") + 1
    with pytest.raises(RefdataError) as raised:
        load_directory(tmp_path)
    assert f"byte {offset} (on line {line})" in raised.value.errors[0]


def test_a_csv_file_saved_as_windows_1252_with_semicolons_loads_as_the_utf_8_one(
    refdata_dir, tmp_path
):
    """CSV files are read by the importer's reader (core.tabular): what Excel saves loads."""
    copy_files(refdata_dir, tmp_path)
    path = tmp_path / "municipalities.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode("cp1252"))
    assert "Bærum" in text.getvalue()
    before = snapshot()
    report = load_directory(tmp_path)
    assert report.municipalities.unchanged == len(rows) - 1
    assert "municipalities.csv: The file was read as Windows-1252 text." in report.notes
    assert snapshot() == before


def test_a_line_break_inside_a_cell_does_not_shift_the_row_numbers(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    replace("institutions.csv", "University of Oslo,", '"University\nof Oslo",')(tmp_path)
    replace("institutions.csv", "874789542", "87478954")(tmp_path)
    with pytest.raises(RefdataError) as raised:
        load_directory(tmp_path)
    assert raised.value.errors == [
        "institutions.csv, row 3, column orgnr: “87478954” is not valid: expected nine digits, "
        "e.g. 971035854."
    ]


def test_an_identifier_held_by_another_organisation_is_refused(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    Organisation.objects.filter(short_name="UiB").update(org_number=None)
    Organisation.objects.filter(short_name="NTNU").update(org_number="874789542")
    before = snapshot()
    with pytest.raises(RefdataError) as raised:
        load_directory(tmp_path)
    assert raised.value.errors == [
        "institutions.csv, row 3, column orgnr: “874789542” already belongs to "
        "“Norges teknisk-naturvitenskapelige universitet” in the database."
    ]
    assert snapshot() == before


# -- the command -------------------------------------------------------------------------


def test_the_command_loads_a_folder_and_prints_progress_and_a_summary(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    out = io.StringIO()
    call_command("refdata", "load", str(tmp_path), stdout=out)
    assert "Reading municipalities.csv" in out.getvalue()
    assert "Municipalities: 0 created, 0 updated, 357 unchanged" in out.getvalue()
    assert "Skipped: kommuner_2024.geojson" in out.getvalue()


def test_the_command_dry_run_writes_nothing(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    Organisation.objects.filter(municipality_number="4601").update(name="Bjørgvin")
    before = snapshot()
    out = io.StringIO()
    call_command("refdata", "load", str(tmp_path), "--dry-run", stdout=out)
    assert "Municipalities: 0 created, 1 updated, 356 unchanged" in out.getvalue()
    assert snapshot() == before


def test_the_command_exits_non_zero_with_every_problem_on_stderr(refdata_dir, tmp_path):
    copy_files(refdata_dir, tmp_path)
    replace("municipalities.csv", STAVANGER, STAVANGER.replace("1103", "113"))(tmp_path)
    replace("oslo_bydeler.csv", "030101,", "03010,")(tmp_path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problems; nothing was loaded"):
        call_command("refdata", "load", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "municipalities.csv, row 4, column kommunenummer" in err.getvalue()
    assert "oslo_bydeler.csv, row 2, column bydelsnummer" in err.getvalue()


def test_the_command_says_when_the_folder_does_not_exist(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("refdata", "load", str(tmp_path / "nowhere"), stderr=err)
    assert "is not a folder" in err.getvalue()
