"""The cast of the access tests, beside conftest.py's: partnership USN–Drammen
(``partnership``) and its coordinator, USN–Skien (``other_partnership``) and its
coordinator, an editor for Drammen, a national administrator and a reader. All
have e-mail addresses; ``verified`` marks some of them as verified."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from access.verification import mark_verified
from accounts.models import Assignment, Role


def make_user(username: str, *, verified: bool = True, password: str | None = None, **assignment):
    user = get_user_model().objects.create_user(username, f"{username}@example.no", password)
    if assignment:
        Assignment.objects.create(user=user, **assignment)
    if verified:
        mark_verified(user)
    return user


@pytest.fixture
def cast(partnership, other_partnership, drammen):
    return {
        "anonymous": None,
        "reader": make_user("reader"),
        "coordinator": make_user("coordinator", role=Role.COORDINATOR, partnership=partnership),
        "other_coordinator": make_user(
            "other-coordinator", role=Role.COORDINATOR, partnership=other_partnership
        ),
        "organisation_editor": make_user(
            "org-editor", role=Role.ORGANISATION_EDITOR, organisation=drammen
        ),
        "national_admin": make_user("national-admin", role=Role.NATIONAL_ADMIN),
    }


def link_in(message, path_start: str) -> str:
    """The path of the first link in a message's text that starts with ``path_start``."""
    body = message.get_body(("plain",)).get_content()
    found = re.search(r"http://testserver(" + re.escape(path_start) + r"\S*)", body)
    assert found, body
    return found.group(1)


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client
