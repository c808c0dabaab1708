"""The database's own values for the activities (opendata.sqlvalues) against
those read from the records (columns.row_values), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from opendata import exports, sqlvalues
from opendata.columns import KINDS, ExportContext, row_values
from partnerships.models import Partnership, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(make_activity, partnership, drammen, skien, usn):
    """Activities with what a second definition of the columns could get wrong."""
    other = Partnership.objects.get(slug="usn-skien")
    gone = Partnership.objects.create(name="Avsluttet samarbeid", slug="a-avsluttet")
    themes = list(Theme.objects.order_by("-slug"))  # linked in the reverse of the export's order
    made = [
        make_activity(
            title='=HYPERLINK("http://x")',
            summary="",
            funding_source="-minus først",
            funding_amount=Decimal("999999999999999"),
            cristin_project_id="2571234",
            nfr_project_number="321045",
            start_date=date(1999, 12, 31),
            end_date=date(2031, 1, 1),
            partnerships=[other, gone, partnership],
            themes=themes,
            roles=[(usn, "partner"), (usn, "funder"), (skien, "owner"), (drammen, "partner")],
            strategic_owner=usn,
            strategic_owner_level="rectorate",
            professional_owner_level="service_level",
        ),
        make_activity(
            title="'sitert\" og «æøå» \t tab",
            summary="Linje én\r\nlinje to; tre\x1e",
            activity_type="student_thesis",
            thesis_level="bachelor",
            partnerships=[],
            funding_amount=Decimal("0"),
        ),
        make_activity(title="Privat", is_public=False, themes=themes[:1], status="planned"),
        make_activity(title="Bare et tall", partnerships=[gone], activity_type="phd"),
    ]
    gone.move_to_trash(None)
    make_activity(title="I papirkurven").move_to_trash(None)
    return made


def _both(params, user, base_url="https://unikom.example.no/"):
    selection = exports.select("activities", params, user, size=3)
    ctx = ExportContext(user=user, base_url=base_url)
    from_database = list(selection.values(ctx))
    from_records = [row_values("activities", r, ctx) for r in selection.records()]
    return from_database, from_records


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("params", [{}, {"type": "phd"}, {"partnership": "usn-drammen"}])
def test_the_databases_values_are_those_of_the_records(varied, coordinator, signed_in, params):
    user = coordinator if signed_in else AnonymousUser()
    from_database, from_records = _both(params, user)
    assert from_database == from_records
    assert from_database  # every case holds rows
    for row, expected in zip(from_database, from_records, strict=True):
        assert list(row) == list(expected)  # the columns' order, which writers follow
        assert [type(v) for v in row.values()] == [type(v) for v in expected.values()]


def test_the_cases_the_data_was_made_for_come_out_as_exports_show_them(varied):
    rows = {r["title"]: r for r in _both({}, AnonymousUser())[0]}
    first = rows['=HYPERLINK("http://x")']
    assert first["partnerships"] == ["usn-drammen", "usn-skien"]  # not the trashed one
    assert first["themes"] == sorted(t.slug for t in Theme.objects.all())
    assert first["organisations"] == [
        "funder:usn",
        "owner:skien",
        "partner:drammen",
        "partner:usn",
    ]
    assert first["funding_amount"] == 999999999999999
    assert first["start_date"] == date(1999, 12, 31)
    assert first["summary"] is None
    assert first["strategic_owner_name"] == varied[0].strategic_owner.name
    assert first["url"] == f"https://unikom.example.no{varied[0].get_absolute_url()}"
    second = rows["'sitert\" og «æøå» \t tab"]
    assert second["partnerships"] == []
    assert second["funding_amount"] == 0
    assert second["strategic_owner"] is None
    assert "Privat" not in rows
    assert rows["Bare et tall"]["partnerships"] == []


def test_every_column_is_worked_out_in_the_database_but_the_address():
    for kind, spec in sqlvalues.VALUES.items():
        assert [*spec(connection), "url"] == KINDS[kind].names


def test_activities_are_exported_without_making_records(varied, make_person, monkeypatch):
    make_person(name="Kari Nordmann")

    def no_records(*args, **kwargs):
        raise AssertionError("records were made")

    monkeypatch.setattr(exports, "read", no_records)
    selection = exports.select("activities", {}, AnonymousUser(), size=2)
    assert len(list(selection.values(ExportContext()))) == 3
    with pytest.raises(AssertionError, match="records were made"):
        list(exports.select("people", {}, AnonymousUser()).values(ExportContext()))


def test_the_batch_query_keeps_the_lists_filters(varied):
    """A record that leaves the list while an export streams is left out, as
    for the records (test_streaming)."""
    selection = exports.select("activities", {}, AnonymousUser(), size=2)
    keys = list(selection.keys)
    varied[0].move_to_trash(None)
    titles = [row["title"] for row in selection.values(ExportContext())]
    assert len(keys) == 3 and len(titles) == 2
    assert varied[0].title not in titles
