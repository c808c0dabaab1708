"""The network as files for other tools: GraphML and GEXF (Gephi, Cytoscape, yEd)
and an Excel workbook in Kumu's import layout.

Kumu does not read GraphML or GEXF; it imports a workbook with an "Elements"
sheet (ID, Label, Type, …) and a "Connections" sheet (From, To, Type, Strength,
…), matching elements by ID so that importing again updates rather than
duplicates.
"""

from __future__ import annotations

import io

import networkx as nx
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

ELEMENT_FIELDS = [
    ("kind", "Kind"),
    ("county", "County"),
    ("county_number", "County number"),
    ("municipality_number", "Municipality number"),
    ("org_number", "Organisation number"),
    ("ror_id", "ROR id"),
    ("orcid", "ORCID"),
    ("partnerships", "Partnerships"),
    ("partnership_names", "Partnership names"),
    ("activities", "Activities"),
    ("url", "URL"),
]
CONNECTION_FIELDS = [
    ("partnerships", "Partnerships"),
    ("activities", "Activities"),
    ("partnership_names", "Partnership names"),
    ("activity_titles", "Activity titles"),
]


def graphml_bytes(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()


def gexf_bytes(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def cell(value):
    """A value a spreadsheet shows as typed: text that looks like a formula is
    quoted (activity titles are free text), control characters are dropped."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def kumu_xlsx_bytes(graph: nx.Graph) -> bytes:
    workbook = Workbook(write_only=True)
    elements = workbook.create_sheet("Elements")
    elements.append(["ID", "Label", "Type", *(title for _k, title in ELEMENT_FIELDS)])
    for node, data in sorted(graph.nodes(data=True)):
        elements.append(
            [
                cell(v)
                for v in (
                    node,
                    data["label"],
                    data["group"],
                    *(data[k] for k, _t in ELEMENT_FIELDS),
                )
            ]
        )
    connections = workbook.create_sheet("Connections")
    connections.append(
        ["From", "To", "Type", "Strength", *(title for _k, title in CONNECTION_FIELDS)]
    )
    for a, b, data in sorted(graph.edges(data=True)):
        connections.append(
            [
                cell(v)
                for v in (
                    a,
                    b,
                    data["relation"],
                    data["weight"],
                    *(data[k] for k, _t in CONNECTION_FIELDS),
                )
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
