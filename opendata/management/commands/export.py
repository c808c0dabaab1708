"""``unikom export``: one list, or the whole open dataset, to a file."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendata import archive, exports, formats, jsonld
from opendata.columns import KINDS, ExportContext


class Command(BaseCommand):
    help = (
        "Export public data. 'unikom export activities --format csv --filter type=phd' writes one "
        "list, with the filters of its list page; 'unikom export --all --output FILE' writes the "
        "whole open dataset as a zip archive (CSV, JSON, datapackage.json, data dictionary, "
        "licence). Only public records are exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=list(KINDS), help="What to export.")
        parser.add_argument(
            "--all", dest="whole", action="store_true", help="The whole dataset as a zip file."
        )
        parser.add_argument(
            "--format",
            choices=list(formats.FORMATS),
            default="csv",
            help="File format for one kind (default csv).",
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A filter of the list page, e.g. type=phd; repeat for more.",
        )
        parser.add_argument("--bom", action="store_true", help="Start a CSV with a BOM (Excel).")
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address put in front of each record's path in the url column.",
        )
        parser.add_argument(
            "--output", "-o", help="File to write; standard output when left out (not for zip)."
        )

    def handle(self, *args, kind=None, whole=False, output=None, **options):
        base_url = options["base_url"]
        if whole:
            if not output:
                raise CommandError("Give --output FILE for the archive.")
            with open(output, "wb") as target:
                counts = archive.write(target, base_url=base_url)
            self.stdout.write(
                f"Wrote {output}: {sum(counts.values())} rows in {len(counts)} files."
            )
            return
        if kind is None:
            raise CommandError("Name a kind to export, or give --all.")
        fmt = options["format"]
        if fmt == "jsonld" and kind not in jsonld.NODES:
            raise CommandError(f"JSON-LD is not offered for {kind}.")
        params = {}
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"Write filters as NAME=VALUE, not {item!r}.")
            params[name] = value
        ctx = ExportContext(user=AnonymousUser(), base_url=base_url)
        prepare = jsonld.prepare if fmt == "jsonld" else None
        selection = exports.select(kind, params, ctx.user, prepare=prepare)
        data = self._render(selection, ctx, fmt, bom=options["bom"])
        if output:
            with open(output, "wb") as target:
                target.write(data)
            self.stderr.write(f"Wrote {len(selection.records)} rows to {output}.")
        elif fmt == "xlsx":
            raise CommandError("Give --output FILE for XLSX.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def _render(self, selection, ctx, fmt: str, *, bom: bool) -> bytes:
        generated = timezone.now()
        if fmt == "csv":
            return formats.csv_text(selection, ctx, bom=bom).encode("utf-8")
        if fmt == "xlsx":
            return formats.xlsx_bytes(
                selection, ctx, formats.meta(selection, generated, ctx.base_url)
            )
        if fmt == "json":
            return formats.dumps(formats.json_document(selection, ctx, generated)).encode("utf-8")
        return formats.dumps(jsonld.document(selection, ctx, generated)).encode("utf-8")
