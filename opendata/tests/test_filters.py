"""An export holds exactly the rows its list page shows with the same filters."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.tests.conftest import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(make_activity, make_need, make_event, make_person, theme, usn, skien, other_partnership):
    make_activity(title="Forskning A", themes=[theme], start_date=date(2020, 1, 1))
    make_activity(title="PhD B", activity_type="phd", start_date=date(2024, 1, 1))
    make_activity(title="Tverrfaglig C", partnerships=[other_partnership], roles=[(skien, "owner")])
    make_need(title="Open need")
    make_need(title="Closed need", status="closed")
    make_need(title="Need in Skien", organisation=skien, suited_for=["phd"])
    make_event(title="Upcoming seminar", kind="seminar", themes=[theme])
    make_event(title="Upcoming conference", kind="conference")
    make_event(title="Past meeting", in_days=-30)
    make_person(name="Ola Forsker", orcid="0000-0002-1825-0097")
    make_person(name="Kari Koordinator")


CASES = [
    ("/activities/", "activities"),
    ("/activities/?type=phd", "activities"),
    ("/activities/?theme=helse-og-omsorg", "activities"),
    ("/activities/?partnership=usn-skien", "activities"),
    ("/activities/?organisation=skien", "activities"),
    ("/activities/?year=2024", "activities"),
    ("/activities/?q=phd&type=galaxy", "activities"),
    ("/research-needs/", "needs"),
    ("/research-needs/?status=any", "needs"),
    ("/research-needs/?status=closed", "needs"),
    ("/research-needs/?suited_for=phd&status=any", "needs"),
    ("/research-needs/?status=made-up", "needs"),
    ("/events/", "events"),
    ("/events/?when=past", "events"),
    ("/events/?kind=seminar", "events"),
    ("/events/?theme=helse-og-omsorg", "events"),
    ("/people/", "people"),
    ("/people/?q=ola", "people"),
    ("/people/?q=0000-0002-1825-0097", "people"),
    ("/partnerships/", "partnerships"),
    ("/partnerships/?kind=cluster", "partnerships"),
    ("/partnerships/?theme=helse-og-omsorg&sort=-roots", "partnerships"),
    ("/partnerships/?county=vestland", "partnerships"),
    ("/partnerships/?initiative=unknown", "partnerships"),
    ("/organisations/", "organisations"),
    ("/organisations/?kind=university", "organisations"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "kind"), CASES)
def test_export_rows_equal_page_rows(client, data, url, kind):
    page = client.get(url)
    assert page.status_code == 200
    by_slug = kind in ("partnerships", "organisations")
    column = "slug" if by_slug else "id"
    expected = [str(r.slug if by_slug else r.public_id) for r in page.context[kind]]
    query = url.partition("?")[2]
    rows = read_csv(client.get(f"/export/{kind}.csv?{query}"))
    assert [r[column] for r in rows] == expected
    assert rows or "galaxy" not in url  # a bad filter value is ignored, as on the page


def test_export_holds_every_page_not_only_the_first(client, make_activity):
    for i in range(55):
        make_activity(title=f"Aktivitet {i:02}")
    assert len(client.get("/activities/").context["activities"]) == 50
    assert len(read_csv(client.get("/export/activities.csv?page=1"))) == 55


def test_export_links_keep_the_filters_but_not_the_page(client, data):
    html = client.get("/activities/?type=phd&page=1").content.decode()
    assert 'href="/export/activities.csv?type=phd"' in html
    assert 'href="/export/activities.csv?type=phd&amp;bom=1"' in html
    assert 'href="/export/activities.jsonld?type=phd"' in html
    html = client.get("/events/?when=past").content.decode()
    assert 'href="/export/events.xlsx?when=past"' in html


@pytest.mark.parametrize(
    "url",
    ["/partnerships/", "/organisations/", "/people/", "/research-needs/", "/events/"],
)
def test_every_list_page_links_its_exports(client, url):
    html = client.get(url).content.decode()
    assert 'class="actions export-links"' in html
    assert "/export/" in html


def test_portfolio_export_is_the_portfolio(client, data, partnership):
    page = client.get("/partnerships/usn-drammen/portfolio/")
    html = page.content.decode()
    assert 'href="/export/activities.csv?partnership=usn-drammen"' in html
    expected = [str(a.public_id) for a in page.context["activities"]]
    rows = read_csv(client.get("/export/activities.csv?partnership=usn-drammen"))
    assert [r["id"] for r in rows] == expected


def test_portfolio_of_an_organisation_without_activities_exports_nothing(client, data):
    page = client.get("/organisations/3301/portfolio/")
    assert 'href="/export/activities.csv?organisation=drammen"' in page.content.decode()
    assert read_csv(client.get("/export/activities.csv?organisation=bergen")) == []
