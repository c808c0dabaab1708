"""The activity form refuses bad input with a message beside the field, never a 500."""

from __future__ import annotations

import pytest
from django.utils import translation

from activities.forms import ActivityForm
from activities.models import Activity

from .helpers import new_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_for(coordinator, partnership):
    def build(**values) -> ActivityForm:
        with translation.override("en"):
            form = ActivityForm(
                data=new_data(partnerships=[partnership], **values), user=coordinator
            )
            form.is_valid()
            # render the messages while English is active
            form.messages = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return form

    return build


def test_valid_data_passes(form_for):
    form = form_for()
    assert form.messages == {}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"start_date": "2025-05-01", "end_date": "2025-04-30"}, "end_date", "cannot end before"),
        ({"funding_amount": "-1"}, "funding_amount", "cannot be negative"),
        ({"funding_amount": "mange penger"}, "funding_amount", "Enter a number"),
        ({"funding_amount": "1.5"}, "funding_amount", "decimal places"),
        ({"funding_amount": "1e400"}, "funding_amount", "digits in total"),
        ({"funding_amount": "NaN"}, "funding_amount", "Enter a number"),
        ({"cristin_project_id": "abc123"}, "cristin_project_id", "digits only"),
        ({"cristin_project_id": "1" * 13}, "cristin_project_id", "at most 12"),
        ({"nfr_project_number": "NFR-321045"}, "nfr_project_number", "digits only"),
        ({"start_date": "14. mars"}, "start_date", "valid date"),
        ({"start_date": "9999-01-01"}, "start_date", "between 1950 and 2100"),
        ({"activity_type": "galaxy"}, "activity_type", "valid choice"),
        ({"status": ""}, "status", "required"),
        ({"title": ""}, "title", "required"),
        ({"activity_type": "student_thesis"}, "thesis_level", "bachelor or master"),
        ({"thesis_level": "master"}, "thesis_level", "Only a student thesis"),
        ({"professional_owner_level": "faculty"}, "professional_owner", "organisation"),
        ({"strategic_owner": "999999999"}, "strategic_owner", "valid choice"),
        ({"themes": ["x"]}, "themes", "valid value"),
        ({"title": "x" * 100_000}, "title", "at most 250"),
        ({"summary": "x" * 100_000}, "summary", "at most 10000"),
        ({"title": "null\x00byte"}, "title", "Null characters"),
    ],
)
def test_bad_input_is_explained_beside_the_field(form_for, values, field, message):
    form = form_for(**values)
    assert field in form.messages, form.messages
    assert any(message in m for m in form.messages[field]), form.messages[field]


def test_a_pasted_cristin_address_becomes_the_id(form_for):
    form = form_for(cristin_project_id="https://app.cristin.no/projects/show.jsf?id=2571234")
    assert form.messages == {} and form.cleaned_data["cristin_project_id"] == "2571234"


def test_amounts_may_be_written_with_spaces(form_for):
    form = form_for(funding_amount="2\u00a0500 000")
    assert form.messages == {} and form.cleaned_data["funding_amount"] == 2_500_000


def test_a_student_thesis_has_a_level(form_for):
    form = form_for(activity_type="student_thesis", thesis_level="master")
    assert form.messages == {}


def test_a_duplicate_role_row_is_refused(form_for, drammen):
    form = form_for(organisations=[(drammen, "owner"), (drammen, "owner")])
    assert not form.is_valid()
    assert form.formsets[0].non_form_errors()


def test_tampered_formset_counts_are_refused_without_failing(form_for, coordinator, partnership):
    data = new_data(partnerships=[partnership])
    data["organisations-TOTAL_FORMS"] = "many"
    form = ActivityForm(data=data, user=coordinator)
    assert not form.is_valid() and form.formsets[0].non_form_errors()
    data["organisations-TOTAL_FORMS"] = "100000"
    form = ActivityForm(data=data, user=coordinator)
    assert not form.is_valid()
    assert len(form.formsets[0].forms) <= 30


def test_script_tags_are_stored_as_text_and_escaped_on_every_page(client, coordinator, partnership):
    client.force_login(coordinator)
    script = '<script>alert("x")</script>'
    data = new_data(partnerships=[partnership], title=script, summary=script, funding_source=script)
    assert client.post("/activities/add/", data).status_code == 302
    activity = Activity.objects.get()
    assert activity.title == script
    for url in (
        activity.get_absolute_url(),
        "/activities/",
        "/partnerships/usn-drammen/portfolio/",
        f"/activities/{activity.public_id}/history/",
        f"/activities/{activity.public_id}/edit/",
    ):
        html = client.get(url).content.decode()
        assert script not in html, url
        assert "&lt;script&gt;" in html, url


def test_very_long_text_is_refused_on_the_page_not_with_an_error(client, coordinator, partnership):
    client.force_login(coordinator)
    response = client.post(
        "/activities/add/", new_data(partnerships=[partnership], summary="lang " * 20_000)
    )
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_wrong_types_in_every_field_never_fail(client, coordinator, partnership):
    client.force_login(coordinator)
    data = {
        name: ["[]", "{}"] if name in ("partnerships", "themes") else "{'$gt': ''}"
        for name in new_data()
    }
    response = client.post("/activities/add/", data)
    assert response.status_code == 200
    assert not Activity.objects.exists()
