"""The collaboration network at national scale: page, exports and their parts.

Builds the same throw-away national database as benchmarks/pages.py (all 357
municipalities in partnerships, 20 activities per partnership), adds people to
the activities, then prints the median time and query count of the network
page and exports, and the time of each step (graph, numbers, drawing).

    python benchmarks/network.py [--rounds 5]

Numbers are for docs/network.md and docs/benchmarks.md; tests never assert times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (sets up Django and the throw-away database)

PAGES = [
    "/network/",
    "/network/?people=on",
    "/network/?county=50",
    "/network/?theme=helse-og-omsorg&year_from=2015&year_to=2025",
    "/network.graphml",
    "/network.gexf",
    "/network-kumu.xlsx",
]


def add_people() -> None:
    """One public person in every tenth activity, affiliated with its owner."""
    from activities.models import Activity, ActivityPerson
    from organisations.models import Affiliation, Person

    for i, activity in enumerate(Activity.objects.order_by("pk")[::10]):
        person = Person.objects.create(name=f"Forsker {i}")
        ActivityPerson.objects.create(activity=activity, person=person, role="project_leader")
        owner = activity.professional_owner_id
        if owner:
            Affiliation.objects.create(person=person, organisation_id=owner)


def timed(fn, rounds: int) -> tuple[float, object]:
    result, times = None, []
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client

    from network import analysis, drawing
    from network.graph import NetworkFilters, build_graph

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages.build()
    add_people()

    filters = NetworkFilters()
    ms_graph, graph = timed(lambda: build_graph(AnonymousUser(), filters), args.rounds)
    ms_numbers, numbers = timed(lambda: analysis.analyse(graph, filters), args.rounds)
    ms_drawing, _ = timed(lambda: drawing.drawing(graph, numbers["betweenness"]), args.rounds)
    print(
        f"network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
        f"{numbers['summary']['components']} groups; database: {connection.vendor}"
    )
    print(f"graph {ms_graph:.1f} ms, numbers {ms_numbers:.1f} ms, drawing {ms_drawing:.1f} ms")
    print("| page | median ms | queries | KB |\n|---|---:|---:|---:|")
    client = Client()
    for url in PAGES:
        ms, queries = pages.measure(client, url, args.rounds)
        size = len(client.get(url).content) / 1024
        print(f"| `{url}` | {ms:.1f} | {queries} | {size:.0f} |")


if __name__ == "__main__":
    main()
