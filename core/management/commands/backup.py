"""`unikom backup FILE`: a consistent copy of the whole database, even while the site serves."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a backup of the database to FILE (replaced if it exists). SQLite: a copy "
        "made with SQLite's online backup API, consistent even while the site serves and "
        "writes. PostgreSQL: pg_dump --format=custom, which needs PostgreSQL's client "
        "programs in the server's major version or newer. `unikom restore FILE` puts it "
        "back. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the backup file to write")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="the database (settings.DATABASES) to back up (default: default)",
        )

    def handle(self, *args, **options):
        try:
            result = backup(options["file"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Backed up %(database)s to %(file)s (%(size)s, %(seconds).1f s).")
            % {
                "database": result.database,
                "file": result.path,
                "size": _megabytes(result.size),
                "seconds": result.seconds,
            }
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
