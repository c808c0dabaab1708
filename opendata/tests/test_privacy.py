"""Exports show what the list pages show the same user, and nothing more."""

from __future__ import annotations

import pytest

from opendata.tests.conftest import body, read_csv, read_json

pytestmark = pytest.mark.django_db


def _titles(client, kind: str, query: str = "") -> set[str]:
    return {r["title"] for r in read_csv(client.get(f"/export/{kind}.csv{query}"))}


def test_private_and_trashed_records_are_left_out_for_anonymous(
    client, reader, make_activity, make_need, make_event
):
    make_activity(title="Public")
    make_activity(title="Private", is_public=False)
    make_activity(title="Trashed").move_to_trash(None)
    make_need(title="Private need", is_public=False)
    make_event(title="Private event", is_public=False)
    assert _titles(client, "activities") == {"Public"}
    assert _titles(client, "needs") == set()
    assert _titles(client, "events") == set()
    assert "Private" not in body(client.get("/export/activities.jsonld")).decode()

    client.force_login(reader)
    assert _titles(client, "activities") == {"Public", "Private"}
    assert _titles(client, "needs") == {"Private need"}
    assert _titles(client, "events") == {"Private event"}


def test_contact_data_only_where_the_page_shows_it(client, reader, make_person):
    make_person(name="Privat Person", email="privat@example.org", phone="+47 111")
    make_person(name="Offentlig Person", email="open@example.org", contact_public=True)
    make_person(name="Skjult Person", email="hidden@example.org", is_public=False)

    rows = {r["name"]: r for r in read_csv(client.get("/export/people.csv"))}
    assert set(rows) == {"Privat Person", "Offentlig Person"}
    assert rows["Privat Person"]["email"] == rows["Privat Person"]["phone"] == ""
    assert rows["Offentlig Person"]["email"] == "open@example.org"
    for fmt in ("json", "jsonld", "xlsx"):
        content = body(client.get(f"/export/people.{fmt}"))
        assert b"privat@example.org" not in content, fmt
        assert b"hidden@example.org" not in content, fmt
    assert b"privat@example.org" not in body(client.get("/open-data/unikom-open-data.zip"))

    client.force_login(reader)
    rows = {r["name"]: r for r in read_csv(client.get("/export/people.csv"))}
    assert rows["Privat Person"]["email"] == "privat@example.org"
    assert rows["Skjult Person"]["email"] == "hidden@example.org"
    # The archive is the open dataset whoever downloads it.
    assert b"privat@example.org" not in body(client.get("/open-data/unikom-open-data.zip"))


def test_linked_private_records_are_not_named(client, make_need, make_activity, make_person):
    hidden = make_person(name="Skjult Kontakt", is_public=False)
    private_activity = make_activity(title="Private", is_public=False)
    public_activity = make_activity(title="Public")
    need = make_need(contact=hidden)
    need.led_to.set([private_activity, public_activity])
    (row,) = read_json(client.get("/export/needs.json"))["data"]
    assert row["contact"] is None and row["contact_name"] is None
    assert row["led_to"] == [str(public_activity.public_id)]
    rows = read_csv(client.get("/export/affiliations.csv"))
    assert "Skjult Kontakt" not in {r["person_name"] for r in rows}
