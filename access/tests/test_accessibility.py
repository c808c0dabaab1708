"""The access app's pages pass the same WCAG basics as every public page
(core/tests/test_accessibility.py): landmarks, headings, labels."""

from __future__ import annotations

import pytest

from access import services
from core.tests.test_accessibility import (
    test_every_control_has_a_label_and_every_graphic_a_text as check_labels,
)
from core.tests.test_accessibility import (
    test_structure_landmarks_and_headings as check_structure,
)

from .conftest import link_in

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = [
    "/accounts/me/",
    "/access/invitations/",
    "/access/invitations/new/",
    "/access/requests/",
    "/access/requests/new/",
    "/access/email/",
]


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages(client, inbox, cast, partnership, url):
    services.invite(
        cast["national_admin"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    services.request_access(
        cast["reader"],
        "coordinator",
        partnership=partnership,
        reason="x",
        base_url="http://testserver",
    )
    client.force_login(cast["coordinator"])
    check_structure(client, url)
    check_labels(client, url)


def test_the_invitation_page_of_a_visitor(client, inbox, cast, partnership):
    services.invite(
        cast["coordinator"],
        "kari@example.no",
        "coordinator",
        partnership=partnership,
        base_url="http://testserver",
    )
    path = link_in(inbox.messages[0], "/access/invitation/")
    check_structure(client, path)
    check_labels(client, path)
