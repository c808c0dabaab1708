"""``unikom search reindex``: rebuild the full-text index with a progress bar."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from search.documents import reindex


class Command(BaseCommand):
    help = "Search index maintenance. 'reindex' rebuilds the whole index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reindex"])
        parser.add_argument("--no-progress", action="store_true", help="Print no progress bar.")

    def handle(self, *args, action, no_progress=False, **options):
        if action != "reindex":  # pragma: no cover - argparse refuses it first
            raise CommandError(f"Unknown action {action}")
        err = self.stderr

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            err.flush()

        count = reindex(None if no_progress else progress)
        if not no_progress:
            err.write("")
        self.stdout.write(f"Indexed {count} records.")
        sys.stdout.flush()
