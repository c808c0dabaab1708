"""`unikom roles grant|revoke|list`: roles without the admin.

The fixed cast (conftest.py): "coordinator" coordinates USN–Drammen, "editor"
edits for Drammen, "reader" has no role; USN–Skien and Skien are someone else's.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone, translation

from accounts.models import Assignment
from config.cli import main
from core import permissions

pytestmark = pytest.mark.django_db


def roles(*args: str) -> tuple[str, str]:
    """Run `unikom roles ARGS` in English; its output and error output."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("roles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    """Run a `unikom roles` that must fail; its message (nothing may be written)."""
    before = list(Assignment.history.values_list("history_id", flat=True))
    with pytest.raises(CommandError) as raised, translation.override("en"):
        call_command("roles", *args, stdout=StringIO(), stderr=StringIO())
    assert list(Assignment.history.values_list("history_id", flat=True)) == before
    return str(raised.value)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `unikom ARGS` as a shell would: the exit status, output and error output."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's database

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with translation.override("en"):
            try:
                main(["unikom", *args])
                code = 0
            except SystemExit as leaving:
                code = leaving.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def held(user) -> set[tuple]:
    """The user's roles as (role, partnership slug, organisation slug)."""
    return {
        (a.role, a.partnership and a.partnership.slug, a.organisation and a.organisation.slug)
        for a in Assignment.objects.filter(user=user)
    }


def fresh_roles(user):
    permissions.forget_roles(user)
    return permissions.roles(user)


@pytest.fixture
def kari():
    return get_user_model().objects.create_user("kari")


# -- grant -----------------------------------------------------------------------------------


def test_grant_coordinator_of_a_partnership(kari, partnership, other_partnership):
    out, err = roles("grant", "kari", "coordinator", "--partnership", "usn-drammen")

    assert out == f"kari now coordinates the partnership “{partnership.name}” (usn-drammen).\n"
    assert err == ""
    assert held(kari) == {("coordinator", "usn-drammen", None)}
    assert fresh_roles(kari).partnerships == {partnership.pk}
    assert not permissions.can_change(kari, other_partnership)
    assert permissions.can_change(kari, partnership)


def test_grant_organisation_editor_by_kommunenummer_or_slug(kari, drammen, skien):
    out, _err = roles(
        "grant", "kari", "organisation_editor", "--organisation", drammen.municipality_number
    )
    assert out == (
        f"kari now edits for the organisation “{drammen.name}” ({drammen.municipality_number}).\n"
    )
    out, _err = roles("grant", "kari", "organisation_editor", "--organisation", "skien")
    assert f"now edits for the organisation “{skien.name}”" in out

    assert held(kari) == {
        ("organisation_editor", None, "drammen"),
        ("organisation_editor", None, "skien"),
    }
    assert fresh_roles(kari).organisations == {drammen.pk, skien.pk}


def test_grant_national_administrator(kari, other_partnership):
    out, _err = roles("grant", "kari", "national_admin")

    assert out == "kari is now a national administrator.\n"
    assert held(kari) == {("national_admin", None, None)}
    assert fresh_roles(kari).national_admin
    assert permissions.can_change(kari, other_partnership)


def test_a_user_can_hold_several_roles(coordinator, other_partnership):
    roles("grant", "coordinator", "coordinator", "--partnership", "usn-skien")
    roles("grant", "coordinator", "organisation_editor", "--organisation", "skien")

    assert held(coordinator) == {
        ("coordinator", "usn-drammen", None),
        ("coordinator", "usn-skien", None),
        ("organisation_editor", None, "skien"),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["coordinator", "--partnership", "usn-drammen"],
            "kari already coordinates the partnership “{partnership}” (usn-drammen); "
            "nothing changed.",
        ),
        (
            ["organisation_editor", "--organisation", "drammen"],
            "kari already edits for the organisation “{organisation}” ({number}); nothing changed.",
        ),
        (["national_admin"], "kari is already a national administrator; nothing changed."),
    ],
)
def test_granting_a_role_again_changes_nothing_and_succeeds(
    kari, partnership, drammen, args, message
):
    roles("grant", "kari", *args)
    before = (held(kari), Assignment.history.count())

    out, err = roles("grant", "kari", *args)

    expected = message.format(
        partnership=partnership.name, organisation=drammen.name, number=drammen.url_key
    )
    assert out == expected + "\n" and err == ""
    assert (held(kari), Assignment.history.count()) == before


