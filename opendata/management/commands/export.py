"""``unikom export``: one list, or the whole open dataset, to a file."""

from __future__ import annotations

from collections.abc import Iterator

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
        if fmt == "xlsx" and not output:
            raise CommandError("Give --output FILE for XLSX.")
        ctx = ExportContext(user=AnonymousUser(), base_url=base_url)
        prepare = jsonld.prepare if fmt == "jsonld" else None
        selection = exports.select(kind, params, ctx.user, prepare=prepare)
        generated = timezone.now()
        pieces = self._pieces(selection, ctx, fmt, generated, bom=options["bom"])
        if output:
            # Written as it is read, a batch of records at a time.
            with open(output, "wb") as target:
                if fmt == "xlsx":
                    meta = formats.meta(selection, generated, ctx.base_url)
                    formats.xlsx_write(target, selection, ctx, meta)
                else:
                    for block in formats.chunks(pieces):
                        target.write(block)
            self.stderr.write(f"Wrote {selection.count} rows to {output}.")
        else:
            for piece in pieces:
                self.stdout.write(piece, ending="")

    def _pieces(self, selection, ctx, fmt: str, generated, *, bom: bool) -> Iterator[str]:
        """The text of a CSV, JSON or JSON-LD export (not read until iterated)."""
        if fmt == "csv":
            return formats.csv_lines(selection, ctx, bom=bom)
        if fmt == "json":
            return formats.json_pieces(selection, ctx, generated)
        return jsonld.pieces(selection, ctx, generated)
