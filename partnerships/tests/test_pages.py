"""The partnership list, profile and compare pages."""

from __future__ import annotations

import re

import pytest

from partnerships.models import Partnership
from tests.support.testing import add_partnerships, compilation, query_counts

pytestmark = pytest.mark.django_db


def listed_slugs(html: str) -> set[str]:
    return set(re.findall(r'<h3><a href="/partnerships/([^/]+)/">', html))


def test_the_list_shows_every_partnership(client):
    html = client.get("/partnerships/").content.decode()
    assert listed_slugs(html) == {p["slug"] for p in compilation()["partnerships"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "kind=cluster",
            {p["slug"] for p in compilation()["partnerships"] if p["kind"] == "cluster"},
        ),
        (
            "initiative=academia",
            {"universitetskommunen-oslo", "usn-drammen", "usn-skien", "usn-faerder"},
        ),
        ("maturity=3.0", {"universitetskommunen-trondheim-trd3-0"}),
        ("county=vestland", {"kunnskapskommunen-helseomsorg-vest"}),
        ("institution=usn", {"usn-drammen", "usn-skien", "usn-faerder"}),
        ("q=oslo", {"universitetskommunen-oslo"}),
        ("kind=cluster&institution=ntnu", {"universitetsregion-nord-gudbrandsdal"}),
    ],
)
def test_each_filter_narrows_the_list_and_has_its_own_url(client, query, expected):
    html = client.get(f"/partnerships/?{query}").content.decode()
    assert listed_slugs(html) == expected


def test_the_theme_filter_finds_partnerships_with_that_theme(client):
    p = Partnership.objects.filter(themes__isnull=False).first()
    theme = p.themes.first()
    html = client.get(f"/partnerships/?theme={theme.slug}").content.decode()
    assert listed_slugs(html) == set(theme.partnerships.values_list("slug", flat=True))


def test_sorting_by_roots_year(client):
    html = client.get("/partnerships/?sort=roots").content.decode()
    order = re.findall(r'<h3><a href="/partnerships/([^/]+)/">', html)
    years = [Partnership.objects.get(slug=s).roots_year for s in order]
    known = [y for y in years if y is not None]
    assert known == sorted(known)


def test_an_unknown_filter_value_says_so_instead_of_failing(client):
    response = client.get("/partnerships/?kind=galaxy&county=atlantis")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_the_profile_follows_the_compilations_questions(client):
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    for heading in (
        "Deltakere",
        "Initiativ",
        "Størrelse",
        "Forankring",
        "Organisering og ressurser",
        "Formål og tema",
        "Rapporterte resultater",
        "Kilder",
    ):
        assert re.search(rf">{heading}(</a>)?</h2>", html), heading
    assert "Bergen" in html and "Askøy" in html
    assert "Leder- / motorkommune" in html
    assert "https://www.ks.no/" in html


def test_the_profile_sums_the_population_of_member_municipalities(client):
    from organisations.models import Organisation

    members = Organisation.objects.filter(
        memberships__partnership__slug="universitetsregionen-innherred", kind="municipality"
    )
    total = sum(m.population for m in members)
    html = client.get("/partnerships/universitetsregionen-innherred/").content.decode()
    assert f"{total:,}".replace(",", "\xa0") in html


def test_an_incomplete_member_list_is_called_incomplete(client):
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-nord/").content.decode()
    assert "listen er ufullstendig" in html


def test_the_anchoring_matrix_shows_party_level_and_evidence(client):
    html = client.get("/partnerships/universitetskommunen-trondheim-trd3-0/").content.decode()
    matrix = html[html.index('<table class="matrix">') :]
    matrix = matrix[: matrix.index("</table>")]
    assert "Rektorat" in matrix and "Fakultet" in matrix and "Politisk" in matrix
    assert "NTNU" in matrix or "Norges teknisk" in matrix


def test_an_unknown_partnership_is_404(client):
    assert client.get("/partnerships/no-such-thing/").status_code == 404


