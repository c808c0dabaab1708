"""The activity model: constraints in the database, links, periods and trash."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from activities.models import Activity, ActivityOrganisation, ActivityPerson

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "values",
    [
        {"start_date": datetime.date(2025, 5, 1), "end_date": datetime.date(2025, 4, 30)},
        {"funding_amount": -1},
        {"cristin_project_id": "12a"},
        {"nfr_project_number": "NFR 1"},
        {"activity_type": "phd", "thesis_level": "master"},
        {"professional_owner": None, "professional_owner_level": "faculty"},
        {"strategic_owner_level": "political"},
    ],
)
def test_the_database_refuses_what_the_form_refuses(make_activity, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(**values)


def test_an_organisation_has_each_role_once_per_activity(make_activity, drammen, person):
    activity = make_activity(roles=[(drammen, "owner")], people=[(person, "student")])
    ActivityOrganisation.objects.create(activity=activity, organisation=drammen, role="funder")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityOrganisation.objects.create(activity=activity, organisation=drammen, role="owner")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPerson.objects.create(activity=activity, person=person, role="student")


def test_external_ids_link_to_cristin_and_prosjektbanken(make_activity):
    activity = make_activity(cristin_project_id="2571234", nfr_project_number="321045")
    assert activity.cristin_url == "https://app.cristin.no/projects/show.jsf?id=2571234"
    assert activity.nfr_url == "https://prosjektbanken.forskningsradet.no/project/FORISS/321045"
    assert make_activity().cristin_url == "" and make_activity().nfr_url == ""


def test_names_and_addresses(make_activity, drammen, person):
    activity = make_activity(
        title="Masteroppgave om velferdsteknologi",
        activity_type="student_thesis",
        thesis_level="master",
        roles=[(drammen, "owner")],
        people=[(person, "student")],
    )
    assert str(activity) == "Masteroppgave om velferdsteknologi"
    assert activity.get_absolute_url() == f"/activities/{activity.public_id}/"
    assert "Drammen" in str(activity.organisation_roles.get())
    assert activity.person_roles.get().get_absolute_url() == activity.get_absolute_url()
    with translation.override("en"):
        assert activity.type_label == "Student thesis (master)"


def test_dual_anchoring_needs_both_owners(make_activity, drammen, usn):
    assert not make_activity(professional_owner=usn).dually_anchored
    assert make_activity(professional_owner=usn, strategic_owner=drammen).dually_anchored


@pytest.mark.parametrize(
    ("start", "end", "year", "running"),
    [
        ("2020-01-01", "2022-06-30", 2021, True),
        ("2020-01-01", "2022-06-30", 2022, True),
        ("2020-01-01", "2022-06-30", 2023, False),
        ("2020-01-01", "2022-06-30", 2019, False),
        ("2020-12-31", None, 2030, True),
        (None, "2020-01-01", 2010, True),
        (None, None, 2020, False),
    ],
)
def test_an_activity_runs_in_the_years_its_period_overlaps(
    make_activity, start, end, year, running
):
    activity = make_activity(start_date=start, end_date=end)
    assert (activity in Activity.objects.in_year(year)) is running


def test_the_trash_hides_an_activity_and_restoring_brings_it_back(make_activity, coordinator):
    activity = make_activity()
    activity.move_to_trash(coordinator)
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert Activity.all_objects.trashed().filter(pk=activity.pk).exists()
    activity.restore(coordinator)
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert [h.history_change_reason for h in activity.history.order_by("history_id")][-2:] == [
        "moved to trash",
        "restored from trash",
    ]


def test_involving_finds_owners_and_organisations_in_roles(make_activity, drammen, skien, usn):
    owned = make_activity(professional_owner=drammen)
    strategic = make_activity(professional_owner=None, strategic_owner=drammen)
    funded = make_activity(professional_owner=usn, roles=[(drammen, "funder")])
    make_activity(professional_owner=skien)
    assert set(Activity.objects.involving(drammen)) == {owned, strategic, funded}
