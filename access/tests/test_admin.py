"""The admin lists invitations, requests and verified addresses (read-only for the first two)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from access import services

pytestmark = pytest.mark.django_db


def test_the_admin_lists_invitations_and_requests(client, inbox, cast, partnership):
    invitation = services.invite(
        cast["coordinator"],
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
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.no"))
    for url in ("invitation", "accessrequest", "verifiedemail"):
        assert client.get(f"/admin/access/{url}/").status_code == 200, url
    page = client.get(f"/admin/access/invitation/{invitation.pk}/change/").content.decode()
    assert "kari@example.no" in page and invitation.token_digest in page
    assert client.get("/admin/access/invitation/add/").status_code == 403