def test_compare_shows_two_to_four_side_by_side(client):
    slugs = ["usn-drammen", "usn-skien", "alesund", "universitetskommune-gjovik", "usn-faerder"]
    html = client.get("/compare/?" + "&".join(f"p={s}" for s in slugs)).content.decode()
    table = html[html.index('<table class="compare">') :]
    headers = re.findall(r'<th scope="col"><a href="/partnerships/([^/]+)/">', table)
    assert headers == slugs[:4]


def test_compare_with_one_asks_for_more(client):
    html = client.get("/compare/?p=usn-drammen").content.decode()
    assert "minst to" in html


def test_compare_names_unknown_slugs(client):
    html = client.get("/compare/?p=usn-drammen&p=nope").content.decode()
    assert "nope" in html


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/",
        "/partnerships/kunnskapskommunen-helseomsorg-vest/",
        "/compare/?p=usn-drammen&p=alesund&p=kunnskapskommunen-helseomsorg-vest",
    ],
)
def test_the_query_count_does_not_grow_with_the_data(client, url):
    def grow():
        extra = add_partnerships(10, members=4)
        # give the profiled partnerships more rows of every kind, too
        from partnerships.models import Membership

        target = Partnership.objects.get(slug="kunnskapskommunen-helseomsorg-vest")
        for p in extra[:3]:
            for m in p.memberships.filter(role="member_municipality"):
                Membership.objects.create(
                    partnership=target, organisation=m.organisation, role="member_municipality"
                )

    small, large = query_counts(client, url, grow=grow)
    assert small == large


def test_the_profile_maps_its_member_municipalities(client):
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    members = html[html.index('<g class="members">') :]
    members = members[: members.index("</g>")]
    assert members.count("<a ") == 9  # Bergen and its eight neighbours
    assert 'aria-label="Askøy' in members


def test_a_period_is_shown_as_the_source_words_it_and_sorted_by_its_first_year(client):
    html = client.get("/partnerships/kristiansand-uia/").content.decode()
    assert "tidlig 2000-tall" in html and "2000–2004" in html
    listed = client.get("/partnerships/?sort=roots").content.decode()
    order = re.findall(r'<h3><a href="/partnerships/([^/]+)/">', listed)
    # Kristiansand's early 2000s come after Vestvågøy's 1988, before TRD3.0's 2012.
    assert order.index("kunnskapskommunen-helseomsorg-nord") < order.index("kristiansand-uia")
    assert order.index("kristiansand-uia") < order.index("universitetskommunen-trondheim-trd3-0")


def test_a_count_is_shown_with_what_it_counts(client):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    assert "123 knowledge needs submitted" in html
    assert "123 knowledge summaries" not in html


def test_a_stated_member_count_is_shown_with_how_many_are_named(client):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/?kind=cluster").content.decode()
    assert "6, 1 named" in html


def test_the_status_says_when_it_was_last_confirmed(client):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/usn-drammen/").content.decode()
    assert "Active, last confirmed 2021" in html


def test_an_expired_agreement_is_never_active(client):
    """Kongsvinger's 2022–2024 agreement has run out and no later one is recorded."""
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/universitetskommunen-kongsvinger/").content.decode()
    assert "Agreement ran out in 2024" in html
    assert ">Active<" not in html and "Active, last" not in html
    assert "expired" in html


def test_the_compilations_statements_are_shown_with_their_source(client):
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-vest/").content.decode()
    section = html[html.index('id="statements"') :]
    section = section[: section.index("</section>")]
    assert "Bergen" in section and "samarbeidsomrader" in section


def test_a_board_is_its_own_level_above_the_rectorate(client):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/kristiansand-uia/").content.decode()
    matrix = html[html.index('<table class="matrix">') :]
    matrix = matrix[: matrix.index("</table>")]
    assert matrix.index(">Board<") < matrix.index(">Rectorate<")
    assert "Sector management" in matrix


