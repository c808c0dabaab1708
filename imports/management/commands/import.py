"""``unikom import FILE --kind activities --user NAME``: bulk import from CSV, XLSX or JSON."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imports.kinds import KIND_CLASSES
from imports.models import BatchState, ImportBatch
from imports.reading import ReadError
from imports.service import Options, Report, check, commit, undo
from imports.sources import read_file


class Command(BaseCommand):
    help = (
        "Import activities, needs or events from a CSV or XLSX file in unikom's export "
        "columns, or activities from NVA/Cristin project JSON or a Prosjektbanken CSV. The "
        "whole file is checked first and every problem is listed by row and column; only a "
        "file without problems is written, in one transaction, and the import can be undone "
        "(--undo). The import runs with the rights of --user and is recorded in the history "
        "under that user."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="the file to import")
        parser.add_argument(
            "--kind",
            choices=sorted(KIND_CLASSES),
            default="activities",
            help="what the rows are (default: activities)",
        )
        parser.add_argument(
            "--format",
            dest="source_format",
            choices=["auto", "table", "nva", "prosjektbanken"],
            default="auto",
            help="table = CSV/XLSX in unikom's columns; nva = NVA/Cristin project JSON; "
            "prosjektbanken = the Research Council's CSV (default: tell by content)",
        )
        parser.add_argument(
            "--user",
            required=True,
            help="username the import runs as: its rights apply and the history names it",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--accept-proposals",
            action="store_true",
            help="use the proposed organisation for every name that only resembles one",
        )
        parser.add_argument(
            "--partnership",
            metavar="SLUG",
            help="partnership(s) for rows that name none (e.g. for a Prosjektbanken file)",
        )
        parser.add_argument(
            "--undo", type=int, metavar="NUMBER", help="undo the import with this number"
        )
        parser.add_argument("--no-progress", action="store_true", help="print no progress bar")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No user “%(name)s”.") % {"name": options["user"]})
        if options["undo"] is not None:
            return self._undo(options["undo"], user)
        path: Path | None = options["file"]
        if path is None:
            raise CommandError(_("Give the file to import (or --undo NUMBER)."))
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot read the file: %(error)s")
                % {"file": path.name, "error": error.strerror}
            ) from error
        kind = options["kind"]
        try:
            table, source_format = read_file(raw, path.name, options["source_format"])
        except ReadError as error:
            raise CommandError(
                _("%(file)s: %(message)s Nothing was written.")
                % {"file": path.name, "message": error.message}
            ) from error
        if source_format != "table" and kind != "activities":
            raise CommandError(_("NVA/Cristin and Prosjektbanken files hold activities."))
        run_options = Options(
            user=user,
            accept_proposals=options["accept_proposals"],
            defaults={"partnerships": options["partnership"]} if options["partnership"] else {},
        )
        progress = None if options["no_progress"] else self._progress
        if options["dry_run"]:
            report = check(table, kind, path.name, run_options, progress)
        else:
            batch = ImportBatch(
                user=user,
                kind=kind,
                source_format=source_format,
                filename=path.name,
                size=len(raw),
                options={"partnerships": options["partnership"] or ""},
            )
            report = commit(table, kind, batch, run_options, progress)
        if progress:
            self.stderr.write("")
        self._print(report, path.name)
        if not report.ok:
            problems = ngettext("%(n)d problem", "%(n)d problems", len(report.problems)) % {
                "n": len(report.problems)
            }
            proposals = ngettext(
                "%(n)d name to confirm", "%(n)d names to confirm", len(report.proposals)
            ) % {"n": len(report.proposals)}
            raise CommandError(
                _("%(file)s: %(problems)s, %(proposals)s; nothing was written.")
                % {"file": path.name, "problems": problems, "proposals": proposals}
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(
                _("Import #%(n)d done. Undo it with: unikom import --undo %(n)d --user NAME")
                % {"n": batch.pk}
            )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()

    def _print(self, report: Report, filename: str) -> None:
        for note in report.notes:
            self.stdout.write(f"{filename}: {note}")
        for problem in report.problems:
            self.stderr.write(f"{filename}: {problem}")
        for proposal in report.proposals:
            rows = ", ".join(str(r) for r in proposal.rows[:10])
            if len(proposal.rows) > 10:
                rows += ", …"
            self.stderr.write(
                _(
                    "%(file)s: row %(rows)s: “%(text)s” is not known; did you mean “%(name)s”? "
                    "Confirm with --accept-proposals, or correct the file."
                )
                % {
                    "file": filename,
                    "rows": rows,
                    "text": proposal.text,
                    "name": proposal.organisation_name,
                }
            )
        self.stdout.write(f"{filename}: {report.summary()}")

    def _undo(self, number: int, user) -> None:
        batch = ImportBatch.objects.filter(pk=number, state=BatchState.COMMITTED).first()
        if batch is None:
            raise CommandError(_("No completed import #%(n)d.") % {"n": number})
        problems = undo(batch, user)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(_("Import #%(n)d was not undone.") % {"n": number})
        self.stdout.write(_("Import #%(n)d undone.") % {"n": number})
