"""The privacy pages pass the same WCAG checks as every public page."""

from __future__ import annotations

import pytest

from core.tests.test_accessibility import (
    test_every_control_has_a_label_and_every_graphic_a_text as check_labels,
)
from core.tests.test_accessibility import (
    test_structure_landmarks_and_headings as check_structure,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/privacy/", "/accounts/me/data/"])
def test_the_pages_have_landmarks_headings_and_labels(client, kari, kari_person, url):
    client.force_login(kari)
    check_structure(client, url)
    check_labels(client, url)
