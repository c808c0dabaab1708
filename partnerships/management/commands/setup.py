"""`unikom setup`: everything `make run` does before serving.

Migrates the database, loads reference data, and loads the bundled dataset.
Safe and quick to run again: every step is idempotent.

Reference data comes from the folder in ``UNIKOM_REFDATA_DIR`` when it is
set; otherwise, when none is loaded yet, from the snapshot shipped with
unikom. The snapshot is complete (population, boundaries, institutions) and
needs no network, whereas `unikom refdata fetch` asks SSB for the same 2024
codes without population or county boundaries; so set-up never waits for
the network, and `refdata load DIR` or `refdata fetch` replaces the snapshot
whenever someone runs them.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.db import refresh_statistics
from organisations.refdata import (
    RefdataError,
    has_refdata,
    load_directory,
    load_snapshot,
)
from partnerships.models import Partnership
from search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "Prepare the site: migrate, load reference data (from UNIKOM_REFDATA_DIR if set, "
        "else the snapshot shipped with unikom unless reference data is already loaded; "
        "no network needed) and load the bundled partnership dataset unless partnerships "
        "are already there (`unikom demo` reloads it)."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The cache table, when the cache is one (CACHE_URL=dbcache://…): loading
        # the data below writes to the cache. Does nothing for other caches.
        call_command("createcachetable", verbosity=0)
        self.stdout.write(_("Database is migrated."))
        self._refdata()
        if Partnership.objects.exists():
            # Never overwrite what people have edited since: reloading is explicit.
            self.stdout.write(
                _("Partnerships are already loaded; `unikom demo` reloads the bundled dataset.")
            )
        else:
            call_command("demo", stdout=self.stdout, stderr=self.stderr)

        if not SearchDocument.objects.exists():
            # A database from before search existed: index what is there once.
            call_command("search", "reindex", "--no-progress", stdout=self.stdout)
        # The planner's statistics, for what was just loaded (core.db).
        refresh_statistics()

    def _refdata(self) -> None:
        folder = settings.UNIKOM_REFDATA_DIR
        if folder:
            try:
                report = load_directory(Path(folder))
            except RefdataError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(report.summary())
            return
        if has_refdata():
            self.stdout.write(_("Reference data is already loaded."))
            return
        try:
            report = load_snapshot()
        except RefdataError as error:
            # A damaged installation should not keep the site from starting.
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Reference data not loaded: %(error)s\nThe site runs without it (no "
                        "map, no counties, no population). Set UNIKOM_REFDATA_DIR to a folder "
                        "of reference files, or run `unikom refdata load DIR` later."
                    )
                    % {"error": error}
                )
            )
            return
        self.stdout.write(report.summary())
