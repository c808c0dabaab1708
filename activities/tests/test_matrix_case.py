"""The activity's permission-matrix case works for every role (own and other scope)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from activities.models import Activity

from .matrix import CASES

pytestmark = pytest.mark.django_db

CASE = CASES[0]


@pytest.fixture
def admin():
    user = get_user_model().objects.create_user("admin")
    Assignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


def test_a_coordinator_adds_and_edits_in_own_partnership_only(
    client, coordinator, partnership, other_partnership, drammen, skien
):
    client.force_login(coordinator)
    response = client.post(CASE.add_url, CASE.add_data(partnership, drammen))
    assert response.status_code == 302
    own = CASE.make(partnership, drammen)
    other = CASE.make(other_partnership, skien)
    assert client.post(CASE.urls(own)["edit"], CASE.edit_data(own)).status_code == 302
    assert client.post(CASE.urls(other)["edit"], CASE.edit_data(other)).status_code == 404
    assert client.post(CASE.urls(other)["trash"]).status_code == 404
    assert client.post(CASE.urls(own)["trash"]).status_code == 302
    assert client.get(CASE.urls(other)["history"]).status_code == 200


def test_an_organisation_editor_adds_and_edits_for_own_organisation_only(
    client, editor, partnership, other_partnership, drammen, skien
):
    client.force_login(editor)
    assert client.post(CASE.add_url, CASE.add_data(None, drammen)).status_code == 302
    assert client.post(CASE.add_url, CASE.add_data(None, skien)).status_code == 200
    own = CASE.make(partnership, drammen)
    other = CASE.make(other_partnership, skien)
    assert client.post(CASE.urls(own)["edit"], CASE.edit_data(own)).status_code == 302
    assert client.post(CASE.urls(other)["edit"], CASE.edit_data(other)).status_code == 404
    assert Activity.objects.get(pk=own.pk).title == "Endret matriseprosjekt"


def test_a_national_administrator_changes_everything(client, admin, other_partnership, skien):
    client.force_login(admin)
    assert client.post(CASE.add_url, CASE.add_data(other_partnership, skien)).status_code == 302
    record = CASE.make(other_partnership, skien)
    assert client.post(CASE.urls(record)["edit"], CASE.edit_data(record)).status_code == 302
    assert client.post(CASE.urls(record)["trash"]).status_code == 302


def test_a_reader_changes_nothing(client, reader, partnership, drammen):
    client.force_login(reader)
    assert client.post(CASE.add_url, CASE.add_data(partnership, drammen)).status_code == 403
    record = CASE.make(partnership, drammen)
    assert client.post(CASE.urls(record)["edit"], CASE.edit_data(record)).status_code == 404
    assert client.post(CASE.urls(record)["trash"]).status_code == 404
