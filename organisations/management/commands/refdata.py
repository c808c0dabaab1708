"""``unikom refdata load DIR|fetch|snapshot``: load reference data.

Reference data (municipalities, counties, Oslo districts, knowledge
institutions, boundaries) is loaded from files in the formats of
``shared/data/ref``, downloaded from SSB KLASS, or loaded from the snapshot
shipped with unikom. Every way lists every problem and writes nothing unless
all is well; see ``organisations.refdata``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.refdata import (
    LoadReport,
    RefdataError,
    RefdataUnavailable,
    fetch,
    load_directory,
    load_snapshot,
)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # in the language active when --help is asked
        return _(
            "Load reference data: municipalities, counties, Oslo districts, knowledge "
            "institutions and boundaries, from files (load DIR), from SSB (fetch) or from the "
            "snapshot shipped with unikom (snapshot)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{load,fetch,snapshot}", title=_("actions")
        )
        load = actions.add_parser(
            "load",
            help=_("Load reference data from files in a folder."),
            description=_(
                "Load reference data from the files in DIR: municipalities.csv (required), "
                "and, when present, counties and municipality boundaries "
                "(fylker_2024.geojson, kommuner_2024.geojson), oslo_bydeler.csv and "
                "institutions.csv. Every problem is listed, and nothing is written unless "
                "all files are valid."
            ),
        )
        load.add_argument(
            "directory",
            metavar="DIR",
            type=Path,
            help=_("The folder that holds the reference data files."),
        )
        self._add_dry_run(load)

        download = actions.add_parser(
            "fetch",
            help=_("Download reference data from SSB KLASS and load it."),
            description=_(
                "Download municipalities, counties and Oslo districts from SSB KLASS "
                "(UNIKOM_KLASS_URL), and boundaries from UNIKOM_BOUNDARIES_URL when it is "
                "set, and load them. Population figures are not in KLASS and are kept."
            ),
        )
        download.add_argument(
            "--timeout",
            type=float,
            default=None,
            help=_("Seconds to wait for each answer (default: UNIKOM_FETCH_TIMEOUT)."),
        )
        self._add_dry_run(download)

        shipped = actions.add_parser(
            "snapshot",
            help=_("Load the reference data snapshot shipped with unikom."),
            description=_(
                "Load the compact reference data shipped with unikom: the 357 municipalities "
                "and 15 counties of 2024 with population (SSB), Oslo's districts, knowledge "
                "institutions and simplified boundaries (Kartverket). `unikom setup` loads it "
                "when no reference data is loaded yet; `load DIR` or `fetch` replaces it."
            ),
        )
        self._add_dry_run(shipped)

    @staticmethod
    def _add_dry_run(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check everything and report what would change, but write nothing."),
        )

    def handle(self, *args: object, **options: object) -> None:
        progress = self.stdout.write if options["verbosity"] else None
        try:
            if options["action"] == "load":
                report = load_directory(
                    options["directory"], dry_run=options["dry_run"], progress=progress
                )
            elif options["action"] == "snapshot":
                report = load_snapshot(dry_run=options["dry_run"], progress=progress)
            else:
                report = fetch(
                    timeout=options["timeout"], dry_run=options["dry_run"], progress=progress
                )
        except RefdataError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                ngettext(
                    "The reference data has %(count)d problem; nothing was loaded.",
                    "The reference data has %(count)d problems; nothing was loaded.",
                    len(exc.errors),
                )
                % {"count": len(exc.errors)}
            ) from exc
        except RefdataUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self._print(report)

    def _print(self, report: LoadReport) -> None:
        style = self.style.WARNING if report.dry_run else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