def test_granting_to_an_inactive_account_warns_that_it_cannot_sign_in(kari):
    kari.is_active = False
    kari.save()

    out, err = roles("grant", "kari", "national_admin")

    assert out == "kari is now a national administrator.\n"
    assert "The account kari is inactive" in err
    assert held(kari) == {("national_admin", None, None)}


def test_a_partnership_in_the_trash_gets_no_new_coordinator(kari, partnership, reader):
    partnership.move_to_trash(reader)

    message = refused("grant", "kari", "coordinator", "--partnership", "usn-drammen")

    assert message == (
        f"The partnership “{partnership.name}” (usn-drammen) is in the trash; restore it "
        "before giving it a coordinator."
    )
    assert held(kari) == set()


# -- revoke ----------------------------------------------------------------------------------


def test_revoke_coordinator(coordinator, partnership):
    out, err = roles("revoke", "coordinator", "coordinator", "--partnership", "usn-drammen")

    assert out == (
        f"coordinator no longer coordinates the partnership “{partnership.name}” (usn-drammen).\n"
    )
    assert err == ""
    assert held(coordinator) == set()
    assert fresh_roles(coordinator).partnerships == frozenset()
    assert not permissions.can_change(coordinator, partnership)


def test_revoke_organisation_editor_by_kommunenummer(editor, drammen):
    out, _err = roles(
        "revoke", "editor", "organisation_editor", "--organisation", drammen.municipality_number
    )

    assert out == (
        f"editor no longer edits for the organisation “{drammen.name}” "
        f"({drammen.municipality_number}).\n"
    )
    assert held(editor) == set()
    assert not fresh_roles(editor).editor


def test_revoke_national_administrator_keeps_the_other_roles(coordinator):
    roles("grant", "coordinator", "national_admin")

    out, err = roles("revoke", "coordinator", "national_admin")

    assert out == "coordinator is no longer a national administrator.\n" and err == ""
    assert held(coordinator) == {("coordinator", "usn-drammen", None)}
    assert not fresh_roles(coordinator).national_admin


def test_revoking_from_a_superuser_says_they_still_count_as_administrator():
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    roles("grant", "boss", "national_admin")

    out, err = roles("revoke", "boss", "national_admin")

    assert out == "boss is no longer a national administrator.\n"
    assert "boss is a superuser and so still counts as a national administrator." in err
    assert held(boss) == set()


def test_a_superuser_without_the_assignment_is_told_why_nothing_was_revoked():
    get_user_model().objects.create_superuser("boss", "boss@example.org", "x")

    message = refused("revoke", "boss", "national_admin")

    assert message == (
        "boss is a superuser without a national_admin assignment; nothing was revoked. "
        "Superusers count as national administrators until their superuser status is taken "
        "away in the admin."
    )


def test_a_coordinator_of_a_partnership_in_the_trash_can_be_revoked(coordinator, partnership):
    partnership.move_to_trash(coordinator)

    out, _err = roles("revoke", "coordinator", "coordinator", "--partnership", "usn-drammen")

    assert "no longer coordinates the partnership" in out
    assert held(coordinator) == set()


@pytest.mark.parametrize(
    ("username", "args", "message"),
    [
        (
            "coordinator",
            ["coordinator", "--partnership", "usn-skien"],
            "coordinator does not coordinate the partnership “{other}” (usn-skien); nothing "
            "was revoked. See their roles with: unikom roles list coordinator",
        ),
        (
            "editor",
            ["organisation_editor", "--organisation", "skien"],
            "editor does not edit for the organisation “{skien}” ({skien_key}); nothing was "
            "revoked. See their roles with: unikom roles list editor",
        ),
        (
            "editor",
            ["national_admin"],
            "editor is not a national administrator; nothing was revoked. See their roles "
            "with: unikom roles list editor",
        ),
    ],
)
def test_revoking_a_role_not_held_is_an_error_and_changes_nothing(
    coordinator, editor, other_partnership, skien, username, args, message
):
    before = held(coordinator) | held(editor)

    error = refused("revoke", username, *args)

    assert error == message.format(
        other=other_partnership.name, skien=skien.name, skien_key=skien.url_key
    )
    assert held(coordinator) | held(editor) == before


