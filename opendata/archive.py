"""The bulk download: the whole open dataset as one zip archive.

Always what an anonymous visitor may see, whoever downloads it: public
records only, no private contact data. Every kind in CSV and JSON, with a
Frictionless ``datapackage.json`` (the data dictionary as table schemas),
``DATA-DICTIONARY.md``, ``README.txt`` and ``LICENSE.txt`` naming the
sources that require attribution (SSB, Kartverket ...).
"""

from __future__ import annotations

import json
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import BinaryIO

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from . import dictionary, exports, formats
from .columns import KINDS, ExportContext
from .licence import ATTRIBUTIONS, LICENCE

ARCHIVE_NAME = "unikom-open-data.zip"

#: Parameters that widen a kind beyond its list page's default view:
#: every organisation, every event, needs of every status.
ARCHIVE_PARAMS = {
    "organisations": {"scope": "all"},
    "events": {"when": "all"},
    "needs": {"status": "any"},
}


def readme(created: str, counts: dict[str, int], base_url: str) -> str:
    lines = [
        "unikom open data",
        "================",
        "",
        "Partnerships between Norwegian municipalities and academia: the partnerships,",
        "their members, organisations, people, the portfolio of activities, research",
        "needs and meeting places, as registered in unikom"
        + (f" at {base_url}." if base_url else "."),
        "",
        f"Created: {created}",
        "",
        "Files (rows):",
    ]
    for name in KINDS:
        lines.append(f"  {name}.csv, {name}.json ({counts[name]})")
    lines += [
        "  datapackage.json     Frictionless Data Package: the table schemas",
        "  DATA-DICTIONARY.md   every column explained",
        "  LICENSE.txt          licence and the attribution the sources require",
        "",
        "CSV: UTF-8 without byte order mark, comma-separated, header row; lists are",
        'joined by "; ". A text cell that starts with = + - @ TAB CR or \' has an extra',
        "' in front so spreadsheets do not run it as a formula; remove that one",
        "character to get the value (unikom's import does this).",
        "JSON: {meta, columns, data} with typed values.",
        "",
        "Only public records are included, and e-mail and phone only of people who",
        "have made them public.",
        "",
    ]
    return "\n".join(lines)


def licence_text() -> str:
    lines = [
        f"The unikom open data is published under {LICENCE['title']} ({LICENCE['name']}):",
        LICENCE["path"],
        "",
        "Name the sources when you use the data:",
        "",
    ]
    for a in ATTRIBUTIONS:
        lines += [f"- {a.credit}. {a.covers} Licence: {a.licence}. {a.url}"]
    lines += [
        "",
        "Partnership records are compiled from public sources; each names its source",
        "in source_url.",
        "",
    ]
    return "\n".join(lines)


#: Blocks of text handed to the compressor at a time.
BLOCK = 64 * 1024


def stream(*, base_url: str = "", generated: datetime | None = None) -> Iterator[bytes]:
    """The archive as blocks of bytes, produced while the records are read.

    Memory holds one batch of records and one block of output at a time.
    """
    pipe = formats.Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _ in _members(archive, base_url=base_url, generated=generated):
            data = pipe.take()
            if data:
                yield data
    yield pipe.take()  # the central directory, written on close


def write(target: BinaryIO, *, base_url: str = "", generated: datetime | None = None) -> dict:
    """Write the archive to ``target`` (a binary file); returns the rows per kind."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _ in _members(archive, base_url=base_url, generated=generated, counts=counts):
            pass
    return counts


def _members(
    archive: zipfile.ZipFile,
    *,
    base_url: str = "",
    generated: datetime | None = None,
    counts: dict[str, int] | None = None,
) -> Iterator[None]:
    """Write every member into ``archive``, pausing (``yield``) after each block
    so that ``stream`` can send what has been compressed so far.

    The CSV and JSON members are written by the exports' own writers, from
    the same batches; the row counts for ``datapackage.json`` and
    ``README.txt`` come from the selections, which is why those two come after
    the data.
    """
    generated = generated or timezone.now()
    created = timezone.localtime(generated).isoformat(timespec="seconds")
    ctx = ExportContext(user=AnonymousUser(), base_url=base_url)
    counts = {} if counts is None else counts

    def member(name: str, pieces: Iterable[str], rows: int = 0) -> Iterator[None]:
        # As ``ZipFile.writestr`` would describe it: now, compressed, rw for the owner.
        info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        # A member over 2 GiB needs ZIP64 sizes, chosen before its size is known.
        zip64 = rows * formats.MAX_ROW_BYTES > zipfile.ZIP64_LIMIT
        with archive.open(info, "w", force_zip64=zip64) as target:
            yield from formats.written_aside(target, formats.chunks(pieces, BLOCK))

    for name in KINDS:
        selection = exports.select(name, ARCHIVE_PARAMS.get(name, {}), ctx.user)
        counts[name] = selection.count
        # One reading of the records gives both files: the CSV is compressed as
        # it comes, the JSON waits in a temporary file on disk (members of a
        # zip follow one another) and is compressed after it.
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            lines = formats.csv_and_json(selection, ctx, generated, spool)
            yield from member(f"{name}.csv", lines, selection.count)
            spool.seek(0)
            yield from member(f"{name}.json", iter(lambda: spool.read(BLOCK), ""), selection.count)
    package = dictionary.datapackage(counts, created)
    yield from member("datapackage.json", [json.dumps(package, ensure_ascii=False, indent=1)])
    yield from member(
        "DATA-DICTIONARY.md", ["# unikom data dictionary\n\n" + dictionary.markdown(2)]
    )
    yield from member("README.txt", [readme(created, counts, base_url)])
    yield from member("LICENSE.txt", [licence_text()])
