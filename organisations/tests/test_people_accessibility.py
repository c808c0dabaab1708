"""The people pages and the person form pass the site's WCAG checks (core/tests)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment, Role
from core.tests import test_accessibility as a11y
from organisations.models import Organisation

from .matrix import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    person = make(None, Organisation.objects.get(municipality_number="3407"))
    base = f"/people/{person.public_id}/"
    return ["/people/", "/people/?q=kari", base, base + "history/", base + "edit/", "/people/add/"]


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_user("national-admin")
    Assignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    client.force_login(user)
    return client


def test_people_pages_have_landmarks_headings_and_labels(admin_client, urls):
    for url in urls:
        a11y.test_structure_landmarks_and_headings(admin_client, url)
        a11y.test_every_control_has_a_label_and_every_graphic_a_text(admin_client, url)


def test_the_my_roles_page_has_landmarks_headings_and_labels(admin_client):
    a11y.test_structure_landmarks_and_headings(admin_client, "/accounts/me/")
    a11y.test_every_control_has_a_label_and_every_graphic_a_text(admin_client, "/accounts/me/")
