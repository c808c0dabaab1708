"""Search, related work and matching at national scale.

Builds a throw-away database as benchmarks/pages.py does (reference data, the
bundled dataset, synthetic partnerships until all 357 municipalities are
members), then loads the judged corpus of discovery/evaluation/ many times
over — each copy in other partnerships, with a sentence naming a member
municipality added to every text — so that there are 2,500+ activities with
varied text, plus needs and researchers. Prints the median time and the
number of SQL queries of the pages that show search results, related work
and matches.

    python benchmarks/discovery.py [--rounds 10] [--copies 27]

BENCH_DATABASE_URL selects PostgreSQL. Numbers are for docs/discovery.md;
tests never assert times.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402, F401  (sets up Django on a throw-away database)
from django.core import signals  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from organisations.models import Organisation  # noqa: E402
from tests.support.testing import add_partnerships, count_queries, get_ok, refdata_dir  # noqa: E402

SEARCHES = ["sykepleiere", "velferdsteknologi sykehjem", '"psykisk helse"', "klima*"]
ADDED = [
    "Arbeidet gjøres sammen med {m}, og resultatene deles med andre kommuner.",
    "{m} kommune deltar med ansatte fra flere tjenester.",
    "Prosjektet bygger på erfaringer fra {m} og nabokommunene.",
    "Innbyggere i {m} er med i utformingen.",
    "",
]


def build(copies: int) -> None:
    from django.core.management import call_command

    from activities.models import Activity, ActivityOrganisation, ActivityPerson
    from discovery.evaluation import read
    from needs.models import Need
    from organisations.models import Affiliation, Person
    from organisations.refdata import load_directory
    from partnerships.dataset import load_bundled
    from partnerships.models import Partnership, Theme
    from search import signals as search_signals
    from search.documents import reindex

    call_command("migrate", verbosity=0)
    load_directory(Path(os.environ.get("UNIKOM_REFDATA_DIR") or refdata_dir()))
    load_bundled()
    spare = (
        Organisation.objects.municipalities()
        .exclude(pk__in=Organisation.objects.in_partnerships())
        .order_by("municipality_number")
    )
    corpus = read("corpus.json")
    rng = random.Random(5)  # noqa: S311 - repeatable variety, not secrets
    with search_signals.paused(), transaction.atomic():
        add_partnerships(-(-spare.count() // 3), members=3, municipalities=spare)
        orgs = {o.slug: o for o in Organisation.objects.all()}
        themes = {t.slug: t for t in Theme.objects.all()}
        partnerships = list(Partnership.objects.prefetch_related("memberships__organisation"))
        for copy in range(copies):
            people = {}
            for row in corpus["people"]:
                person = Person.objects.create(name=f"{row['name']} {copy}")
                Affiliation.objects.create(
                    person=person,
                    organisation=orgs[row["organisation"]],
                    unit=row["unit"],
                    title=row["title"],
                )
                people[row["key"]] = person
            for row in corpus["activities"] + corpus["needs"]:
                p = rng.choice(partnerships)
                members = [m.organisation for m in p.memberships.all()]
                place = rng.choice(members)
                extra = rng.choice(ADDED).format(m=place.name)
                if "summary" in row:
                    a = Activity.objects.create(
                        title=row["title"],
                        summary=f"{row['summary']} {extra}",
                        activity_type=row["type"],
                        thesis_level=row["thesis_level"],
                        professional_owner=place,
                    )
                    a.partnerships.set([p])
                    a.themes.set([themes[s] for s in row["themes"]])
                    for slug in row["organisations"]:
                        ActivityOrganisation.objects.create(
                            activity=a, organisation=orgs[slug], role="partner"
                        )
                    for key, role in row["people"]:
                        ActivityPerson.objects.create(activity=a, person=people[key], role=role)
                else:
                    Need.objects.create(
                        title=row["title"],
                        description=f"{row['description']} {extra}",
                        organisation=place,
                        partnership=p,
                        service_area=themes[row["service_area"]],
                        status=row["status"],
                        suited_for=["thesis"],
                    )
    reindex()
    if connection.vendor == "postgresql":
        # The steady state autovacuum keeps: GIN pending list merged, statistics known.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def measure(client: Client, url: str, rounds: int) -> tuple[float, int]:
    get_ok(client, url)
    queries = count_queries(lambda: get_ok(client, url))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        get_ok(client, url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, queries


def measure_call(fn, rounds: int) -> tuple[float, int]:
    fn()
    queries = count_queries(fn)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, queries


def main() -> None:
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--copies", type=int, default=27)
    args = parser.parse_args()
    started = time.perf_counter()
    build(args.copies)
    from activities.models import Activity
    from needs.models import Need
    from organisations.models import Person
    from search.models import SearchDocument

    municipalities = Organisation.objects.in_partnerships().filter(kind="municipality").count()
    print(
        f"{municipalities} member municipalities, {Activity.objects.count()} activities, "
        f"{Need.objects.count()} needs, {Person.objects.count()} people, "
        f"{SearchDocument.objects.count()} indexed documents; database: {connection.vendor}; "
        f"built in {time.perf_counter() - started:.0f} s"
    )
    activity = Activity.objects.filter(title="Digitalt tilsyn på sykehjem").first()
    need = Need.objects.filter(title__startswith="Hvordan beholde sykepleiere").first()
    person = Person.objects.filter(name__startswith="Ingrid Haugen").first()
    urls = [f"/search/?q={q}" for q in SEARCHES] + [
        activity.get_absolute_url(),
        need.get_absolute_url(),
        "/organisations/usn/",
        "/organisations/ntnu/",
        person.get_absolute_url(),
    ]
    print("| page | median ms | queries |\n|---|---:|---:|")
    client = Client()
    for url in urls:
        ms, queries = measure(client, url, args.rounds)
        print(f"| `{url}` | {ms:.1f} | {queries} |")
    from discovery import matching
    from discovery.related import related_work

    usn = Organisation.objects.prefetch_related("memberships__partnership").get(slug="usn")
    person = Person.objects.prefetch_related("affiliations__organisation").get(pk=person.pk)
    calls = {
        "related_work(activity)": lambda: related_work(activity),
        "matching.for_need(need)": lambda: matching.for_need(need),
        "matching.needs_for_organisation(USN)": lambda: matching.needs_for_organisation(usn),
        "matching.needs_for_person(researcher)": lambda: matching.needs_for_person(person),
    }
    print("\n| discovery alone | median ms | queries |\n|---|---:|---:|")
    for label, fn in calls.items():
        ms, queries = measure_call(fn, args.rounds)
        print(f"| `{label}` | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
