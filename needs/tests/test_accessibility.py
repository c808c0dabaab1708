"""The need pages pass the same WCAG basics as every public page."""

from __future__ import annotations

import pytest

from events.tests.test_accessibility import check

pytestmark = pytest.mark.django_db


def test_public_pages_have_landmarks_headings_and_labels(client, make_need, contact):
    need = make_need(contact=contact)
    for url in (
        "/research-needs/",
        "/research-needs/?status=any&suited_for=phd",
        need.get_absolute_url(),
        f"{need.get_absolute_url()}history/",
    ):
        check(client, url)


def test_the_forms_have_a_label_for_every_field(client, make_need, coordinator):
    need = make_need()
    client.force_login(coordinator)
    for url in (
        "/research-needs/add/",
        f"{need.get_absolute_url()}edit/",
        f"{need.get_absolute_url()}trash/",
    ):
        check(client, url)
