"""`unikom restore FILE`: replace the database with a backup made by `unikom backup`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database with the backup in FILE, made by `unikom backup`, then run "
        "migrate so a backup from an older version comes up to date. Refuses, changing "
        "nothing, a file of the wrong kind (a PostgreSQL dump for a SQLite site, or the "
        "other way round, or any other file), a backup made by a newer version, and a "
        "database that is not empty unless --force. PostgreSQL needs pg_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the backup file to restore")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds data (everything in it is lost)",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="the database (settings.DATABASES) to restore into (default: default)",
        )

    def handle(self, *args, **options):
        try:
            restore(
                options["file"],
                using=options["database"],
                force=options["force"],
                stdout=self.stdout,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
