"""Every format parses back to the rows and columns of the list."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from opendata import columns as cols
from opendata.tests.conftest import body, read_csv, read_json

pytestmark = pytest.mark.django_db


def test_csv_has_header_and_typed_text(client, full_activity):
    response = client.get("/export/activities.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="unikom-activities-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response)
    assert list(rows[0]) == cols.KINDS["activities"].names
    (row,) = rows
    assert row["id"] == str(full_activity.public_id)
    assert row["activity_type"] == "student_thesis"
    assert row["start_date"] == "2023-01-15"
    assert row["funding_amount"] == "2500000"
    assert row["themes"] == "helse-og-omsorg"
    assert row["organisations"] == "funder:skien; partner:usn"
    assert row["is_public"] == "true"
    assert row["summary"] == "Om sensorer.\nTo linjer; med semikolon."
    assert row["url"] == f"http://testserver/activities/{full_activity.public_id}/"


def test_csv_bom_only_on_request(client, full_activity):
    plain = b"".join(client.get("/export/activities.csv").streaming_content)
    excel = b"".join(client.get("/export/activities.csv?bom=1").streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel[3:] == plain


def test_exported_values_parse_back_to_the_record(client, full_activity):
    """The round trip import relies on: every importable cell parses to the stored value."""
    (row,) = read_csv(client.get("/export/activities.csv"))
    kind = cols.KINDS["activities"]
    parsed = {c.name: cols.parse(c, cols.unneutralise(row[c.name])) for c in kind.importable}
    a = full_activity
    assert parsed["id"] == str(a.public_id)
    assert parsed["start_date"] == a.start_date
    assert parsed["end_date"] == a.end_date
    assert parsed["funding_amount"] == a.funding_amount
    assert parsed["partnerships"] == ["usn-drammen"]
    assert parsed["strategic_owner"] == "usn"
    assert parsed["is_public"] is True
    assert parsed["summary"] == a.summary


def test_xlsx_has_bold_frozen_header_and_typed_cells(client, full_activity):
    response = client.get("/export/activities.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(body(response)))
    sheet = workbook["activities"]
    header = [c.value for c in sheet[1]]
    assert header == cols.KINDS["activities"].names
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert isinstance(values["start_date"], datetime | date)
    assert values["start_date"].isoformat().startswith("2023-01-15")
    assert values["funding_amount"] == 2500000
    assert values["is_public"] == "true"
    assert values["organisations"] == "funder:skien; partner:usn"
    about = {row[0].value: row[1].value for row in workbook["about"].iter_rows()}
    assert "SSB" in about["attribution"] and "Kartverket" in about["attribution"]


def test_json_has_meta_columns_and_typed_data(client, full_activity):
    response = client.get("/export/activities.json?type=student_thesis")
    assert response["Content-Type"] == "application/json"
    document = read_json(response)
    meta = document["meta"]
    assert meta["count"] == 1
    assert meta["filters"] == {"type": "student_thesis"}
    assert meta["licence"]["name"] == "CC-BY-4.0"
    assert "Statistisk sentralbyrå" in meta["attribution"]
    assert "Kartverket" in meta["attribution"]
    assert [c["name"] for c in document["columns"]] == cols.KINDS["activities"].names
    (row,) = document["data"]
    assert row["funding_amount"] == 2500000
    assert row["themes"] == ["helse-og-omsorg"]
    assert row["is_public"] is True
    assert row["thesis_level"] == "master"
    assert row["cristin_project_id"] == "2571234"


def test_jsonld_activity_is_a_project_with_organisations(client, full_activity):
    response = client.get("/export/activities.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    document = read_json(response)
    assert document["@context"] == "https://schema.org"
    dataset, project = document["@graph"]
    assert dataset["@type"] == "Dataset"
    assert dataset["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert project["@type"] == "Project"
    assert project["sponsor"]["name"] == "Universitetet i Sørøst-Norge"
    assert [f["name"] for f in project["funder"]] == ["Skien"]
    assert {"propertyID": "cristin", "value": "2571234", "@type": "PropertyValue"} in project[
        "identifier"
    ]
    assert project["parentOrganization"][0]["@id"].endswith("/partnerships/usn-drammen/")


def test_jsonld_organisations_carry_identifiers(client):
    document = read_json(client.get("/export/organisations.jsonld"))
    nodes = {n.get("name"): n for n in document["@graph"][1:]}
    drammen = nodes["Drammen"]
    assert drammen["@type"] == "GovernmentOrganization"
    assert {"@type": "PropertyValue", "propertyID": "kommunenummer", "value": "3301"} in drammen[
        "identifier"
    ]
    with_ror = [n for n in nodes.values() if any("ror.org" in s for s in n.get("sameAs", []))]
    assert with_ror, "institutions with a ROR id are linked to ror.org"
    assert any(
        i["propertyID"] == "organisasjonsnummer"
        for n in nodes.values()
        for i in n.get("identifier", [])
    )


def test_jsonld_event_and_need(client, make_event, make_need, theme):
    make_event(online_url="https://meet.example.org/x", themes=[theme])
    make_need(deadline=date(2030, 1, 31), service_area=theme)
    (event,) = read_json(client.get("/export/events.jsonld"))["@graph"][1:]
    assert event["@type"] == "Event"
    assert event["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    assert {p["@type"] for p in event["location"]} == {"Place", "VirtualLocation"}
    assert event["organizer"][0]["name"] == "Drammen"
    (need,) = read_json(client.get("/export/needs.jsonld"))["@graph"][1:]
    assert need["@type"] == "Demand"
    assert need["validThrough"] == "2030-01-31"
    assert need["@reverse"]["seeks"]["name"] == "Drammen"
    assert need["itemOffered"]["category"] == theme.name


@pytest.mark.parametrize(
    "url", ["/export/activities.pdf", "/export/galaxies.csv", "/export/memberships.jsonld"]
)
def test_unknown_kind_or_format_is_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", list(cols.KINDS))
def test_every_kind_exports_in_every_offered_format(
    client, kind, full_activity, make_need, make_event, make_person
):
    make_need()
    make_event()
    make_person()
    rows = read_csv(client.get(f"/export/{kind}.csv"))
    data = read_json(client.get(f"/export/{kind}.json"))["data"]
    assert len(rows) == len(data) > 0
    assert [r[cols.KINDS[kind].names[0]] for r in rows] == [
        cols.to_string(d[cols.KINDS[kind].names[0]]) for d in data
    ]
    sheet = load_workbook(io.BytesIO(body(client.get(f"/export/{kind}.xlsx"))))[kind]
    assert sheet.max_row == len(rows) + 1


@pytest.mark.parametrize("kind", ["activities", "partnerships", "needs", "events"])
def test_a_control_character_in_a_filter_still_gives_a_workbook(client, full_activity, kind):
    """The filters are written on the about sheet; a worksheet cannot hold U+0001."""
    response = client.get(f"/export/{kind}.xlsx?q=%01sykehjem%0b")
    assert response.status_code == 200
    about = load_workbook(io.BytesIO(body(response)))["about"]
    filters = {r[0].value: r[1].value for r in about.iter_rows() if r[0].value.startswith("filter")}
    assert filters.get("filter: q") == "sykehjem"