# -- history ---------------------------------------------------------------------------------


def test_grant_and_revoke_are_kept_in_the_history(kari, partnership):
    roles("grant", "kari", "coordinator", "--partnership", "usn-drammen")
    roles("revoke", "kari", "coordinator", "--partnership", "usn-drammen")

    records = Assignment.history.filter(user=kari).order_by("history_id")
    assert [
        (r.history_type, r.role, r.partnership_id, r.history_change_reason) for r in records
    ] == [
        ("+", "coordinator", partnership.pk, "unikom roles grant"),
        ("-", "coordinator", partnership.pk, "unikom roles revoke"),
    ]


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grant", "nobody", "national_admin"], "No user “nobody”."),
        (["revoke", "nobody", "national_admin"], "No user “nobody”."),
        (["list", "nobody"], "No user “nobody”."),
        (
            ["grant", "kari", "coordinator", "--partnership", "no-such"],
            "No partnership has the slug “no-such”.",
        ),
        (
            ["revoke", "kari", "coordinator", "--partnership", "no-such"],
            "No partnership has the slug “no-such”.",
        ),
        (["list", "--partnership", "no-such"], "No partnership has the slug “no-such”."),
        (
            ["grant", "kari", "organisation_editor", "--organisation", "9999"],
            "No organisation has the slug or kommunenummer “9999”.",
        ),
        (
            ["grant", "kari", "organisation_editor", "--organisation", "atlantis"],
            "No organisation has the slug or kommunenummer “atlantis”.",
        ),
        (
            ["list", "--organisation", "atlantis"],
            "No organisation has the slug or kommunenummer “atlantis”.",
        ),
        (["grant", "kari", "coordinator"], "The role coordinator needs --partnership SLUG."),
        (
            ["grant", "kari", "organisation_editor"],
            "The role organisation_editor needs --organisation SLUG_OR_KOMMUNENUMMER.",
        ),
        (
            ["revoke", "kari", "coordinator"],
            "The role coordinator needs --partnership SLUG.",
        ),
        (
            ["grant", "kari", "national_admin", "--partnership", "usn-drammen"],
            "The role national_admin is for the whole registry; leave out --partnership.",
        ),
        (
            ["grant", "kari", "national_admin", "--organisation", "drammen"],
            "The role national_admin is for the whole registry; leave out --organisation.",
        ),
        (
            [
                "grant",
                "kari",
                "coordinator",
                "--partnership",
                "usn-drammen",
                "--organisation",
                "drammen",
            ],
            "The role coordinator is for one partnership; leave out --organisation.",
        ),
        (
            ["grant", "kari", "organisation_editor", "--partnership", "usn-drammen"],
            "The role organisation_editor is for one organisation; leave out --partnership.",
        ),
    ],
)
def test_errors_name_what_is_wrong_and_write_nothing(kari, args, message):
    assert refused(*args) == message
    assert held(kari) == set()


def test_an_unknown_role_is_refused_with_the_roles_there_are(kari):
    message = refused("grant", "kari", "editor")

    assert "argument ROLE: invalid choice: 'editor'" in message
    for role in ("national_admin", "coordinator", "organisation_editor"):
        assert role in message
    assert held(kari) == set()


# -- list ------------------------------------------------------------------------------------


@pytest.fixture
def cast(coordinator, editor, reader, kari, other_partnership):
    """Roles of every kind: kari administers and coordinates USN–Skien."""
    roles("grant", "kari", "national_admin")
    roles("grant", "kari", "coordinator", "--partnership", "usn-skien")


def lines(out: str) -> list[list[str]]:
    """The list's rows, split into columns (two spaces or more apart)."""
    return [re.split(r"\s{2,}", line) for line in out.splitlines()]


