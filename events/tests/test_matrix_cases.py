"""The matrix case for events works: its data adds and edits as the protocol says."""

from __future__ import annotations

import pytest

from events.models import Event

from .matrix import CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_case_adds_edits_and_trashes_for_a_coordinator(
    client, case, coordinator, partnership, drammen
):
    client.force_login(coordinator)
    assert client.post(case.add_url, case.add_data(partnership, drammen)).status_code == 302
    record = case.make(partnership, drammen)
    urls = case.urls(record)
    assert client.post(urls["edit"], case.edit_data(record)).status_code == 302
    assert client.get(urls["history"]).status_code == 200
    assert client.post(urls["trash"]).status_code == 302
    assert Event.all_objects.get(pk=record.pk).in_trash


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_case_adds_and_edits_for_an_organisation_editor(client, case, editor, drammen):
    client.force_login(editor)
    assert client.post(case.add_url, case.add_data(None, drammen)).status_code == 302
    record = case.make(None, drammen)
    assert client.post(case.urls(record)["edit"], case.edit_data(record)).status_code == 302
