"""`unikom overview`: the national overview's figures, for scripts."""

import json

from django.core.management.base import BaseCommand

from insights.overview import national_overview


class Command(BaseCommand):
    help = "Print the national overview's figures (as on the front page)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")

    def handle(self, *args, **options):
        data = national_overview()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Partnerships: {data['partnerships']} ({data['clusters']} clusters)\n"
            f"Member municipalities: {data['municipalities']}\n"
            f"Knowledge institutions: {data['knowledge_institutions']}\n"
            f"Earliest roots: {data['earliest_roots_year'] or 'not recorded'}"
        )
        for p in data["partnership_list"]:
            self.stdout.write(f"- {p['name']} ({p['kind']}, lead: {p['lead_municipality'] or '-'})")
