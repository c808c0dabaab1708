"""`unikom demo`: load or reload the bundled partnership dataset."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from partnerships.dataset import BUNDLED_PATH, DatasetError, load_dataset


class Command(BaseCommand):
    help = (
        "Load the bundled dataset of the KS compilation's partnerships, or reload it: "
        "records are matched by slug and key, so running it again changes nothing "
        "that is already right. Bad input stops the load and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=BUNDLED_PATH,
            help="a dataset in the unikom-dataset/1 format (default: the bundled one)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def handle(self, *args, **options):
        try:
            report = load_dataset(options["file"], dry_run=options["dry_run"])
        except DatasetError as error:
            for line in error.errors:
                self.stderr.write(f"{error.path.name}: {line}")
            raise CommandError(
                ngettext(
                    "%(file)s: %(n)d problem; nothing was written",
                    "%(file)s: %(n)d problems; nothing was written",
                    len(error.errors),
                )
                % {"file": error.path.name, "n": len(error.errors)}
            ) from error
        self.stdout.write(report.summary())
