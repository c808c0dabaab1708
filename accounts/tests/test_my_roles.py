"""The "My roles" page lists a user's role assignments and where they can work."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from organisations.models import Organisation
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

URL = "/accounts/me/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def user_with(*assignments: dict):
    user = get_user_model().objects.create_user("kari")
    for values in assignments:
        Assignment.objects.create(user=user, **values)
    return user


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reader_is_told_they_have_no_editing_role(english):
    english.force_login(user_with())
    response = english.get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == [] and response.context["add_links"] == []
    assert "you are a reader" in response.content.decode()


def test_a_coordinator_sees_the_partnership_and_links_to_edit_it(english):
    gjovik = Partnership.objects.get(slug="universitetskommune-gjovik")
    english.force_login(user_with({"role": Role.COORDINATOR, "partnership": gjovik}))
    html = english.get(URL).content.decode()
    assert "Partnership coordinator" in html and gjovik.name in html
    assert "/partnerships/universitetskommune-gjovik/edit/" in html
    assert "/people/add/" in html and "/trash/" in html


def test_an_organisation_editor_sees_the_organisation(english):
    bergen = Organisation.objects.get(municipality_number="4601")
    english.force_login(user_with({"role": Role.ORGANISATION_EDITOR, "organisation": bergen}))
    response = english.get(URL)
    html = response.content.decode()
    assert "Organisation editor" in html and 'href="/organisations/4601/"' in html
    assert "/partnerships/" not in "".join(
        link.url for _a, links in response.context["rows"] for link in links
    )


def test_a_national_administrator_is_told_they_may_edit_everything(english):
    english.force_login(user_with({"role": Role.NATIONAL_ADMIN}))
    response = english.get(URL)
    assert response.context["national_admin"] is True
    assert "may edit every record" in response.content.decode()
    assert "/people/add/" in {link.url for link in response.context["add_links"]}


def test_several_roles_are_listed_together(english):
    english.force_login(
        user_with(
            {"role": Role.COORDINATOR, "partnership": Partnership.objects.get(slug="usn-skien")},
            {"role": Role.COORDINATOR, "partnership": Partnership.objects.get(slug="usn-drammen")},
            {
                "role": Role.ORGANISATION_EDITOR,
                "organisation": Organisation.objects.get(municipality_number="3407"),
            },
        )
    )
    assert len(english.get(URL).context["rows"]) == 3


def test_everyone_signed_in_finds_their_api_tokens_and_editors_their_imports(english):
    english.force_login(user_with())
    html = english.get(URL).content.decode()
    assert 'href="/api/tokens/"' in html and 'href="/open-data/"' in html
    assert 'href="/import/history/"' not in html  # readers import nothing

    gjovik = Partnership.objects.get(slug="universitetskommune-gjovik")
    coordinator = get_user_model().objects.create_user("ola")
    Assignment.objects.create(user=coordinator, role=Role.COORDINATOR, partnership=gjovik)
    english.force_login(coordinator)
    assert 'href="/import/history/"' in english.get(URL).content.decode()
