"""Organisation pages: municipalities by number or slug, counties, institutions."""

from __future__ import annotations

import pytest

from organisations.models import Organisation
from tests.support.testing import add_partnerships, query_counts

pytestmark = pytest.mark.django_db


def test_a_municipality_is_found_by_number_and_by_slug(client):
    by_number = client.get("/organisations/4601/")
    by_slug = client.get("/organisations/bergen/")
    assert by_number.status_code == by_slug.status_code == 200
    assert by_number.context["org"] == by_slug.context["org"]
    assert by_number.context["org"].municipality_number == "4601"


def test_a_municipality_shows_county_population_partnerships_and_roles(client):
    html = client.get("/organisations/4601/").content.decode()
    assert "Vestland" in html
    assert "291\xa0940" in html  # SSB, 1 January 2024
    assert "Kunnskapskommunen Helse Omsorg Vest" in html
    assert "Leder- / motorkommune" in html


def test_an_institution_shows_its_partnerships_and_member_municipalities(client):
    ntnu = Organisation.objects.get(short_name="NTNU")
    html = client.get(ntnu.get_absolute_url()).content.decode()
    for name in ("Trondheim", "Oppdal", "Gjøvik", "Ålesund"):
        assert name in html
    assert "Universitetskommunen Trondheim TRD3.0" in html


def test_a_county_lists_its_municipalities_in_partnerships(client):
    html = client.get("/organisations/innlandet/").content.decode()
    for name in ("Gjøvik", "Kongsvinger", "Lesja"):
        assert name in html


def test_oslo_lists_its_districts(client):
    html = client.get("/organisations/0301/").content.decode()
    assert "Gamle Oslo" in html and "Bydeler" in html


def test_an_unknown_key_is_404(client):
    assert client.get("/organisations/9999/").status_code == 404
    assert client.get("/organisations/nowhere/").status_code == 404


def test_the_list_can_be_narrowed_by_kind(client):
    html = client.get("/organisations/?kind=university").content.decode()
    assert "Norges teknisk-naturvitenskapelige universitet" in html
    assert ">Bergen<" not in html


@pytest.mark.parametrize("url", ["/organisations/", "/organisations/ntnu/", "/organisations/5001/"])
def test_the_query_count_does_not_grow_with_the_data(client, url):
    def grow():
        ntnu = Organisation.objects.get(short_name="NTNU")
        for p in add_partnerships(8):
            p.memberships.create(organisation=ntnu, role="academic_partner")

    small, large = query_counts(client, url, grow=grow)
    assert small == large
