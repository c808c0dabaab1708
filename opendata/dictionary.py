"""The data dictionary, generated from ``opendata.columns``: as Markdown (the
archive's DATA-DICTIONARY.md and the table in docs/open-data.md) and as
Frictionless Table Schemas (the archive's datapackage.json).

``python -m opendata.dictionary docs/open-data.md`` rewrites the generated
part of the docs page (between the two markers); a test fails when it is
out of date.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from . import columns as cols
from .licence import ATTRIBUTIONS, LICENCE

START, END = "<!-- columns:start -->", "<!-- columns:end -->"

#: Column type -> (Frictionless type, format)
FRICTIONLESS = {
    cols.STRING: ("string", "default"),
    cols.TEXT: ("string", "default"),
    cols.CODE: ("string", "default"),
    cols.SLUG: ("string", "default"),
    cols.LIST: ("string", "default"),
    cols.UUID: ("string", "uuid"),
    cols.URL: ("string", "uri"),
    cols.DATE: ("date", "default"),
    cols.DATETIME: ("datetime", "any"),
    cols.INTEGER: ("integer", "default"),
    cols.NUMBER: ("number", "default"),
    cols.BOOLEAN: ("boolean", "default"),
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(column: cols.Column) -> str:
    text = column.type
    if column.refers:
        text += f" → {column.refers}"
    return text


def _notes(column: cols.Column) -> str:
    parts = [str(column.description) or f"{column.label} (free text)."]
    if column.choices:
        parts.append("Codes: " + ", ".join(f"`{c}`" for c in column.choices) + ".")
    if not column.importable:
        parts.append("Read-only: import ignores it.")
    return " ".join(p for p in parts if p)


def markdown(heading_level: int = 3) -> str:
    """Every kind's columns as Markdown tables, in English."""
    hashes = "#" * heading_level
    lines: list[str] = []
    with translation.override("en"):
        for kind in cols.KINDS.values():
            lines += [
                f"{hashes} {kind.name}",
                "",
                f"{kind.description} Key: {', '.join(f'`{k}`' for k in kind.key)}.",
                "",
                "| Column | Type | Description |",
                "|---|---|---|",
            ]
            for column in kind.columns:
                lines.append(f"| `{column.name}` | {_type(column)} | {_cell(_notes(column))} |")
            lines.append("")
    return "\n".join(lines)


def refresh(text: str) -> str:
    """``text`` with the part between the markers replaced by the current tables."""
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    return f"{before}{START}\n{markdown()}\n{END}{after}"


def table_schema(kind: str) -> dict[str, Any]:
    """The kind's Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/)."""
    spec = cols.KINDS[kind]
    fields = []
    for column in spec.columns:
        type_, format_ = FRICTIONLESS[column.type]
        field: dict[str, Any] = {
            "name": column.name,
            "title": str(column.label),
            "description": _notes(column),
            "type": type_,
            "format": format_,
        }
        if column.type == cols.BOOLEAN:
            field.update(trueValues=["true"], falseValues=["false"])
        if column.type == cols.CODE and column.choices:
            field["constraints"] = {"enum": list(column.choices)}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if len(spec.key) == 1:
        schema["primaryKey"] = list(spec.key)
    foreign = []
    for column in spec.columns:
        if column.refers and column.type != cols.LIST:
            target = cols.KINDS[column.refers].key[0]
            foreign.append(
                {"fields": column.name, "reference": {"resource": column.refers, "fields": target}}
            )
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def datapackage(counts: dict[str, int], created: str) -> dict[str, Any]:
    """The archive's Frictionless Data Package descriptor."""
    with translation.override("en"):
        return {
            "profile": "tabular-data-package",
            "name": "unikom-open-data",
            "title": "unikom – partnerships between municipalities and academia",
            "created": created,
            "licenses": [dict(LICENCE)],
            "sources": [
                {"title": f"{a.source} ({a.licence})", "path": a.url} for a in ATTRIBUTIONS
            ],
            "resources": [
                {
                    "profile": "tabular-data-resource",
                    "name": kind.name,
                    "title": str(kind.label),
                    "description": str(kind.description),
                    "path": f"{kind.name}.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "count": counts[kind.name],
                    "schema": table_schema(kind.name),
                }
                for kind in cols.KINDS.values()
            ],
        }


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/open-data.md")
    target.write_text(refresh(target.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {target}")
