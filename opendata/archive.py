"""The bulk download: the whole open dataset as one zip archive.

Always what an anonymous visitor may see, whoever downloads it: public
records only, no private contact data. Every kind in CSV and JSON, with a
Frictionless ``datapackage.json`` (the data dictionary as table schemas),
``DATA-DICTIONARY.md``, ``README.txt`` and ``LICENSE.txt`` naming the
sources that require attribution (SSB, Kartverket ...).
"""

from __future__ import annotations

import json
import zipfile
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


def write(target: BinaryIO, *, base_url: str = "", generated: datetime | None = None) -> dict:
    """Write the archive to ``target``; returns the number of rows per kind."""
    generated = generated or timezone.now()
    created = timezone.localtime(generated).isoformat(timespec="seconds")
    ctx = ExportContext(user=AnonymousUser(), base_url=base_url)
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in KINDS:
            selection = exports.select(name, ARCHIVE_PARAMS.get(name, {}), ctx.user)
            counts[name] = len(selection.records)
            archive.writestr(f"{name}.csv", formats.csv_text(selection, ctx))
            archive.writestr(
                f"{name}.json", formats.dumps(formats.json_document(selection, ctx, generated))
            )
        archive.writestr(
            "datapackage.json",
            json.dumps(dictionary.datapackage(counts, created), ensure_ascii=False, indent=1),
        )
        archive.writestr(
            "DATA-DICTIONARY.md", "# unikom data dictionary\n\n" + dictionary.markdown(2)
        )
        archive.writestr("README.txt", readme(created, counts, base_url))
        archive.writestr("LICENSE.txt", licence_text())
    return counts
