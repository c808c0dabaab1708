"""The numbers a coordinator reads off the network.

Plain functions over the graph from ``network.graph``: size and density, the
organisations that bridge otherwise separate groups (betweenness centrality and
articulation points), the groups themselves (connected components), and the
municipalities that collaborate without any knowledge institution — or not at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from organisations.models import Organisation

from .graph import KNOWLEDGE, PERSON, NetworkFilters

#: Above this many nodes betweenness is estimated from this many sampled sources
#: (seeded, so the page is stable); below, it is exact.
EXACT_BETWEENNESS_LIMIT = 800
BETWEENNESS_SAMPLES = 400
TOP_BRIDGES = 10


@dataclass
class Split:
    """What removing one node does to its group."""

    node: str
    label: str
    url: str
    group_size: int
    parts: list[int]

    @property
    def cut_off(self) -> int:
        """Nodes that lose every path to the largest remaining part."""
        return sum(self.parts[1:])


def summary(graph: nx.Graph) -> dict:
    organisations = [n for n, d in graph.nodes(data=True) if d["kind"] != PERSON]
    return {
        "nodes": graph.number_of_nodes(),
        "organisations": len(organisations),
        "people": graph.number_of_nodes() - len(organisations),
        "edges": graph.number_of_edges(),
        "components": nx.number_connected_components(graph),
        "isolated": nx.number_of_isolates(graph),
        "density": nx.density(graph) if graph.number_of_nodes() > 1 else 0.0,
    }


def betweenness(graph: nx.Graph) -> dict[str, float]:
    """Share of shortest paths between other pairs that pass through each node.

    Unweighted on purpose: a weight would be read as a distance, making strong
    ties look long.
    """
    n = graph.number_of_nodes()
    if n > EXACT_BETWEENNESS_LIMIT:
        return nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLES, seed=7)
    return nx.betweenness_centrality(graph)


def articulation_splits(graph: nx.Graph) -> list[Split]:
    """Every node whose removal splits its group, with the sizes of the pieces.

    Ordered by how many nodes would be cut off from the largest piece.
    """
    component_of = {}
    for component in nx.connected_components(graph):
        for node in component:
            component_of[node] = component
    splits = []
    for node in nx.articulation_points(graph):
        rest = component_of[node] - {node}
        parts = sorted(
            (len(c) for c in nx.connected_components(graph.subgraph(rest))), reverse=True
        )
        data = graph.nodes[node]
        splits.append(Split(node, data["label"], data["url"], len(rest) + 1, parts))
    splits.sort(key=lambda s: (-s.cut_off, s.label))
    return splits


def bridges(graph: nx.Graph, scores: dict[str, float], splits: list[Split]) -> list[dict]:
    """The top nodes by betweenness, with what removing them would split."""
    split_of = {s.node: s for s in splits}
    ranked = sorted(
        (n for n, score in scores.items() if score > 0),
        key=lambda n: (-scores[n], graph.nodes[n]["label"]),
    )[:TOP_BRIDGES]
    return [
        {
            "node": n,
            "data": graph.nodes[n],
            "betweenness": scores[n],
            "percent": round(scores[n] * 100, 1),
            "degree": graph.degree(n),
            "split": split_of.get(n),
        }
        for n in ranked
    ]


def components(graph: nx.Graph, *, names: int = 6) -> list[dict]:
    """The separate groups, largest first, with the best-connected members named."""
    rows = []
    for component in nx.connected_components(graph):
        members = sorted(component, key=lambda n: (-graph.degree(n), graph.nodes[n]["label"]))
        groups = Counter(graph.nodes[n]["group"] for n in component)
        rows.append(
            {
                "size": len(component),
                "municipalities": groups["municipality"],
                "knowledge": groups["knowledge"],
                "people": groups[PERSON],
                "named": [graph.nodes[n] for n in members[:names]],
                "more": max(len(members) - names, 0),
            }
        )
    rows.sort(key=lambda r: (-r["size"], r["named"][0]["label"]))
    return rows


def municipalities_without_institution(graph: nx.Graph, filters: NetworkFilters) -> list[dict]:
    """Municipalities in the network with no edge to a knowledge institution.

    They are members of a partnership or take part in an activity, but none of
    the organisations they share one with is a university, university college,
    research institute or hospital/health trust. With a county filter only the
    county's own municipalities are judged: the graph holds just the links of
    the others that touch the county.
    """
    county = filters.county.county_number if filters.county is not None else None
    rows = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "municipality" or county not in (None, data["county_number"]):
            continue
        partners = [graph.nodes[n] for n in graph[node] if graph.nodes[n]["kind"] != PERSON]
        if any(p["kind"] in KNOWLEDGE for p in partners):
            continue
        rows.append(
            {
                "data": data,
                "partners": len(partners),
                "partner_names": sorted(p["label"] for p in partners),
            }
        )
    rows.sort(key=lambda r: (r["data"]["county"], r["data"]["label"]))
    return rows


def municipalities_outside(graph: nx.Graph, filters: NetworkFilters) -> list[dict]:
    """Municipalities with no collaboration under the filters, counted per county (one query)."""
    inside = {d["municipality_number"] for _n, d in graph.nodes(data=True)}
    municipalities = Organisation.objects.municipalities()
    if filters.county is not None:
        municipalities = municipalities.filter(parent=filters.county)
    totals: Counter = Counter()
    outside: Counter = Counter()
    for number, county in municipalities.values_list("municipality_number", "parent__name"):
        county = county or ""
        totals[county] += 1
        if number not in inside:
            outside[county] += 1
    return [
        {"county": county, "outside": outside[county], "total": totals[county]}
        for county in sorted(totals)
    ]


def analyse(graph: nx.Graph, filters: NetworkFilters) -> dict:
    scores = betweenness(graph)
    splits = articulation_splits(graph)
    outside = municipalities_outside(graph, filters)
    return {
        "summary": summary(graph),
        "betweenness": scores,
        "sampled": graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT,
        "bridges": bridges(graph, scores, splits),
        "splits": splits,
        "components": components(graph),
        "without_institution": municipalities_without_institution(graph, filters),
        "outside": outside,
        "outside_total": sum(r["outside"] for r in outside),
        "municipality_total": sum(r["total"] for r in outside),
    }
