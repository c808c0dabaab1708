"""The loading toolkit (core.loading, core.tabular), and the three loaders that use it.

Reference data, the bundled dataset and the importer each report a bad row with
its place as the same :class:`core.loading.Problem`, and write nothing.
"""

from __future__ import annotations

import json
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from activities.models import Activity
from core.loading import LoadError, Problem, Problems
from core.tabular import ReadError, read_csv
from imports.models import ImportBatch
from imports.reading import read_table
from imports.service import Options, commit
from organisations.models import Organisation
from organisations.refdata import RefdataError, load_directory
from partnerships.dataset import BUNDLED_PATH, DatasetError, load_dataset
from partnerships.models import Partnership


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# -- the toolkit ------------------------------------------------------------------------


def test_a_problem_names_its_place_as_the_loaders_always_have():
    assert str(Problem("bad.", "a.csv", 4, "name")) == "a.csv, row 4, column name: bad."
    assert str(Problem("bad.", "a.csv", 4)) == "a.csv, row 4: bad."
    assert str(Problem("bad.", "a.csv")) == "a.csv: bad."
    assert str(Problem("bad.", "b.geojson", column="id", feature=2)) == (
        "b.geojson, feature 2, property id: bad."
    )
    assert str(Problem("bad.", "b.geojson", feature=2)) == "b.geojson, feature 2, geometry: bad."
    # Without a source (the importer's report names the file itself):
    assert str(Problem("bad.", row=3, column="title")) == "row 3, column “title”: bad."
    assert Problem("bad.", row=3, column="title").as_dict() == {
        "row": 3,
        "column": "title",
        "message": "bad.",
    }


def test_the_collector_refuses_the_whole_load_with_every_problem():
    problems = Problems()
    problems.check()  # nothing found: nothing refused
    problems.add("first.", source="a.csv", row=2, column="x")
    problems.add("second.", source="a.csv", row=5)
    with pytest.raises(LoadError) as raised:
        problems.check()
    assert raised.value.problems == list(problems)
    assert raised.value.errors == ["a.csv, row 2, column x: first.", "a.csv, row 5: second."]
    assert str(raised.value) == "\n".join(raised.value.errors)


def test_the_collector_raises_the_loaders_own_error():
    problems = Problems(RefdataError)
    with pytest.raises(RefdataError) as raised:
        problems.refuse("the file is missing.", source="a.csv")
    assert raised.value.errors == ["a.csv: the file is missing."]


def test_the_csv_reader_finds_encoding_and_separator():
    table = read_csv("navn;kommune\r\nBærum;3201\r\n\r\n".encode("cp1252"))
    assert table.header == ["navn", "kommune"]
    assert list(table.rows()) == [(2, ["Bærum", "3201"])]
    assert table.notes == ["The file was read as Windows-1252 text."]
    table = read_csv(b'\xef\xbb\xbfa,b\n"x\ny",1\n2,3\n')
    assert table.header == ["a", "b"] and table.notes == []
    assert [number for number, _cells in table.rows()] == [2, 3]
    with pytest.raises(ReadError):
        read_csv(b"a,b\n\x00\x01,2\n")


# -- the three loaders -------------------------------------------------------------------


@pytest.mark.django_db
def test_reference_data_reports_a_bad_row_with_its_place_and_writes_nothing(refdata_dir, tmp_path):
    shutil.copy(refdata_dir / "municipalities.csv", tmp_path / "municipalities.csv")
    path = tmp_path / "municipalities.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n1103,", "\n113,", 1), encoding="utf-8")
    row = text[: text.index("\n1103,")].count("\n") + 2
    before = Organisation.history.count()
    with pytest.raises(LoadError) as raised:
        load_directory(tmp_path)
    assert isinstance(raised.value, RefdataError)
    (problem,) = raised.value.problems
    assert isinstance(problem, Problem)
    assert (problem.source, problem.row, problem.column) == (
        "municipalities.csv",
        row,
        "kommunenummer",
    )
    assert problem.message.startswith("“113” is not valid")
    assert Organisation.history.count() == before


@pytest.mark.django_db
def test_the_dataset_reports_a_bad_entry_with_its_place_and_writes_nothing(tmp_path):
    data = json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))
    first = data["partnerships"][0]
    first["kind"] = "galaxy"
    first["name"] = "Renamed, but never written"
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = Partnership.history.count()
    with pytest.raises(LoadError) as raised:
        load_dataset(path)
    assert isinstance(raised.value, DatasetError)
    problem = raised.value.problems[0]
    assert isinstance(problem, Problem)
    assert (problem.source, problem.column) == (
        "dataset.json",
        f"partnerships[0] «{first['slug']}» › kind",
    )
    assert raised.value.errors[0] == f"{problem.column}: {problem.message}"
    assert Partnership.history.count() == before
    assert not Partnership.objects.filter(name="Renamed, but never written").exists()


@pytest.mark.django_db
def test_the_importer_reports_a_bad_row_with_its_place_and_writes_nothing():
    user = get_user_model().objects.create_user("nasjonal", is_superuser=True)
    header = "title,activity_type,status,partnerships\n"
    raw = (
        header + "Good one,research_project,ongoing,usn-drammen\n"
        "Bad one,research_project,not-a-status,usn-drammen\n"
    ).encode()
    batch = ImportBatch(user=user, kind="activities", filename="a.csv", size=len(raw))
    report = commit(read_table(raw, "a.csv"), "activities", batch, Options(user=user))
    assert not report.written
    (problem,) = report.problems
    assert isinstance(problem, Problem)
    assert (problem.source, problem.row, problem.column) == ("", 3, "status")
    assert not Activity.objects.filter(title__in=["Good one", "Bad one"]).exists()
