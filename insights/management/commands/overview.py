"""`unikom overview`: the national overview's figures and the compilation's findings,
for scripts."""

import json

from django.core.management.base import BaseCommand

from insights import findings
from insights.overview import national_overview


class Command(BaseCommand):
    help = "Print the national overview's figures (as on the front page)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")

    def handle(self, *args, **options):
        data = national_overview()
        found = findings.compilation_findings()
        if options["json"]:
            data["findings"] = [
                {"key": f.key, "title": f.title, "text": f.text, "figures": f.figures}
                for f in found
            ]
            data["vintage"] = findings.vintage()["text"]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        earliest = data["earliest_roots"]
        self.stdout.write(
            f"Partnerships: {data['partnerships']} ({data['clusters']} clusters)\n"
            f"Member municipalities: {data['municipalities']} named, "
            f"{data['municipalities_stated']} counting stated numbers\n"
            f"Knowledge institutions: {data['knowledge_institutions']} "
            f"({data['knowledge_institutions_hospitals']} hospitals)\n"
            f"Earliest roots: {earliest['label'] if earliest else 'not recorded'}\n"
            f"{findings.vintage()['text']}"
        )
        for f in found:
            self.stdout.write(f"\n{f.title}\n  {f.text}")
        self.stdout.write("")
        for p in data["partnership_list"]:
            self.stdout.write(
                f"- {p['name']} ({p['kind']}, lead: {p['lead_municipality'] or '-'}, "
                f"roots: {p['roots'] or '-'}, agreement: {p['agreement'] or '-'})"
            )
