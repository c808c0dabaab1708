"""``unikom synth``: load (or remove) a deterministic synthetic data set."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from synth import generator
from synth.models import Scale


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of: {value!r} is not a date like 2025-01-01") from error


class Command(BaseCommand):
    help = (
        "Load deterministic synthetic data on top of the reference data: partnerships with "
        "their members, people, activities, research needs and meeting places with Norwegian "
        "text, history and search index. Every page then says the data is synthetic. "
        "Refuses a database holding activities, needs, events or people it did not write "
        "unless --force. --remove takes out exactly what it wrote."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(generator.SIZES),
            default=Scale.SMALL,
            help=(
                "small: a few hundred of each, for tests; national: 500 partnerships, "
                "50,000 people, 200,000 activities, 20,000 needs, 10,000 events; "
                "x10: ten times national (default: small)"
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed gives the same rows (default: 1)"
        )
        parser.add_argument(
            "--as-of",
            type=_date,
            default=None,
            metavar="DATE",
            help="dates are counted from this day (default: 1 January this year)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="generate and count the rows, write nothing"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even though the database holds records people entered",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="delete the synthetic set (records, history, search documents) and exit",
        )
        parser.add_argument("--no-progress", action="store_true", help="print no progress bar")

    def handle(self, *args, **options):
        progress = None if options["no_progress"] or not options["verbosity"] else self.progress
        self._phase = ""
        try:
            if options["remove"]:
                return self.remove(progress)
            result = generator.load(
                options["scale"],
                options["seed"],
                as_of=options["as_of"],
                dry_run=options["dry_run"],
                force=options["force"],
                progress=progress,
            )
        except generator.SynthError as error:
            raise CommandError(str(error)) from error
        self.end_progress()
        # The command speaks English (as `unikom search reindex` does), names of
        # scales and records included; the data itself is indexed in the site's language.
        with translation.override("en"):
            self.report(result, options["verbosity"])
        if not result.dry_run:
            started = time.perf_counter()
            statement = generator.optimize()
            if statement:
                self.stdout.write(f"{statement}: {time.perf_counter() - started:.1f} s.")

    def remove(self, progress) -> None:
        generator.require_tables()
        with translation.override("en"):
            load = str(generator.current())
        deleted = generator.remove(progress=progress)
        self.end_progress()
        if not deleted:
            self.stdout.write("No synthetic data is loaded; nothing was removed.")
            return
        self.stdout.write(
            f"Removed the synthetic data ({load}): {sum(deleted.values()):,} rows, "
            "history and search documents included."
        )

    def report(self, result: generator.Result, verbosity: int = 1) -> None:
        write = self.stdout.write
        if result.loaded_refdata:
            write("No reference data was loaded: loaded the snapshot shipped with unikom first.")
        if result.replaced is not None:
            write(f"Removed the synthetic data loaded before ({result.replaced}).")
        from django.apps import apps

        parts = []
        for label, n in result.records.items():
            parts.append(f"{n:,} {apps.get_model(label)._meta.verbose_name_plural}")
        verb = "Would write" if result.dry_run else "Wrote"
        write(
            f"{verb} synthetic data at {dict(Scale.choices)[result.scale]} (seed {result.seed}, "
            f"dates from {result.as_of.isoformat()}): {', '.join(parts)}."
        )
        write(
            f"{result.total_rows:,} rows in {result.seconds:.1f} s "
            f"({result.rows_per_second:,.0f} rows/s), history"
            + (" and search index included." if not result.dry_run else " included; no index.")
        )
        if verbosity > 1:
            for label, n in sorted(result.rows.items()):
                write(f"  {label}: {n:,}")
            for phase, seconds in result.phases.items():
                write(f"  {phase}: {seconds:.1f} s")
        if result.dry_run:
            write("Dry run: nothing was written.")

    def progress(self, phase: str, done: int, total: int) -> None:
        if phase != self._phase:
            if self._phase:
                self.stderr.write("")
            self._phase = phase
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(
            f"\r{phase:<13} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
        self.stderr.flush()

    def end_progress(self) -> None:
        if self._phase:
            self.stderr.write("")
            self._phase = ""
