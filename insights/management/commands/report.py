"""`unikom report`: the experience compilation as an HTML or PDF file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from insights.pdf import PdfUnavailable, load_weasyprint
from insights.report import ReportScopeError, build_report
from insights.report_views import render_document


def weasyprint_or_stop():
    """The weasyprint module, or CommandError naming what is missing (and that HTML
    can be written without it)."""
    try:
        return load_weasyprint()
    except PdfUnavailable as exc:
        raise CommandError(f"{exc.message} Or write HTML with --format html.") from exc


class Command(BaseCommand):
    help = "Write the experience compilation, generated from the data, as HTML or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["html", "pdf"], default="html")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--partnership", metavar="SLUG", help="only this partnership")
        parser.add_argument("--county", metavar="SLUG", help="only partnerships in this county")

    def handle(self, *args, **options):
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        weasyprint = weasyprint_or_stop() if options["format"] == "pdf" else None

        self.stdout.write("Building the report:")
        step = iter(range(1, 100))

        def progress(title: str) -> None:
            self.stdout.write(f"  [{next(step)}] {title}")

        try:
            report = build_report(
                partnership=options["partnership"], county=options["county"], progress=progress
            )
        except ReportScopeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Covering {report.partnership_count} partnership(s).")

        self.stdout.write("Rendering HTML…")
        html = render_document(report, for_pdf=weasyprint is not None)
        if weasyprint is None:
            output.write_text(html, encoding="utf-8")
        else:
            self.stdout.write("Writing PDF (this can take a while)…")
            try:
                weasyprint.HTML(string=html, base_url=str(Path.cwd())).write_pdf(str(output))
            except OSError as exc:
                raise CommandError(f"Could not write {output}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({output.stat().st_size} bytes)."))
