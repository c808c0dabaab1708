"""`unikom prepare`: ask again for the kept downloads, so that readers find them ready."""

import contextlib
import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core import prepare


class Command(BaseCommand):
    help = (
        "Produce again, at the current data version, every whole-list download and "
        "report PDF that visitors have asked for (noted in UNIKOM_DATA_DIR/prepare), so "
        "that the next reader gets the kept file instead of waiting while it is produced. "
        "--watch keeps doing so after each change, once the data has been still for "
        "UNIKOM_PREPARE_SETTLE seconds and at most every UNIKOM_PREPARE_GAP seconds; "
        "`unikom serve` starts it beside its workers unless UNIKOM_PREPARE=0. See "
        "docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch",
            action="store_true",
            help="keep watching the data and prepare after each change (until stopped)",
        )
        parser.add_argument(
            "--poll",
            type=float,
            help=(
                "with --watch: seconds between two looks at the data (default: 10, or "
                "UNIKOM_PREPARE_SETTLE if shorter, at least 1)"
            ),
        )

    def handle(self, *args, **options):
        if options["watch"]:
            # Beside the workers: their requests come first.
            os.nice(10)
            settle = settings.UNIKOM_PREPARE_SETTLE
            poll = options["poll"] or max(1, min(10, settle))
            self.stdout.write(
                _("[prepare] Watching the data every %(poll)s s (process %(pid)s).")
                % {"poll": poll, "pid": os.getpid()}
            )
            self.stdout.flush()
            # Ctrl-C reaches every process of the server: stop quietly.
            with contextlib.suppress(KeyboardInterrupt):
                prepare.watch(
                    poll=poll,
                    settle=settle,
                    gap=settings.UNIKOM_PREPARE_GAP,
                    log=self._log,
                )
            return
        done = prepare.prepare(self._log)
        self.stdout.write(
            _("Prepared %(count)s downloads in %(seconds).1f s.")
            % {"count": len(done), "seconds": sum(p.seconds for p in done)}
        )

    def _log(self, prepared: prepare.Prepared) -> None:
        recipe = prepared.recipe
        self.stdout.write(
            f"[prepare] {prepared.outcome} {prepared.status} {prepared.seconds:.1f} s "
            f"{recipe.scheme}://{recipe.host}{recipe.path} ({recipe.language})"
        )
        self.stdout.flush()
