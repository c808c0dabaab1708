"""``unikom privacy erase|expire``: erase one person's data; apply the retention rules.

Both call privacy.services, as the admin's erase action does; docs/privacy.md
says what they change.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy import services
from privacy.models import Reason


class Command(BaseCommand):
    @property
    def help(self) -> str:  # in the language active when --help is asked
        return _(
            "Erase the personal data of one account or person (pseudonymise it, history "
            "included), or apply the retention rules: deactivate unused accounts, erase "
            "long-deactivated ones, delete old sign-in records. See docs/privacy.md."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{erase,expire}", title=_("actions")
        )
        erase = actions.add_parser(
            "erase",
            help=_("Erase one account or person."),
            description=_(
                "Replace the name, e-mail address, phone and ORCID of a person, and the "
                "username, name and e-mail address of an account, by a pseudonym, in the "
                "records and in every row of their history; deactivate the account and "
                "take its roles, tokens and sign-in records. An account's linked person is "
                "erased with it, and the other way round. Running it again changes nothing more."
            ),
        )
        erase.add_argument(
            "key", metavar="USERNAME_OR_PERSON_ID", help=_("A username or a person's public id.")
        )
        erase.add_argument(
            "--dry-run", action="store_true", help=_("Say what would be erased; change nothing.")
        )
        expire = actions.add_parser(
            "expire",
            help=_("Apply the retention rules (run it daily)."),
            description=_(
                "Deactivate accounts without a sign-in for UNIKOM_ACCOUNT_INACTIVE_DAYS and "
                "take their roles; erase deactivated accounts UNIKOM_ACCOUNT_ERASE_DAYS later; "
                "delete sign-in records older than UNIKOM_SIGN_IN_RECORD_DAYS. Superusers are "
                "never deactivated."
            ),
        )
        expire.add_argument(
            "--dry-run", action="store_true", help=_("Say what would change; change nothing.")
        )

    def handle(self, *args: object, **options) -> None:
        if options["action"] == "erase":
            self._erase(options["key"], dry_run=options["dry_run"])
        else:
            self._expire(dry_run=options["dry_run"])

    def _erase(self, key: str, *, dry_run: bool) -> None:
        try:
            plan = services.plan_for(key)
        except LookupError:
            raise CommandError(
                _("No account has the username “%(key)s”, and no person has it as public id.")
                % {"key": key}
            ) from None
        parts = []
        if plan.user is not None:
            parts.append(_("account #%(id)s") % {"id": plan.user.pk})
        if plan.person is not None:
            parts.append(_("person %(id)s") % {"id": plan.person.public_id})
        what = ", ".join(parts)
        if dry_run:
            self.stdout.write(
                _("Would erase %(what)s as “%(pseudonym)s”; nothing changed.")
                % {"what": what, "pseudonym": plan.pseudonym}
            )
            return
        erasure = services.erase(plan, reason=Reason.ADMIN)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Erased %(what)s as “%(pseudonym)s” (%(rows)d history row rewritten).",
                    "Erased %(what)s as “%(pseudonym)s” (%(rows)d history rows rewritten).",
                    erasure.history_rows,
                )
                % {"what": what, "pseudonym": erasure.pseudonym, "rows": erasure.history_rows}
            )
        )

    def _expire(self, *, dry_run: bool) -> None:
        report = services.expire(dry_run=dry_run)
        for name in report.deactivated:
            line = _("Would deactivate: %(user)s") if dry_run else _("Deactivated: %(user)s")
            self.stdout.write(line % {"user": name})
        for pk in report.erased:
            line = _("Would erase: account #%(id)s") if dry_run else _("Erased: account #%(id)s")
            self.stdout.write(line % {"id": pk})
        summary = _(
            "%(deactivated)d accounts deactivated, %(erased)d erased, "
            "%(records)d sign-in records deleted."
        ) % {
            "deactivated": len(report.deactivated),
            "erased": len(report.erased),
            "records": report.sign_in_records,
        }
        if dry_run:
            summary = _("Dry run, nothing changed: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
