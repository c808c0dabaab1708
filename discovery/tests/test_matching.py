"""Needs ↔ expertise: who could answer a need; which open needs fit an institution or a person."""

from __future__ import annotations

import pytest

from discovery import matching
from discovery.tests.helpers import activity, need, org, researcher
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    """Two institutions' work: nursing at USN, school reading at NTNU."""
    nurse = researcher("Nina Sykepleier", at="usn", unit="Institutt for sykepleie")
    hidden = researcher("Skjult Forsker", at="usn", is_public=False)
    reader = researcher("Lars Leser", at="ntnu", unit="Institutt for lærerutdanning")
    municipal = researcher("Mona Kommune", at="drammen", title="Rådgiver")
    activity(
        "Rekruttering av sykepleiere i hjemmetjenesten",
        "Hvorfor slutter sykepleiere, og hva får dem til å bli i hjemmetjenesten?",
        organisations=["usn"],
        people=[(nurse, "project_leader"), (hidden, "supervisor"), (municipal, "contact")],
        themes=["helse-og-omsorg"],
    )
    activity(
        "Lesing i småskolen",
        "Leseopplæring og lesevansker blant elever i første klasse.",
        organisations=["ntnu"],
        people=[(reader, "project_leader")],
        themes=["oppvekst-og-utdanning"],
    )
    activity("Overvann i byen", "Klimatilpasning og flom.", organisations=["nmbu"])
    return {"nurse": nurse, "reader": reader, "hidden": hidden, "municipal": municipal}


def test_need_finds_units_people_and_activities_that_fit(work):
    posted = need(
        "Hvordan beholde sykepleiere i hjemmetjenesten?",
        "Vi mister sykepleiere og trenger kunnskap om rekruttering.",
        partnership="usn-drammen",
    )
    found = matching.for_need(posted)
    assert [a.title for a in found.activities] == ["Rekruttering av sykepleiere i hjemmetjenesten"]
    units = [u.name for u in found.units]
    # The unit of the project leader first, then the institution; both are
    # partners in the need's partnership.
    assert units[:2] == ["Institutt for sykepleie, USN", "Universitetet i Sørøst-Norge"]
    assert {u.partnership for u in found.units[:2]} == {"Universitetskommunen Drammen (USN)"}
    assert not any("NTNU" in u or "Norges teknisk" in u for u in units)
    people = [e.person.name for e in found.people]
    # Only public people with an academic post; the municipal contact is not "expertise".
    assert people == ["Nina Sykepleier"]
    assert [title for _role, title in found.people[0].roles] == [found.activities[0].title]


def test_a_post_that_matches_the_need_counts_without_an_activity(work):
    researcher("Pia Pedagog", at="oslomet", unit="Institutt for barnehagelærerutdanning")
    posted = need("Barnehagelærerutdanning", "Vi trenger barnehagelærere med mer utdanning.")
    people = [e.person.name for e in matching.for_need(posted).people]
    assert people == ["Pia Pedagog"]


def test_institution_page_lists_open_needs_that_fit(client, work):
    fits = need("Sykepleiere slutter", "Rekruttering og å beholde sykepleiere i hjemmetjenesten.")
    closed = need("Sykepleiere i hjemmetjenesten", "Rekruttering av sykepleiere.", status="closed")
    dialogue = need(
        "Rekruttering av sykepleiere", "Hjemmetjenesten mangler folk.", status="in_dialogue"
    )
    other = need("Lesevansker", "Leseopplæring i første klasse.")
    usn = Organisation.objects.prefetch_related("memberships__partnership").get(slug="usn")
    titles = [m.related.title for m in matching.needs_for_organisation(usn)]
    assert set(titles) == {fits.title, dialogue.title}
    page = client.get("/organisations/usn/").content.decode()
    assert 'id="matching-needs"' in page
    assert fits.get_absolute_url() in page
    assert closed.get_absolute_url() not in page and other.get_absolute_url() not in page
    ntnu = Organisation.objects.prefetch_related("memberships__partnership").get(slug="ntnu")
    assert [m.related.title for m in matching.needs_for_organisation(ntnu)] == [other.title]


def test_municipality_pages_do_not_list_needs(client, work):
    need("Sykepleiere slutter", "Rekruttering av sykepleiere i hjemmetjenesten.")
    page = client.get(org("drammen").get_absolute_url()).content.decode()
    assert 'id="matching-needs"' not in page


def test_researcher_page_lists_open_needs_that_fit(client, work):
    fits = need("Sykepleiere slutter", "Rekruttering av sykepleiere i hjemmetjenesten.")
    need("Lesevansker", "Leseopplæring i første klasse.")
    nurse = work["nurse"]
    assert [m.related.title for m in matching.needs_for_person(nurse)] == [fits.title]
    page = client.get(nurse.get_absolute_url()).content.decode()
    assert fits.get_absolute_url() in page
    # Someone without an academic post gets no such section.
    municipal = client.get(work["municipal"].get_absolute_url()).content.decode()
    assert 'id="matching-needs"' not in municipal


def test_need_page_explains_its_matches(english, work):
    posted = need("Sykepleiere slutter", "Rekruttering av sykepleiere i hjemmetjenesten.")
    page = english.get(posted.get_absolute_url()).content.decode()
    assert 'id="need-matches"' in page
    assert work["nurse"].get_absolute_url() in page
    assert work["hidden"].get_absolute_url() not in page
    assert "Worked on" in page and "Project leader" in page