def test_a_body_named_after_its_kind_is_not_labelled_twice(client):
    html = client.get("/partnerships/universitetskommune-oppdal/").content.decode()
    assert "Styringsgruppe (Styringsgruppe)" not in html
    assert "<strong>Styringsgruppe</strong>" in html


def test_the_population_of_a_partial_member_list_says_it_covers_the_named_only(client):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/kunnskapskommunen-helseomsorg-nord/").content.decode()
    assert "Population of the 1 named of 6 member municipalities" in html


def test_the_profile_lists_the_activities_added_last_first(client, django_user_model):
    from datetime import timedelta

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activities.models import Activity
    from partnerships.profile import Profile

    skien = Partnership.objects.get(slug="usn-skien")
    added = []
    for n in range(8):
        activity = Activity.objects.create(
            title=f"Lagt til som nummer {n}", activity_type="phd", is_public=n != 6
        )
        activity.partnerships.set([skien])
        added.append(activity)
    added[7].move_to_trash(None)
    # an import may give an activity an old creation time: it is still the last added
    Activity.objects.filter(pk=added[5].pk).update(created=added[0].created - timedelta(days=999))

    def titles(user) -> list[str]:
        return [a.title for a in Profile(skien, user=user).latest_activities]

    expected = [f"Lagt til som nummer {n}" for n in (5, 4, 3, 2, 1)]
    assert titles(AnonymousUser()) == expected
    signed_in = django_user_model.objects.create_user(username="leser", password="x")
    assert titles(signed_in) == [f"Lagt til som nummer {n}" for n in (6, 5, 4, 3, 2)]
    html = client.get("/partnerships/usn-skien/").content.decode()
    positions = [html.index(f">{title}</a>") for title in expected]
    assert positions == sorted(positions)

    if connection.vendor == "sqlite":  # the index is walked backwards: no sort of every link
        with CaptureQueriesContext(connection) as queries:
            titles(AnonymousUser())
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert "activities_partnership_activity_idx" in plan and "TEMP B-TREE" not in plan, plan


def test_the_profile_lists_the_partnerships_activities_open_needs_and_coming_meeting_places(
    client,
):
    from datetime import timedelta

    from django.utils import timezone

    from activities.models import Activity
    from events.models import Event
    from needs.models import Need

    skien = Partnership.objects.get(slug="usn-skien")
    owner = skien.memberships.first().organisation
    shown = Activity.objects.create(title="Aktivitet i porteføljen", activity_type="phd")
    shown.partnerships.set([skien])
    hidden = Activity.objects.create(
        title="Aktivitet bare for innloggede", activity_type="phd", is_public=False
    )
    hidden.partnerships.set([skien])
    trashed = Activity.objects.create(title="Aktivitet i papirkurven", activity_type="phd")
    trashed.partnerships.set([skien])
    trashed.move_to_trash(None)
    need = {"description": "Trengs.", "organisation": owner, "suited_for": ["thesis"]}
    Need.objects.create(title="Åpent behov", partnership=skien, **need)
    Need.objects.create(title="Lukket behov", partnership=skien, status="closed", **need)
    Need.objects.create(title="Behov uten partnerskap", **need)
    soon = timezone.now() + timedelta(days=7)
    for title, start in (("Kommende møte", soon), ("Tidligere møte", soon - timedelta(days=30))):
        Event.objects.create(
            title=title,
            kind="seminar",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            location="Rådhuset",
            organiser=owner,
            partnership=skien,
        )

    html = client.get("/partnerships/usn-skien/").content.decode()
    assert f'<a href="{shown.get_absolute_url()}">Aktivitet i porteføljen</a>' in html
    assert "Åpent behov" in html and "Kommende møte" in html
    for absent in (
        "Aktivitet bare for innloggede",  # only for signed-in readers
        "Aktivitet i papirkurven",
        "Lukket behov",
        "Behov uten partnerskap",
        "Tidligere møte",
    ):
        assert absent not in html, absent
    assert 'href="/research-needs/?partnership=usn-skien"' in html
    assert 'href="/events/?partnership=usn-skien"' in html
