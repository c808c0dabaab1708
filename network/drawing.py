"""The network as an SVG drawing, laid out on the server.

A force-directed layout (Fruchterman–Reingold) written out in plain Python,
because networkx's own layouts need NumPy, which the project does not ship. The
layout is seeded, so the same network always looks the same. At national scale
only the best-connected nodes are drawn (the page says so); the tables and the
exports hold every node.
"""

from __future__ import annotations

import math
import random

import networkx as nx
from django.utils.translation import gettext_lazy as _

MAX_DRAWN = 90
LABELLED = 14
LABEL_CHARS = 24
CHAR_WIDTH = 6.5  # px per character at font-size 12, a safe overestimate
WIDTH = 900
HEIGHT = 640
MARGIN = 40
ITERATIONS = 60

#: Colour and shape per group, so that kind is told by shape as well as colour.
GROUPS = {
    "municipality": {"label": _("Municipality"), "colour": "#0b4f7c", "shape": "circle"},
    "knowledge": {"label": _("Knowledge institution"), "colour": "#a4231b", "shape": "square"},
    "public": {"label": _("County or city district"), "colour": "#3c6e1f", "shape": "diamond"},
    "other": {"label": _("Other organisation"), "colour": "#7a4f00", "shape": "triangle"},
    "person": {"label": _("Person"), "colour": "#4d4d4d", "shape": "circle"},
}


def drawn_nodes(graph: nx.Graph, limit: int = MAX_DRAWN) -> list[str]:
    """All nodes, or the ``limit`` best-connected ones (most links first)."""
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), graph.nodes[n]["label"], n))
    return ranked[:limit]


def layout(graph: nx.Graph, *, seed: int = 7, iterations: int = ITERATIONS) -> dict:
    """Positions in the unit square; unlinked groups are held together by a weak pull."""
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    rng = random.Random(seed)  # noqa: S311 (a layout, not a secret)
    pos = {n: [rng.random(), rng.random()] for n in nodes}
    if len(nodes) == 1:
        return {nodes[0]: (0.5, 0.5)}
    k = 1.5 * math.sqrt(1.0 / len(nodes))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    edges = list(graph.edges)
    for _round in range(iterations):
        shift = {n: [0.0, 0.0] for n in nodes}
        for i, a in enumerate(nodes):
            ax, ay = pos[a]
            sa = shift[a]
            for b in nodes[i + 1 :]:
                dx, dy = ax - pos[b][0], ay - pos[b][1]
                d2 = dx * dx + dy * dy or 1e-9
                force = k * k / d2
                sa[0] += dx * force
                sa[1] += dy * force
                sb = shift[b]
                sb[0] -= dx * force
                sb[1] -= dy * force
        for a, b in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy) or 1e-9
            force = d / k
            shift[a][0] -= dx * force
            shift[a][1] -= dy * force
            shift[b][0] += dx * force
            shift[b][1] += dy * force
        for n in nodes:
            x, y = pos[n]
            sx = shift[n][0] + (0.5 - x) * 0.5
            sy = shift[n][1] + (0.5 - y) * 0.5
            length = math.hypot(sx, sy) or 1e-9
            step = min(length, temperature)
            pos[n] = [x + sx / length * step, y + sy / length * step]
        temperature -= cooling
    return {n: tuple(p) for n, p in pos.items()}


def _shape(shape: str, x: float, y: float, r: float) -> dict:
    if shape == "square":
        return {"kind": "rect", "x": round(x - r, 1), "y": round(y - r, 1), "size": round(2 * r, 1)}
    if shape == "diamond":
        points = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
    elif shape == "triangle":
        points = [(x, y - r * 1.3), (x + r * 1.2, y + r), (x - r * 1.2, y + r)]
    else:
        return {"kind": "circle", "x": round(x, 1), "y": round(y, 1), "r": round(r, 1)}
    return {"kind": "polygon", "points": " ".join(f"{px:.1f},{py:.1f}" for px, py in points)}


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def place_labels(items, scores: dict[str, float], graph: nx.Graph) -> dict[str, dict]:
    """Labels for the most central nodes, right of the node or else left, never overlapping.

    ``items`` are (node, (x, y), radius, data); a label that would overlap one
    already placed, in both positions, is left out (the node keeps its <title>).
    """
    ranked = sorted(items, key=lambda i: (-scores.get(i[0], 0), -graph.degree(i[0]), i[0]))
    boxes: list[tuple[float, float, float, float]] = []
    labels = {}
    for node, (x, y), r, data in ranked[: LABELLED * 2]:
        if len(labels) == LABELLED:
            break
        text = _short(data.get("short_label", data["label"]))
        width = len(text) * CHAR_WIDTH
        for anchor, left in (("start", x + r + 3), ("end", x - r - 3 - width)):
            box = (left, y - 9, left + width, y + 4)
            inside = box[0] >= 0 and box[2] <= WIDTH
            if inside and not any(_overlap(box, other) for other in boxes):
                boxes.append(box)
                labels[node] = {
                    "text": text,
                    "anchor": anchor,
                    "x": round(x + r + 3 if anchor == "start" else x - r - 3, 1),
                    "y": round(y + 4, 1),
                }
                break
    return labels


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def drawing(graph: nx.Graph, scores: dict[str, float]) -> dict:
    """Geometry for templates/network/_drawing.html."""
    chosen = drawn_nodes(graph)
    sub = graph.subgraph(chosen)
    positions = layout(sub)
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def place(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return (
            MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN),
        )

    placed = {n: place(n) for n in chosen}
    radius = {n: min(4 + math.sqrt(graph.degree(n)), 14) for n in chosen}
    labels = place_labels(
        [(n, placed[n], radius[n], graph.nodes[n]) for n in chosen], scores, graph
    )
    nodes = []
    for n in chosen:
        data = graph.nodes[n]
        x, y = placed[n]
        style = GROUPS[data["group"]]
        nodes.append(
            {
                "id": n,
                "data": data,
                "degree": graph.degree(n),
                "colour": style["colour"],
                "shape": _shape(style["shape"], x, y, radius[n]),
                "label": labels.get(n),
            }
        )
    lines = [
        {
            "x1": round(placed[a][0], 1),
            "y1": round(placed[a][1], 1),
            "x2": round(placed[b][0], 1),
            "y2": round(placed[b][1], 1),
            "width": round(min(0.6 + math.log(d["weight"], 2), 4), 1),
        }
        for a, b, d in sub.edges(data=True)
    ]
    present = {graph.nodes[n]["group"] for n in chosen}
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "nodes": nodes,
        "lines": lines,
        "drawn": len(chosen),
        "total": graph.number_of_nodes(),
        "partial": len(chosen) < graph.number_of_nodes(),
        "legend": [
            {"key": key, **style, "swatch": _shape(style["shape"], 10, 10, 6)}
            for key, style in GROUPS.items()
            if key in present
        ],
    }
