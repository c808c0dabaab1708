"""Page speed at national scale: every municipality in a partnership.

Builds a throw-away database (SQLite by default, or BENCH_DATABASE_URL),
loads the reference data and the bundled dataset, adds synthetic clusters
until all 357 municipalities are members, then requests each page repeatedly
and prints the median time and the number of SQL queries.

    python benchmarks/pages.py [--rounds 20] [--scale small|national|x10]

With ``--scale`` the data is the synthetic set of `unikom synth` at that
scale (synth.generator.load, seed 1) instead of the clusters and 20
activities per partnership. Reference data comes from UNIKOM_REFDATA_DIR,
else ../shared/data/ref.
Numbers are for docs/benchmarks.md; tests never assert times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="unikom-bench-")
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{TMP}/bench.sqlite3"
)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["UNIKOM_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core import signals  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from organisations.models import Organisation  # noqa: E402
from organisations.refdata import load_directory  # noqa: E402
from partnerships.dataset import load_bundled  # noqa: E402
from partnerships.models import Membership, Partnership  # noqa: E402
from tests.support.testing import add_partnerships, count_queries, get_ok, refdata_dir  # noqa: E402

PAGES = [
    "/insights/gaps/",
    "/insights/motor-municipalities/",
    "/report/",
    "/activities/",
    "/activities/?type=research_project&status=ongoing",
    "/partnerships/{p}/portfolio/",
    "/research-needs/",
    "/events/",
    "/events.ics",
    "/",
    "/partnerships/",
    "/partnerships/?kind=cluster&sort=-municipalities",
    "/partnerships/kunnskapskommunen-helseomsorg-vest/",
    "/compare/?p=usn-drammen&p=alesund&p=kunnskapskommunen-helseomsorg-vest&p={p}",
    "/organisations/",
    "/organisations/ntnu/",
    "/organisations/4601/",
    "/network/",
    "/network.graphml",
    "/api/activities/",
    "/api/activities/?status=ongoing&ordering=title",
    "/api/partnerships/",
    "/export/activities.csv",
    "/export/activities.xlsx",
    "/export/partnerships.jsonld",
    "/open-data/unikom-open-data.zip",
]


def build(scale: str | None = None) -> None:
    call_command("migrate", verbosity=0)
    load_directory(Path(os.environ.get("UNIKOM_REFDATA_DIR") or refdata_dir()))
    load_bundled()
    if scale:
        from synth import generator

        result = generator.load(scale, seed=1)
        generator.optimize()
        print(
            f"unikom synth --scale {scale} --seed 1: {result.total_rows:,} rows in "
            f"{result.seconds:.1f} s ({result.rows_per_second:,.0f} rows/s)"
        )
        return
    spare = (
        Organisation.objects.municipalities()
        .exclude(pk__in=Organisation.objects.in_partnerships())
        .order_by("municipality_number")
    )
    add_partnerships(-(-spare.count() // 3), members=3, municipalities=spare)
    ntnu = Organisation.objects.get(short_name="NTNU")
    for p in Partnership.objects.filter(slug__startswith="test-partnership-")[:60]:
        p.memberships.create(organisation=ntnu, role="academic_partner")
    add_workspace(ACTIVITIES_PER_PARTNERSHIP)


ACTIVITIES_PER_PARTNERSHIP = 20
TYPES = ["research_project", "public_sector_phd", "student_thesis", "innovation_project"]


def add_workspace(per_partnership: int) -> None:
    """Activities, needs and events for every partnership: a busy national portfolio."""
    from datetime import timedelta

    from django.utils import timezone

    from activities.models import Activity
    from events.models import Event
    from needs.models import Need

    now = timezone.now()
    for p in Partnership.objects.with_lead():
        lead = p.lead or Organisation.objects.municipalities().first()
        for i in range(per_partnership):
            activity = Activity.objects.create(
                title=f"Prosjekt {i} i {p.name}",
                activity_type=TYPES[i % len(TYPES)],
                status="ongoing",
                professional_owner=lead,
                strategic_owner=lead,
            )
            activity.partnerships.add(p)
        Need.objects.create(
            title=f"Behov i {p.name}",
            description="Kunnskapsbehov.",
            organisation=lead,
            partnership=p,
            suited_for=["thesis"],
        )
        Event.objects.create(
            title=f"Møte i {p.name}",
            kind="seminar",
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=2),
            location="Rådhuset",
            organiser=lead,
            partnership=p,
        )


def fetch(client: Client, url: str) -> None:
    """The whole answer: a streamed export is read to its end."""
    response = get_ok(client, url)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


def measure(client: Client, url: str, rounds: int) -> tuple[float, int]:
    fetch(client, url)
    queries = count_queries(lambda: fetch(client, url))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fetch(client, url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, queries


def main() -> None:
    # As in Django's test client: keep one connection across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--scale",
        choices=["small", "national", "x10"],
        help="load the synthetic set of `unikom synth` at this scale",
    )
    args = parser.parse_args()
    build(args.scale)
    municipalities = Organisation.objects.in_partnerships().filter(kind="municipality").count()
    from activities.models import Activity

    print(
        f"{Partnership.objects.count()} partnerships, {municipalities} member municipalities, "
        f"{Membership.objects.count()} memberships, {Activity.objects.count()} activities; "
        f"database: {connection.vendor}"
    )
    print("| page | median ms | queries |\n|---|---:|---:|")
    client = Client()
    first = Partnership.objects.filter(
        slug__startswith="synth-" if args.scale else "test-partnership-"
    ).order_by("pk")[0]
    for url in PAGES:
        url = url.format(p=first.slug)
        ms, queries = measure(client, url, args.rounds)
        print(f"| `{url}` | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
