"""The need pages pass the same WCAG basics as every public page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from access.verification import mark_verified
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


def test_the_offer_of_help_form_has_labels_and_headings(client, make_need, contact):
    user = get_user_model().objects.create_user("forsker", "forsker@uni.example.no")
    mark_verified(user)
    need = make_need(contact=contact)
    client.force_login(user)
    check(client, need.get_absolute_url())
    # And with the form's errors shown.
    response = client.post(f"{need.get_absolute_url()}offer/", {"message": ""})
    assert response.status_code == 200 and response.context["offer_form"].errors
