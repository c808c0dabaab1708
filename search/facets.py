"""A document's facet values, kept on the document's own row.

Each document holds its values as JSON, ``[[facet, value, label], …]``, and its
status value once more in a column of its own (related work keeps open needs,
say). Facets are only ever read by document — the values of a page of
matches, to count and filter them — so a table of one row per value (1.4
million at national scale, with a key and two indexes) cost the database more
than the values themselves. The kind is not stored again: it is the
document's own ``kind``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from search.choices import Facet

VALUE_MAX = 120
LABEL_MAX = 250
STATUS_MAX = 20

Value = tuple[str, str, str]  # (facet, value, label)


def encode(values: Iterable[Value]) -> tuple[str, str]:
    """(status, JSON) of a document's facet values: each value once, cut to size."""
    rows: list[list[str]] = []
    seen: set[tuple[str, str]] = set()
    status = ""
    for name, value, label in values:
        name, value = str(name), str(value)[:VALUE_MAX]
        if (name, value) in seen:
            continue
        seen.add((name, value))
        rows.append([name, value, str(label)[:LABEL_MAX]])
        if name == Facet.STATUS and not status:
            status = value[:STATUS_MAX]
    rows.sort()  # one text for the same values, whatever order they came in
    return status, json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


KIND = Facet.KIND.value


def decode(kind: str, stored: str) -> list[Value]:
    """The facet values of a document of ``kind`` stored as ``stored``, the kind's own first."""
    (values,) = decode_many([(kind, stored)])
    return [tuple(values[-1]), *map(tuple, values[:-1])]


def decode_many(documents: list[tuple[str, str]]) -> list[list[list[str]]]:
    """The values of many (kind, stored) documents, each a list of [facet, value,
    label] ending with the kind's own. The texts are parsed as one JSON array, a
    fraction of the time of a thousand parses (a page of matches), and the lists
    are used as parsed."""
    parsed = json.loads("[" + ",".join(stored or "[]" for _kind, stored in documents) + "]")
    for (kind, _stored), values in zip(documents, parsed, strict=True):
        values.append([KIND, kind, kind])
    return parsed
