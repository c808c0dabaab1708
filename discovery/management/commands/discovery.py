"""``unikom discovery evaluate``: precision and recall of search, related work and matching."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import setup_databases, teardown_databases

from discovery.evaluation import evaluate, load_corpus
from organisations.refdata import load_directory
from partnerships.dataset import load_bundled
from search.documents import reindex


class Command(BaseCommand):
    help = (
        "Related work and matching. 'evaluate' builds a throw-away database (the reference "
        "data, the bundled partnerships and the judged corpus in discovery/evaluation/) and "
        "prints precision@5 and recall@10 of search, related work and matching. Your own "
        "database is not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["evaluate"])
        parser.add_argument(
            "--refdata",
            metavar="DIR",
            help="Reference data folder (default: UNIKOM_REFDATA_DIR, else ../shared/data/ref).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the numbers as JSON."
        )

    def handle(self, *args, action, refdata=None, as_json=False, **options):
        beside = Path(settings.BASE_DIR).parent / "shared" / "data" / "ref"
        folder = Path(refdata or os.environ.get("UNIKOM_REFDATA_DIR") or beside)
        if not (folder / "municipalities.csv").exists():
            raise CommandError(f"No reference data in {folder}; give --refdata DIR.")
        self.stderr.write("Building a throw-away database …")
        old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            scores = self._evaluate(folder)
        finally:
            teardown_databases(old, verbosity=0)
        if as_json:
            self._print_json(scores)
        else:
            self._print_table(scores)

    def _evaluate(self, folder: Path):

        load_directory(folder)
        load_bundled()
        loaded = load_corpus()
        reindex()
        return evaluate(loaded)

    def _print_json(self, scores) -> None:
        self.stdout.write(json.dumps({k: asdict(v) for k, v in scores.items()}, indent=2))

    def _print_table(self, scores) -> None:
        self.stdout.write("| task | questions | precision@5 | recall@10 | best possible P@5 |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for s in scores.values():
            self.stdout.write(
                f"| {s.task} | {s.questions} | {s.precision_at_5:.2f} | {s.recall_at_10:.2f} "
                f"| {s.ceiling_at_5:.2f} |"
            )
