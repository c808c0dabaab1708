"""The sign-in page with provider buttons and the approvals page meet the same
WCAG basics as every other page (core/tests/test_accessibility.py)."""

from __future__ import annotations

import pytest

from accounts.models import Role
from conftest import _user
from core.tests import test_accessibility as a11y

from .test_sign_in import sign_in

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_with_providers(client, sso):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/sso/feide/login/"' in page
    a11y.test_structure_landmarks_and_headings(client, "/accounts/login/")
    a11y.test_every_control_has_a_label_and_every_graphic_a_text(client, "/accounts/login/")


def test_the_approvals_page(client, sso):
    sign_in(client, "idporten", "ola")
    client.force_login(_user("national", role=Role.NATIONAL_ADMIN))
    assert "Ola Nordmann" in client.get("/accounts/sso-approvals/").content.decode()
    a11y.test_structure_landmarks_and_headings(client, "/accounts/sso-approvals/")
    a11y.test_every_control_has_a_label_and_every_graphic_a_text(client, "/accounts/sso-approvals/")