def test_list_shows_every_assignment_as_a_table(cast, partnership, other_partnership, drammen):
    out, err = roles("list")

    today = timezone.localdate(Assignment.objects.first().created).isoformat()
    assert lines(out) == [
        ["USER", "ROLE", "FOR", "SINCE", "NAME"],
        ["coordinator", "coordinator", "usn-drammen", today, partnership.name],
        ["editor", "organisation_editor", drammen.municipality_number, today, drammen.name],
        ["kari", "coordinator", "usn-skien", today, other_partnership.name],
        ["kari", "national_admin", "–", today, "the whole registry"],
        ["4 role assignments."],
    ]
    assert err == ""
    # The columns line up under their headings.
    table = out.splitlines()[:5]
    for heading in ("ROLE", "FOR", "SINCE", "NAME"):
        column = table[0].index(heading)
        assert all(row[column - 2 : column] == "  " and row[column] != " " for row in table)


def test_list_of_one_user(cast, other_partnership):
    out, _err = roles("list", "kari")

    assert [row[:3] for row in lines(out)] == [
        ["USER", "ROLE", "FOR"],
        ["kari", "coordinator", "usn-skien"],
        ["kari", "national_admin", "–"],
        ["2 role assignments."],
    ]


def test_list_of_a_partnership_an_organisation_and_a_role(cast, drammen):
    out, _err = roles("list", "--partnership", "usn-drammen")
    assert [row[:2] for row in lines(out)[1:]] == [
        ["coordinator", "coordinator"],
        ["1 role assignment."],
    ]

    out, _err = roles("list", "--organisation", drammen.municipality_number)
    assert [row[:2] for row in lines(out)[1:]] == [
        ["editor", "organisation_editor"],
        ["1 role assignment."],
    ]

    out, _err = roles("list", "--role", "coordinator")
    assert [row[0] for row in lines(out)[1:]] == ["coordinator", "kari", "2 role assignments."]


def test_list_of_a_reader_says_they_have_no_role(cast):
    out, _err = roles("list", "reader")

    assert out == "reader has no role assignments: a reader.\n"


def test_list_of_nothing_says_so(cast):
    out, _err = roles("list", "--organisation", "skien")

    assert out == "No role assignments found.\n"


def test_list_names_superusers_as_administrators(cast):
    get_user_model().objects.create_superuser("boss", "boss@example.org", "x")

    out, _err = roles("list")
    assert out.splitlines()[-1] == "Superusers, who count as national administrators: boss."

    out, _err = roles("list", "boss")
    assert out == (
        "boss has no role assignments.\nSuperusers, who count as national administrators: boss.\n"
    )

    out, _err = roles("list", "--partnership", "usn-skien")
    assert "Superusers" not in out


def test_list_marks_a_partnership_in_the_trash(coordinator, partnership):
    partnership.move_to_trash(coordinator)

    out, _err = roles("list", "coordinator")

    assert lines(out)[1][2:] == [
        "usn-drammen",
        lines(out)[1][3],
        f"{partnership.name} (in the trash)",
    ]


def test_what_list_shows_can_be_revoked_as_shown(cast):
    """The role and key in the list are what grant and revoke take."""
    for user, role, key, _since, _name in lines(roles("list")[0])[1:-1]:
        option = {"coordinator": "--partnership", "organisation_editor": "--organisation"}
        roles("revoke", user, role, *([option[role], key] if role in option else []))

    assert Assignment.objects.count() == 0
    assert roles("list")[0] == "No role assignments found.\n"


# -- as the shell sees it ----------------------------------------------------------------------


def test_exit_status_on_the_command_line(cli, kari, partnership):
    code, out, err = cli("roles", "grant", "kari", "coordinator", "--partnership", "usn-drammen")
    assert (code, err) == (0, "") and "kari now coordinates" in out

    code, out, err = cli("roles", "grant", "kari", "coordinator", "--partnership", "usn-drammen")
    assert code == 0 and "nothing changed" in out

    code, out, err = cli("roles", "revoke", "kari", "national_admin")
    assert code == 1 and out == ""
    assert err.startswith("CommandError: kari is not a national administrator")

    code, out, err = cli("roles", "grant", "kari", "coordinator")
    assert code == 1
    assert err == "CommandError: The role coordinator needs --partnership SLUG.\n"

    code, out, err = cli("roles", "grant", "kari", "editor")
    assert code == 2 and "invalid choice: 'editor'" in err

    assert held(kari) == {("coordinator", "usn-drammen", None)}
