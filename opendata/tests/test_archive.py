"""The bulk archive: every public kind, the data dictionary and the attribution."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from opendata.columns import KINDS
from opendata.tests.conftest import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(make_activity, make_need, make_event, make_person, usn):
    person = make_person(name="Offentlig Person", contact_public=True)
    make_activity(title="Public", strategic_owner=usn, roles=[(usn, "partner")])
    make_activity(title="Private", is_public=False)
    make_need(title="Closed", status="closed", contact=person)
    make_event(title="Past", in_days=-20)
    make_event(title="Private event", is_public=False)


def _open(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    return archive


def _rows(archive, kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(f"{kind}.csv").decode("utf-8"))))


def test_archive_holds_every_kind_with_dictionary_and_licence(client, records):
    response = client.get("/open-data/unikom-open-data.zip")
    assert response["Content-Type"] == "application/zip"
    assert 'filename="unikom-open-data.zip"' in response["Content-Disposition"]
    archive = _open(body(response))
    names = set(archive.namelist())
    for kind in KINDS:
        assert {f"{kind}.csv", f"{kind}.json"} <= names
    assert {"datapackage.json", "DATA-DICTIONARY.md", "README.txt", "LICENSE.txt"} <= names

    licence = archive.read("LICENSE.txt").decode()
    assert "Statistisk sentralbyrå (SSB)" in licence and "© Kartverket" in licence
    assert "CC BY 4.0" in licence and "NLOD 2.0" in licence
    dictionary = archive.read("DATA-DICTIONARY.md").decode()
    for kind in KINDS.values():
        assert f"## {kind.name}" in dictionary
        for column in kind.columns:
            assert f"| `{column.name}` |" in dictionary

    # The open dataset: every status and date, public records only.
    assert {r["title"] for r in _rows(archive, "activities")} == {"Public"}
    assert {r["title"] for r in _rows(archive, "needs")} == {"Closed"}
    assert {r["title"] for r in _rows(archive, "events")} == {"Past"}
    assert len(_rows(archive, "organisations")) > 357  # every organisation, not only members
    data = json.loads(archive.read("partnerships.json"))
    assert data["meta"]["count"] == len(_rows(archive, "partnerships")) == 15


def test_datapackage_describes_every_file_and_its_references_hold(client, records):
    archive = _open(body(client.get("/open-data/unikom-open-data.zip")))
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert any("Kartverket" in s["title"] for s in package["sources"])
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(KINDS)
    keys: dict[str, set[str]] = {}
    for name, resource in resources.items():
        rows = _rows(archive, name)
        assert [f["name"] for f in resource["schema"]["fields"]] == KINDS[name].names
        assert resource["count"] == len(rows)
        primary = resource["schema"].get("primaryKey")
        if primary:
            values = [r[primary[0]] for r in rows]
            assert len(values) == len(set(values)), name
            keys[name] = set(values)
    for name, resource in resources.items():
        for fk in resource["schema"].get("foreignKeys", []):
            target = keys[fk["reference"]["resource"]]
            for row in _rows(archive, name):
                value = row[fk["fields"]]
                assert value == "" or value in target, (name, fk["fields"], value)


def test_command_writes_the_archive_and_single_exports(tmp_path, records, capsys):
    target = tmp_path / "open.zip"
    call_command("export", "--all", "--output", str(target))
    archive = _open(target.read_bytes())
    assert "activities.csv" in archive.namelist()
    assert "Wrote" in capsys.readouterr().out

    call_command("export", "activities", "--format", "json", "--filter", "q=Pub")
    document = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in document["data"]] == ["Public"]
    assert document["meta"]["filters"] == {"q": "Pub"}

    csv_file = tmp_path / "a.csv"
    call_command("export", "activities", "--bom", "--output", str(csv_file))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfid,title,")
