"""The rules of core.permissions for giving roles, called directly."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from access.models import AccessRequest, Invitation
from core import permissions

pytestmark = pytest.mark.django_db


def test_who_may_give_which_role(cast, partnership, other_partnership, drammen, skien):
    can = permissions.can_grant
    expected = {
        "reader": (False, False, False, False),
        "coordinator": (True, False, False, False),
        "other_coordinator": (False, True, False, False),
        "organisation_editor": (False, False, True, False),
        "national_admin": (True, True, True, True),
    }
    for role, answers in expected.items():
        user = cast[role]
        assert (
            can(user, "coordinator", partnership=partnership),
            can(user, "coordinator", partnership=other_partnership),
            can(user, "organisation_editor", organisation=drammen),
            can(user, "organisation_editor", organisation=skien),
        ) == answers, role
        # Nobody gives the national administrator's role, nor a role without its scope.
        assert not can(user, "national_admin")
        assert not can(user, "coordinator", organisation=drammen)
    assert not can(AnonymousUser(), "coordinator", partnership=partnership)


def test_grantable_rows(cast, partnership, drammen):
    rows = [
        Invitation(role="coordinator", partnership=partnership),
        Invitation(role="organisation_editor", organisation=drammen),
    ]
    for i, row in enumerate(rows):
        row.email, row.token_digest = "x@example.no", str(i) * 64
        row.expires_at = "2100-01-01T00:00Z"
        row.save()
    seen = {
        role: sorted(
            permissions.grantable(cast[role], Invitation.objects.all()).values_list(
                "role", flat=True
            )
        )
        for role in (
            "reader",
            "coordinator",
            "other_coordinator",
            "organisation_editor",
            "national_admin",
        )
    }
    assert seen == {
        "reader": [],
        "coordinator": ["coordinator"],
        "other_coordinator": [],
        "organisation_editor": ["organisation_editor"],
        "national_admin": ["coordinator", "organisation_editor"],
    }
    assert not permissions.grantable(AnonymousUser(), AccessRequest.objects.all()).exists()
