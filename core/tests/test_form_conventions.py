"""Forms that help (docs/architecture.md, "Forms"): what a user sees in the edit forms.

Selects start with "Choose …"; dates are one ``<input type="date">``; a coordinator
of one partnership (an editor of one organisation) finds it chosen in a new record;
a single checkbox has its label beside it; errors are summarised at the top, each
a link to its field, and each field points at its error; the lists offer "Add …"
to those who may add.
"""

from __future__ import annotations

import re

import pytest
from django import forms

from accounts.models import Assignment
from activities.models import Activity
from core.widgets import CHOOSE, DateInput, prompt_choices
from events.models import Event
from needs.models import Need
from tests.support.forms import record_form

pytestmark = pytest.mark.django_db

ADD_PAGES = ["/activities/add/", "/research-needs/add/", "/events/add/"]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def option_tag(html: str, name: str, value: int) -> str:
    """The ``<option>`` of ``value`` in the select ``name``, or the checkbox of it."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        found = re.search(rf'<option value="{value}"[^>]*>', select.group(1))
    else:
        found = re.search(rf'<input type="checkbox" name="{name}" value="{value}"[^>]*>', html)
    assert found, (name, value)
    return found.group(0)


# -- 1. "Choose …" ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ADD_PAGES)
def test_the_selects_of_an_edit_form_start_with_choose(english, coordinator, url):
    english.force_login(coordinator)
    html = page(english, url)
    assert re.search(r'<option value=""( selected)?>Choose …</option>', html)
    assert "---------" not in html


def test_the_filters_still_say_all(english):
    html = page(english, "/research-needs/?status=")
    assert ">All</option>" in html
    assert "Choose …" not in html


def test_choose_replaces_the_dashes_of_plain_and_model_choices():
    class Form(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
        other = forms.ChoiceField(choices=[("", "Any"), ("a", "A")])
        many = forms.MultipleChoiceField(choices=[("a", "A")])
        who = forms.ModelChoiceField(queryset=Need.objects.none())

    form = Form()
    prompt_choices(form)
    assert list(form.fields["kind"].choices)[0] == ("", CHOOSE)
    assert list(form.fields["other"].choices)[0] == ("", "Any")
    assert form.fields["who"].empty_label == CHOOSE


# -- 2. dates ------------------------------------------------------------------------------


def test_the_date_widget_is_a_date_input_in_iso():
    import datetime

    html = DateInput().render("d", datetime.date(2025, 8, 15))
    assert 'type="date"' in html and 'value="2025-08-15"' in html


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/activities/add/", ["start_date", "end_date"]),
        ("/research-needs/add/", ["deadline"]),
        ("/people/add/", ["affiliations-0-valid_from", "affiliations-0-valid_to"]),
    ],
)
def test_every_date_field_is_a_date_input(english, coordinator, url, names):
    english.force_login(coordinator)
    html = page(english, url)
    for name in names:
        assert re.search(rf'<input type="date" name="{name}"', html), name
    assert "Like 2025" not in html and "e.g. 2025-03-14" not in html


def test_a_typed_norwegian_date_is_read_as_well(client, coordinator, partnership):
    from activities.tests.helpers import new_data

    client.force_login(coordinator)
    data = new_data(partnerships=[partnership], start_date="15.08.2024")
    response = client.post("/activities/add/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert str(Activity.objects.get(title=data["title"]).start_date) == "2024-08-15"


# -- 3. the user's only partnership or organisation ---------------------------------------


def test_a_coordinator_of_one_partnership_finds_it_chosen(client, coordinator, partnership):
    client.force_login(coordinator)
    assert "checked" in option_tag(page(client, ADD_PAGES[0]), "partnerships", partnership.pk)
    assert "selected" in option_tag(page(client, ADD_PAGES[1]), "partnership", partnership.pk)
    assert "selected" in option_tag(page(client, ADD_PAGES[2]), "partnership", partnership.pk)


def test_the_activity_form_starts_with_the_only_partnership_as_a_list(
    client, coordinator, partnership
):
    client.force_login(coordinator)
    form = client.get(ADD_PAGES[0]).context["form"]
    assert form.initial["partnerships"] == [partnership.pk]  # it chooses several


def test_an_organisation_editor_of_one_organisation_finds_it_chosen(client, editor, drammen):
    client.force_login(editor)
    assert "selected" in option_tag(page(client, ADD_PAGES[0]), "professional_owner", drammen.pk)
    assert "selected" in option_tag(page(client, ADD_PAGES[1]), "organisation", drammen.pk)
    assert "selected" in option_tag(page(client, ADD_PAGES[2]), "organiser", drammen.pk)


def test_a_coordinator_of_two_partnerships_finds_none_chosen(
    client, coordinator, partnership, other_partnership
):
    Assignment.objects.create(user=coordinator, role="coordinator", partnership=other_partnership)
    client.force_login(coordinator)
    for pk in (partnership.pk, other_partnership.pk):
        assert "checked" not in option_tag(page(client, ADD_PAGES[0]), "partnerships", pk)
        assert "selected" not in option_tag(page(client, ADD_PAGES[1]), "partnership", pk)
        assert "selected" not in option_tag(page(client, ADD_PAGES[2]), "partnership", pk)


def test_saving_the_form_as_shown_puts_the_activity_in_the_portfolio(
    client, coordinator, partnership
):
    client.force_login(coordinator)
    form, _options = record_form(page(client, "/activities/add/"))
    form.set("title", "Ny aktivitet fra skjemaet")
    form.set("activity_type", "research_project")
    form.set("status", "ongoing")
    response = client.post("/activities/add/", form.data())
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="Ny aktivitet fra skjemaet")
    assert list(activity.partnerships.all()) == [partnership]


def test_saving_a_need_and_an_event_as_shown_ties_them_to_the_partnership(
    client, coordinator, partnership, drammen
):
    client.force_login(coordinator)
    form, _options = record_form(page(client, "/research-needs/add/"))
    form.set("title", "Et behov fra skjemaet")
    form.set("description", "Hva virker?")
    form.set("suited_for", ["knowledge_summary"])
    form.set("status", "open")
    form.set("organisation", str(drammen.pk))
    response = client.post("/research-needs/add/", form.data())
    assert response.status_code == 302, response.context["form"].errors
    assert Need.objects.get(title="Et behov fra skjemaet").partnership == partnership

    form, _options = record_form(page(client, "/events/add/"))
    form.set("title", "Et møte fra skjemaet")
    form.set("kind", "network_meeting")
    form.set("starts_at", "2030-03-14T09:00")
    form.set("ends_at", "2030-03-14T15:00")
    form.set("location", "Drammen")
    form.set("organiser", str(drammen.pk))
    response = client.post("/events/add/", form.data())
    assert response.status_code == 302, response.context["form"].errors
    assert Event.objects.get(title="Et møte fra skjemaet").partnership == partnership


# -- 4. labels beside their controls ------------------------------------------------------


def test_a_single_checkbox_has_its_label_beside_it(english, coordinator):
    english.force_login(coordinator)
    html = page(english, "/research-needs/add/")
    assert re.search(
        r'<div class="check"><input type="checkbox" name="is_public"[^>]*> '
        r'<label for="id_is_public">[^<]+</label></div>',
        html,
    )
    # several boxes: a fieldset with a legend, each label around its box
    assert re.search(r'<fieldset class="choices"[^>]*>\s*<legend>Suited for', html)
    assert re.search(r'<label for="id_suited_for_0"><input type="checkbox"', html)


# -- 5. errors at the top and at each field ----------------------------------------------


def test_errors_are_summarised_as_links_and_each_field_points_at_its_error(english, coordinator):
    english.force_login(coordinator)
    response = english.post(
        "/research-needs/add/", {"title": "", "status": "open", "deadline": "not a date"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary"(.*?)</div>', html, re.S)
    assert summary and 'role="alert"' in summary.group(1) and 'tabindex="-1"' in summary.group(1)
    assert '<a href="#id_title">Title: This field is required.</a>' in summary.group(1)
    assert '<a href="#id_deadline">' in summary.group(1)
    assert '<a href="#id_suited_for">' in summary.group(1)
    title = re.search(r'<input type="text" name="title"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in title and 'aria-describedby="id_title_error"' in title
    assert '<div class="errors" id="id_title_error">' in html
    deadline = re.search(r'<input type="date" name="deadline"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in deadline
    # a field with help: both its help and its error
    suited = re.search(r'<fieldset class="choices"[^>]*>', html).group(0)
    assert 'aria-describedby="id_suited_for_helptext id_suited_for_error"' in suited
    assert html.count('id="id_title_error"') == 1


def test_the_rows_of_a_formset_are_in_the_summary(english, coordinator, partnership):
    from activities.tests.helpers import new_data

    english.force_login(coordinator)
    data = new_data(partnerships=[partnership])
    data["people-0-person"] = "999999999"
    data["people-0-role"] = "project_leader"
    data["people-TOTAL_FORMS"] = "1"
    response = english.post("/activities/add/", data)
    html = response.content.decode()
    assert '<a href="#id_people-0-person">People in roles, ' in html


# -- 6. "Add …" on the lists ---------------------------------------------------------------

LISTS = {
    "/activities/": "/activities/add/",
    "/research-needs/": "/research-needs/add/",
    "/events/": "/events/add/",
    "/people/": "/people/add/",
}


@pytest.mark.parametrize(("url", "add"), LISTS.items())
def test_the_lists_offer_add_to_those_who_may_add(client, coordinator, url, add):
    client.force_login(coordinator)
    assert f'href="{add}"' in page(client, url)


@pytest.mark.parametrize(("url", "add"), LISTS.items())
def test_the_lists_hide_add_from_readers_and_visitors(client, reader, url, add):
    assert f'href="{add}"' not in page(client, url)
    client.force_login(reader)
    assert f'href="{add}"' not in page(client, url)


def test_a_summary_of_errors_that_belong_to_no_field_lists_no_links():
    from django.template.loader import render_to_string

    class Form(forms.Form):
        name = forms.CharField(required=False)

        def clean(self):
            raise forms.ValidationError("Someone else saved this record.")

    form = Form({"name": "x"})
    html = render_to_string("core/_error_summary.html", {"form": form, "formsets": []})
    assert 'role="alert"' in html and "Someone else saved this record." in html
    assert "<a " not in html and "<ul>" not in html
