"""``unikom roles grant|revoke|list``: give, take and show roles without the admin.

A role is an ``accounts.Assignment``: a national administrator (for the whole
registry), a partnership coordinator (for one partnership) or an organisation
editor (for one organisation). The role names on the command line are the
values the model stores, so that what ``list`` shows can be typed back.

Granting a role the user already holds changes nothing and succeeds, so a
script may grant the same roles again. Revoking a role the user does not hold
fails: it nearly always means a mistyped user, role or key, and the role meant
is then still there. Every change is one transaction and is kept in the
assignments' history with the reason "unikom roles grant" or "unikom roles revoke".
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Assignment, Role
from organisations.models import Organisation
from partnerships.models import Partnership

#: The history's change reasons (like core.models' "moved to trash", not translated).
GRANT_REASON = "unikom roles grant"
REVOKE_REASON = "unikom roles revoke"

#: What each role is given for: a partnership, an organisation, or the whole registry.
SCOPE = {
    Role.NATIONAL_ADMIN: None,
    Role.COORDINATOR: "partnership",
    Role.ORGANISATION_EDITOR: "organisation",
}
OPTION = {
    "partnership": "--partnership SLUG",
    "organisation": "--organisation SLUG_OR_KOMMUNENUMMER",
}

#: What the command says, by outcome and role.
MESSAGES = {
    "granted": {
        Role.NATIONAL_ADMIN: gettext_lazy("%(user)s is now a national administrator."),
        Role.COORDINATOR: gettext_lazy(
            "%(user)s now coordinates the partnership “%(name)s” (%(key)s)."
        ),
        Role.ORGANISATION_EDITOR: gettext_lazy(
            "%(user)s now edits for the organisation “%(name)s” (%(key)s)."
        ),
    },
    "already": {
        Role.NATIONAL_ADMIN: gettext_lazy(
            "%(user)s is already a national administrator; nothing changed."
        ),
        Role.COORDINATOR: gettext_lazy(
            "%(user)s already coordinates the partnership “%(name)s” (%(key)s); nothing changed."
        ),
        Role.ORGANISATION_EDITOR: gettext_lazy(
            "%(user)s already edits for the organisation “%(name)s” (%(key)s); nothing changed."
        ),
    },
    "revoked": {
        Role.NATIONAL_ADMIN: gettext_lazy("%(user)s is no longer a national administrator."),
        Role.COORDINATOR: gettext_lazy(
            "%(user)s no longer coordinates the partnership “%(name)s” (%(key)s)."
        ),
        Role.ORGANISATION_EDITOR: gettext_lazy(
            "%(user)s no longer edits for the organisation “%(name)s” (%(key)s)."
        ),
    },
    "not_held": {
        Role.NATIONAL_ADMIN: gettext_lazy(
            "%(user)s is not a national administrator; nothing was revoked. "
            "See their roles with: unikom roles list %(user)s"
        ),
        Role.COORDINATOR: gettext_lazy(
            "%(user)s does not coordinate the partnership “%(name)s” (%(key)s); nothing was "
            "revoked. See their roles with: unikom roles list %(user)s"
        ),
        Role.ORGANISATION_EDITOR: gettext_lazy(
            "%(user)s does not edit for the organisation “%(name)s” (%(key)s); nothing was "
            "revoked. See their roles with: unikom roles list %(user)s"
        ),
    },
}


@dataclass
class Target:
    """A role as the command line names it: role, and its partnership or organisation."""

    role: str
    partnership: Partnership | None = None
    organisation: Organisation | None = None

    @property
    def fields(self) -> dict:
        return {
            "role": self.role,
            "partnership": self.partnership,
            "organisation": self.organisation,
        }

    def say(self, outcome: str, user) -> str:
        scope = self.partnership or self.organisation
        return str(MESSAGES[outcome][self.role]) % {
            "user": user.get_username(),
            "name": scope.name if scope else "",
            "key": _key(scope) if scope else "",
        }


def _key(scope: Partnership | Organisation) -> str:
    """The key the command line takes for a partnership or organisation."""
    if isinstance(scope, Partnership):
        return scope.slug
    return scope.url_key


class Command(BaseCommand):
    @property
    def help(self) -> str:  # in the language active when --help is asked
        return _(
            "Give, take away and list the roles of user accounts (what the admin's role "
            "assignments do): national_admin for the whole registry, coordinator for one "
            "partnership, organisation_editor for one organisation. Granting a role the user "
            "already has changes nothing; revoking one they do not have is an error. Changes "
            "are kept in the assignments' history."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{grant,revoke,list}", title=_("actions")
        )
        grant = actions.add_parser(
            "grant",
            help=_("Give a user a role."),
            description=_(
                "Give USER a role: national_admin (no partnership or organisation), "
                "coordinator (--partnership) or organisation_editor (--organisation). If "
                "USER has the role already, nothing changes."
            ),
        )
        self._add_role_arguments(grant)
        revoke = actions.add_parser(
            "revoke",
            help=_("Take a role away from a user."),
            description=_(
                "Take a role away from USER; name it as when it was granted. It is an "
                "error if USER does not have that role."
            ),
        )
        self._add_role_arguments(revoke)
        show = actions.add_parser(
            "list",
            help=_("List role assignments."),
            description=_(
                "List role assignments: all of them, or those of USER, of a partnership, "
                "of an organisation or of one role. Superusers count as national "
                "administrators and are named below the list."
            ),
        )
        show.add_argument("user", nargs="?", metavar="USER", help=_("Only this user's roles."))
        self._add_scope_options(show, for_list=True)
        show.add_argument(
            "--role",
            metavar="ROLE",
            choices=[r.value for r in Role],
            help=_("Only this role: national_admin, coordinator or organisation_editor."),
        )

    def _add_role_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("user", metavar="USER", help=_("The user's username."))
        parser.add_argument(
            "role",
            metavar="ROLE",
            choices=[r.value for r in Role],
            help=_(
                "national_admin, coordinator (with --partnership) or organisation_editor "
                "(with --organisation)."
            ),
        )
        self._add_scope_options(parser, for_list=False)

    @staticmethod
    def _add_scope_options(parser: argparse.ArgumentParser, *, for_list: bool) -> None:
        parser.add_argument(
            "--partnership",
            metavar="SLUG",
            help=_("Only roles for this partnership.")
            if for_list
            else _("The partnership, by its slug (for coordinator)."),
        )
        parser.add_argument(
            "--organisation",
            metavar="SLUG_OR_KOMMUNENUMMER",
            help=_("Only roles for this organisation (slug or kommunenummer).")
            if for_list
            else _("The organisation, by its slug or kommunenummer (for organisation_editor)."),
        )

    def handle(self, *args: object, **options) -> None:
        if options["action"] == "list":
            self._list(options)
        elif options["action"] == "grant":
            self._grant(options)
        else:
            self._revoke(options)

    # -- looking up what the command line names ------------------------------------------

    def _user(self, username: str):
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(_("No user “%(name)s”.") % {"name": username})
        return user

    def _partnership(self, slug: str, *, live: bool) -> Partnership:
        found = Partnership.all_objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(_("No partnership has the slug “%s”.") % slug)
        if live and found.in_trash:
            raise CommandError(
                _(
                    "The partnership “%(name)s” (%(key)s) is in the trash; restore it before "
                    "giving it a coordinator."
                )
                % {"name": found.name, "key": found.slug}
            )
        return found

    def _organisation(self, key: str) -> Organisation:
        try:
            return Organisation.objects.get_by_key(key)
        except Organisation.DoesNotExist:
            raise CommandError(
                _("No organisation has the slug or kommunenummer “%s”.") % key
            ) from None

    def _target(self, options, *, live: bool) -> Target:
        """The role the options name, after checking it fits its partnership or organisation."""
        role = Role(options["role"])
        needed = SCOPE[role]
        for given in ("partnership", "organisation"):
            if options[given] is not None and given != needed:
                if needed is None:
                    message = _(
                        "The role %(role)s is for the whole registry; leave out --%(option)s."
                    )
                elif needed == "partnership":
                    message = _("The role %(role)s is for one partnership; leave out --%(option)s.")
                else:
                    message = _(
                        "The role %(role)s is for one organisation; leave out --%(option)s."
                    )
                raise CommandError(message % {"role": role.value, "option": given})
        if needed is not None and options[needed] is None:
            raise CommandError(
                _("The role %(role)s needs %(option)s.")
                % {"role": role.value, "option": OPTION[needed]}
            )
        target = Target(role.value)
        if needed == "partnership":
            target.partnership = self._partnership(options["partnership"], live=live)
        elif needed == "organisation":
            target.organisation = self._organisation(options["organisation"])
        return target

    # -- the actions -----------------------------------------------------------------------

    def _grant(self, options) -> None:
        user = self._user(options["user"])
        target = self._target(options, live=True)
        try:
            with transaction.atomic():
                if user.assignments.filter(**target.fields).exists():
                    created = False
                else:
                    assignment = Assignment(user=user, **target.fields)
                    assignment._change_reason = GRANT_REASON
                    assignment.save()
                    created = True
        except IntegrityError:  # granted by someone else meanwhile
            created = False
        if created:
            self.stdout.write(self.style.SUCCESS(target.say("granted", user)))
        else:
            self.stdout.write(target.say("already", user))
        if not user.is_active:
            self.stderr.write(
                self.style.WARNING(
                    _("The account %(user)s is inactive: it cannot sign in until it is active.")
                    % {"user": user.get_username()}
                )
            )

    def _revoke(self, options) -> None:
        user = self._user(options["user"])
        target = self._target(options, live=False)
        with transaction.atomic():
            held = list(user.assignments.select_for_update().filter(**target.fields))
            if not held:
                if target.role == Role.NATIONAL_ADMIN and user.is_superuser:
                    raise CommandError(
                        _(
                            "%(user)s is a superuser without a national_admin assignment; "
                            "nothing was revoked. Superusers count as national administrators "
                            "until their superuser status is taken away in the admin."
                        )
                        % {"user": user.get_username()}
                    )
                raise CommandError(target.say("not_held", user))
            for assignment in held:
                assignment._change_reason = REVOKE_REASON
                assignment.delete()
        self.stdout.write(self.style.SUCCESS(target.say("revoked", user)))
        if target.role == Role.NATIONAL_ADMIN and user.is_superuser:
            self.stderr.write(
                self.style.WARNING(
                    _("%(user)s is a superuser and so still counts as a national administrator.")
                    % {"user": user.get_username()}
                )
            )

    def _list(self, options) -> None:
        assignments = Assignment.objects.select_related("user", "partnership", "organisation")
        superusers = get_user_model()._default_manager.filter(is_superuser=True)
        user = None
        if options["user"] is not None:
            user = self._user(options["user"])
            assignments = assignments.filter(user=user)
            superusers = superusers.filter(pk=user.pk)
        if options["partnership"] is not None:
            partnership = self._partnership(options["partnership"], live=False)
            assignments = assignments.filter(partnership=partnership)
            superusers = superusers.none()
        if options["organisation"] is not None:
            assignments = assignments.filter(
                organisation=self._organisation(options["organisation"])
            )
            superusers = superusers.none()
        if options["role"] is not None:
            assignments = assignments.filter(role=options["role"])
            if options["role"] != Role.NATIONAL_ADMIN:
                superusers = superusers.none()
        rows = [
            (
                a.user.get_username(),
                a.role,
                _key(a.partnership or a.organisation) if a.partnership or a.organisation else "–",
                timezone.localdate(a.created).isoformat(),
                self._scope_name(a),
            )
            for a in assignments.order_by(
                "user__username", "role", "partnership__name", "organisation__name"
            )
        ]
        if rows:
            self._table([(_("USER"), _("ROLE"), _("FOR"), _("SINCE"), _("NAME")), *rows])
            self.stdout.write(
                ngettext("%(count)d role assignment.", "%(count)d role assignments.", len(rows))
                % {"count": len(rows)}
            )
        elif user is not None and not any(
            options[o] is not None for o in ("partnership", "organisation", "role")
        ):
            message = (
                _("%(user)s has no role assignments.")
                if user.is_superuser
                else _("%(user)s has no role assignments: a reader.")
            )
            self.stdout.write(message % {"user": user.get_username()})
        else:
            self.stdout.write(_("No role assignments found."))
        names = [u.get_username() for u in superusers.order_by(get_user_model().USERNAME_FIELD)]
        if names:
            self.stdout.write(
                _("Superusers, who count as national administrators: %(names)s.")
                % {"names": ", ".join(names)}
            )

    @staticmethod
    def _scope_name(assignment: Assignment) -> str:
        scope = assignment.partnership or assignment.organisation
        if scope is None:
            return _("the whole registry")
        if isinstance(scope, Partnership) and scope.in_trash:
            return _("%(name)s (in the trash)") % {"name": scope.name}
        return scope.name

    def _table(self, rows: list[tuple[str, ...]]) -> None:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
