"""The parts of `make bench` that run inside Django, on the benchmark's scratch database.

benchmarks/bench.py runs this file as a subprocess with DATABASE_URL pointing
at the database it built (so one process never holds two configurations),
and reads the JSON it writes:

    python benchmarks/bench_django.py prepare --peer FILE --out FILE
        sizes, raw content, sample records for the URLs, export row counts,
        and the Datasette peer: the same activity rows in a SQLite file of
        their own, with full-text search and the indexes unikom has
    python benchmarks/bench_django.py counts --urls FILE --out FILE
        SQL queries of each URL, through Django's test client (no server)
    python benchmarks/bench_django.py imports --dir DIR --dry-rows N --commit-rows M --out FILE
        generated CSV and XLSX files of new activities, checked (dry run)
        and imported (committed) as `unikom import` does
    python benchmarks/bench_django.py exports [--kind K] [--format F] [--rows N]
            [--rounds R] --out FILE
        one export written in this process R times, as a worker writes it
        (not run by `make bench`, which downloads them from the server): for
        comparing the export code before and after a change, on one machine
        in the same minutes

Nothing here asserts times; the driver compares them with the targets.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402

#: Columns of the Datasette peer's table; the unikom column each mirrors for indexes.
PEER_COLUMNS = {
    "id": "public_id",
    "title": "title",
    "summary": "summary",
    "activity_type": "activity_type",
    "thesis_level": "thesis_level",
    "status": "status",
    "start_date": "start_date",
    "end_date": "end_date",
    "partnerships": None,
    "themes": None,
    "professional_owner": "professional_owner_id",
    "strategic_owner": "strategic_owner_id",
    "funding_source": "funding_source",
    "funding_amount": "funding_amount",
    "cristin_project_id": "cristin_project_id",
    "nfr_project_number": "nfr_project_number",
    "created": "created",
    "updated": "updated",
}


#: Seconds above which a request is counted once (see counts()).
SLOW = 3.0


def write_json(path: str, data) -> None:
    Path(path).write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")


# --- prepare ----------------------------------------------------------------


def checkpoint() -> None:
    """Fold SQLite's write-ahead log into the file, so that its size is the database's."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def database_size() -> int:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return sum(
            p.stat().st_size for p in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if p.exists()
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def raw_content() -> dict:
    """Bytes of every value of every model's table, written out as text.

    This is what the data weighs without the database's own structures (pages,
    indexes, the full-text index's shadow tables, PostgreSQL's tsvector): the
    sum of each stored value's length in its text form (UTF-8), NULL counting
    nothing. Split into the records, their history rows and the search index's
    documents and facets (which repeat the records' text).
    """
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        length = "COALESCE(LENGTH(CAST({} AS BLOB)), 0)"
    else:
        length = "COALESCE(OCTET_LENGTH(CAST({} AS TEXT)), 0)"
    parts = {"records": 0, "history": 0, "search index": 0}
    rows = dict.fromkeys(parts, 0)
    seen = set()
    existing = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        if meta.db_table not in existing:
            continue
        seen.add(meta.db_table)
        columns = [f.column for f in meta.local_concrete_fields]
        total = " + ".join(length.format(quote(c)) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), SUM({total}) FROM {quote(meta.db_table)}")  # noqa: S608
            count, size = cursor.fetchone()
        if meta.model_name.startswith("historical"):
            part = "history"
        elif meta.app_label == "search":
            part = "search index"
        else:
            part = "records"
        parts[part] += int(size or 0)
        rows[part] += int(count)
    return {"bytes": parts, "rows": rows, "tables": len(seen)}


def live(queryset):
    names = {f.name for f in queryset.model._meta.get_fields()}
    if "deleted_at" in names:
        queryset = queryset.filter(deleted_at__isnull=True)
    if "is_public" in names:
        queryset = queryset.filter(is_public=True)
    return queryset


def samples() -> dict:
    """The records the URLs name: ordinary ones, chosen the same way on every run."""
    from django.db.models import Count, F

    from activities.models import Activity
    from events.models import Event
    from needs.models import Need
    from organisations.models import Organisation, Person
    from partnerships.models import Membership, Partnership

    partnerships = Partnership.objects.filter(deleted_at__isnull=True)
    synthetic = partnerships.filter(slug__startswith="synth-").order_by("pk")
    if not synthetic.exists():
        synthetic = partnerships.order_by("pk")
    first = synthetic.first().slug
    ordered = list(synthetic.values_list("slug", flat=True)[:3])
    ordered += [first] * (3 - len(ordered))
    # The variant of a partnership's pages: the busiest one (most activities).
    biggest = (
        synthetic.annotate(n=Count("activities")).order_by("-n", "pk").values_list("slug")[0][0]
    )
    lead = (
        Membership.objects.filter(partnership__slug=first, role="lead")
        .select_related("organisation")
        .first()
    )
    municipalities = Organisation.objects.municipalities()
    municipality = lead.organisation if lead else municipalities.first()
    other_municipality = (
        municipalities.exclude(pk=municipality.pk)
        .order_by(F("population").desc(nulls_last=True), "pk")
        .first()
    )
    academic = Organisation.objects.filter(kind__in=["university", "university_college"])
    institution = (
        academic.filter(
            memberships__partnership__slug=first, memberships__role="academic_partner"
        ).first()
        or academic.order_by("pk").first()
    )
    other_institution = academic.exclude(pk=institution.pk).order_by("pk").first() or institution
    activities = live(Activity.objects.all()).order_by("pk")
    activity = activities.filter(activity_type="research_project").first() or activities.first()
    other_activity = activities.filter(activity_type="student_thesis").first() or activities.last()
    needs = live(Need.objects.all()).order_by("pk")
    need = needs.first()
    # Another need in the same state: an open need's page shows its matches, a closed one not.
    other_need = needs.filter(status=need.status).exclude(pk=need.pk).last() if need else None
    events = live(Event.objects.all()).order_by("pk")
    people = live(Person.objects.all()).order_by("pk")
    researchers = people.filter(
        affiliations__organisation__kind__in=["university", "university_college"]
    ).distinct()
    researcher = researchers.first() or people.first()
    other_researcher = researchers.exclude(pk=researcher.pk).last() if researcher else None
    pick = {
        "p": first,
        "p2": ordered[1] if len(ordered) > 1 else first,
        "p3": ordered[2] if len(ordered) > 2 else first,
        "p_big": biggest,
        "municipality": municipality.url_key,
        "municipality2": other_municipality.url_key,
        "municipality_slug": municipality.slug,
        "institution": institution.url_key,
        "institution2": other_institution.url_key,
        "institution_slug": institution.slug,
        "institution2_slug": other_institution.slug,
        "a": str(activity.public_id),
        "a2": str(other_activity.public_id),
        "n": str(need.public_id) if need else "",
        "n2": str((other_need or need).public_id) if need else "",
        "e": str(events.first().public_id) if events.exists() else "",
        "e2": str(events.last().public_id) if events.exists() else "",
        "person": str(researcher.public_id) if researcher else "",
        "person2": str((other_researcher or researcher).public_id) if researcher else "",
        "type": "research_project",
        "type2": "phd",
    }
    return pick


def export_rows() -> dict:
    """Records in each full export, as an anonymous visitor gets it."""
    from django.http import QueryDict

    from opendata.exports import QUERYSETS

    return {
        kind: build(QueryDict(""), AnonymousUser()).count() for kind, build in QUERYSETS.items()
    }


def unikom_indexes() -> list[list[tuple[str, str]]]:
    """(column, ASC/DESC) of each index on unikom's activity table."""
    from activities.models import Activity

    table = Activity._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = []
    for info in constraints.values():
        if not (info.get("index") or info.get("unique")) or info.get("primary_key"):
            continue
        columns = info.get("columns") or []
        orders = info.get("orders") or ["ASC"] * len(columns)
        found.append([(c, o or "ASC") for c, o in zip(columns, orders, strict=False) if c])
    return found


def mirrored_indexes() -> list[list[tuple[str, str]]]:
    """unikom's indexes on the columns the peer has, in the same order and direction.

    Columns the peer has no counterpart for are left out: ``is_public`` and
    ``deleted_at`` (the peer holds only public, live activities, which is what
    unikom's partial indexes select) and the integer ``id`` (the peer's rows
    are in id order, and SQLite ends every index with the rowid).
    """
    reverse = {unikom: peer for peer, unikom in PEER_COLUMNS.items() if unikom}
    found = []
    for index in unikom_indexes():
        parts = [(reverse[c], o) for c, o in index if c in reverse and reverse[c] != "id"]
        if parts and parts not in found:
            found.append(parts)
    return found


def build_peer(path: Path) -> dict:
    """The activities an anonymous visitor sees, one row each, in a SQLite file for Datasette.

    The row holds what the activity's page and API show at the first level:
    its fields, its partnerships and themes by name, its owners by name. The
    table gets an index wherever unikom's activity table has one (on the
    columns it mirrors), an external-content FTS5 table over title and summary
    (what `sqlite-utils enable-fts` makes), and ANALYZE, as unikom's data gets
    after `unikom synth`.
    """
    from activities.models import Activity

    started = time.perf_counter()
    activities = live(Activity.objects.all()).order_by("pk")
    through_p = Activity.partnerships.through
    through_t = Activity.themes.through
    names_p = defaultdict(list)
    for activity_id, name in through_p.objects.order_by("partnership__name").values_list(
        "activity_id", "partnership__name"
    ):
        names_p[activity_id].append(name)
    names_t = defaultdict(list)
    for activity_id, name in through_t.objects.order_by("theme__name").values_list(
        "activity_id", "theme__name"
    ):
        names_t[activity_id].append(name)
    if path.exists():
        path.unlink()
    peer = sqlite3.connect(path)
    peer.execute("PRAGMA journal_mode=WAL")
    columns = ", ".join(
        f"{name} TEXT PRIMARY KEY" if name == "id" else f"{name} {kind}"
        for name, kind in (
            (c, "INTEGER" if c == "funding_amount" else "TEXT") for c in PEER_COLUMNS
        )
    )
    peer.execute(f"CREATE TABLE activities ({columns})")
    fields = (
        "pk",
        "public_id",
        "title",
        "summary",
        "activity_type",
        "thesis_level",
        "status",
        "start_date",
        "end_date",
        "professional_owner__name",
        "strategic_owner__name",
        "funding_source",
        "funding_amount",
        "cristin_project_id",
        "nfr_project_number",
        "created",
        "updated",
    )
    insert = (
        f"INSERT INTO activities ({', '.join(PEER_COLUMNS)}) "  # noqa: S608 - our own names
        f"VALUES ({', '.join('?' for _ in PEER_COLUMNS)})"
    )
    batch = []
    count = 0
    for row in activities.values_list(*fields).iterator(chunk_size=5000):
        value = dict(zip(fields, row, strict=True))
        batch.append(
            (
                str(value["public_id"]),
                value["title"],
                value["summary"],
                value["activity_type"],
                value["thesis_level"],
                value["status"],
                value["start_date"].isoformat() if value["start_date"] else None,
                value["end_date"].isoformat() if value["end_date"] else None,
                "; ".join(names_p.get(value["pk"], [])),
                "; ".join(names_t.get(value["pk"], [])),
                value["professional_owner__name"],
                value["strategic_owner__name"],
                value["funding_source"],
                int(value["funding_amount"]) if value["funding_amount"] is not None else None,
                value["cristin_project_id"],
                value["nfr_project_number"],
                value["created"].isoformat(),
                value["updated"].isoformat(),
            )
        )
        if len(batch) == 5000:
            peer.executemany(insert, batch)
            count += len(batch)
            batch = []
    peer.executemany(insert, batch)
    count += len(batch)
    mirrored = mirrored_indexes()
    for i, parts in enumerate(mirrored):
        columns = ", ".join(f"{c} DESC" if o == "DESC" else c for c, o in parts)
        peer.execute(f"CREATE INDEX idx_{i} ON activities ({columns})")
    peer.execute(
        'CREATE VIRTUAL TABLE activities_fts USING fts5(title, summary, content="activities")'
    )
    peer.execute("INSERT INTO activities_fts(activities_fts) VALUES('rebuild')")
    peer.commit()
    peer.execute("ANALYZE")
    peer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    peer.commit()
    peer.close()
    return {
        "rows": count,
        "indexes": [[f"{c} {o}" if o == "DESC" else c for c, o in p] for p in mirrored],
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 1),
    }


def prepare(args) -> None:
    checkpoint()
    started = time.perf_counter()
    content = raw_content()
    result = {
        "vendor": connection.vendor,
        "server_version": server_version(),
        "database_bytes": database_size(),
        "raw_content": content,
        "raw_content_seconds": round(time.perf_counter() - started, 1),
        "samples": samples(),
        "export_rows": export_rows(),
        "peer": build_peer(Path(args.peer)),
    }
    write_json(args.out, result)


def server_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- counts -----------------------------------------------------------------


def counts(args) -> None:
    """SQL statements per request, through Django's test client.

    Two counts per URL. *Full*: with Django's cache emptied first, so that a
    page kept until the data changes (core.cache) is computed — the dearer case,
    as tests.support.testing.query_counts counts; taken after one request has warmed what
    a process caches on its first request (content types, translations). *Kept*:
    the request after that, served from what the first one kept. A request slower
    than SLOW seconds is not repeated for the full count: its first request,
    with the cache emptied, is counted (at national scale the report and the
    network files would otherwise add minutes; the process is warm by then). A
    streamed response is read to its end inside the count.
    """
    from django.core import signals
    from django.core.cache import cache
    from django.db import close_old_connections
    from django.test import Client

    from tests.support.testing import count_queries

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    urls = json.loads(Path(args.urls).read_text(encoding="utf-8"))
    full, kept = {}, {}

    def fetch(url):
        response = client.get(url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response

    def counted(url: str) -> int | str:
        status = []
        queries = count_queries(lambda: status.append(fetch(url).status_code))
        return queries if status == [200] else f"HTTP {status[0]}"

    for url in urls:
        seconds = 0.0
        try:
            cache.clear()
            started = time.perf_counter()
            first = counted(url)
            seconds = time.perf_counter() - started
            kept[url] = counted(url)
            if seconds < SLOW:
                cache.clear()
                full[url] = counted(url)
            else:
                full[url] = first
        except Exception as error:  # noqa: BLE001 - reported in the table, not fatal
            full[url] = kept[url] = f"{type(error).__name__}: {error}"[:200]
        print(
            f"{full[url]} queries ({kept[url]} kept): {url} ({seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )
    write_json(args.out, {"full": full, "kept": kept})


# --- imports ----------------------------------------------------------------

HEADER = [
    "title",
    "summary",
    "activity_type",
    "status",
    "start_date",
    "end_date",
    "funding_source",
    "funding_amount",
    "partnerships",
    "themes",
    "professional_owner",
    "strategic_owner",
    "organisations",
]
TOPICS = [
    "velferdsteknologi i hjemmetjenesten",
    "legemiddelhåndtering i sykehjemmet",
    "tidlig innsats i barnehagen",
    "psykisk helse blant unge",
    "klimatilpasning i arealplanleggingen",
    "digital samhandling med fastlegene",
]
TYPES = ["research_project", "innovation_project", "network", "knowledge_summary"]


def import_rows(n: int) -> list[list[str]]:
    """``n`` new activities in unikom's export columns, tied to synthetic partnerships."""
    from partnerships.models import Membership

    members = defaultdict(dict)
    for slug, role, number, org_slug in (
        Membership.objects.filter(partnership__deleted_at__isnull=True)
        .filter(role__in=["lead", "academic_partner"])
        .order_by("partnership__pk", "pk")
        .values_list(
            "partnership__slug", "role", "organisation__municipality_number", "organisation__slug"
        )
    ):
        members[slug].setdefault(role, number or org_slug)
        if role == "academic_partner":
            members[slug].setdefault("academic_slug", org_slug)
    usable = [(s, m) for s, m in members.items() if "lead" in m and "academic_slug" in m]
    from partnerships.models import Partnership

    themes = dict(
        Partnership.objects.filter(slug__in=[s for s, _ in usable]).values_list(
            "slug", "themes__slug"
        )
    )
    rows = []
    for i in range(n):
        slug, m = usable[i % len(usable)]
        topic = TOPICS[i % len(TOPICS)]
        rows.append(
            [
                f"Importert prosjekt {i + 1}: {topic}",
                f"Et importert prosjekt om {topic}, med ansatte og forskere sammen.",
                TYPES[i % len(TYPES)],
                "ongoing",
                f"{1 + i % 28:02d}.0{1 + i % 9}.2024",
                "31.12.2027",
                "Norges forskningsråd" if i % 3 == 0 else "",
                f"{1 + i % 97} 000 000" if i % 3 == 0 else "",
                slug,
                themes.get(slug) or "",
                m["lead"],
                m["lead"] if i % 2 else "",
                f"partner:{m['academic_slug']}",
            ]
        )
    return rows


def write_csv(path: Path, rows) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, rows) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("activities")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def timed_import(path: Path, user, *, dry_run: bool) -> dict:
    """What `unikom import PATH --user … [--dry-run]` does, timed from reading the file."""
    from django.urls import get_resolver

    from imports.models import ImportBatch
    from imports.service import Options, check, commit
    from imports.sources import read_file

    # A server has its URLs loaded before the first request; `unikom import` loads
    # them once, like the rest of Django, when it writes the search index.
    get_resolver().url_patterns  # noqa: B018
    started = time.perf_counter()
    raw = path.read_bytes()
    table, source_format = read_file(raw, path.name, "auto")
    options = Options(user=user)
    if dry_run:
        report = check(table, "activities", path.name, options)
    else:
        batch = ImportBatch(
            user=user,
            kind="activities",
            source_format=source_format,
            filename=path.name,
            size=len(raw),
            options={"partnerships": ""},
        )
        report = commit(table, "activities", batch, options)
    seconds = time.perf_counter() - started
    return {
        "file": path.name,
        "bytes": len(raw),
        "rows": report.rows,
        "created": report.created,
        "problems": [str(p) for p in report.problems[:5]],
        "problem_count": len(report.problems),
        "proposals": len(report.proposals),
        "written": report.written,
        "seconds": round(seconds, 3),
        "rows_per_second": round(report.rows / seconds, 1) if seconds else None,
    }


def imports(args) -> None:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-import", defaults={"is_superuser": True, "is_staff": True}
    )
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    dry = import_rows(args.dry_rows)
    write_csv(folder / "activities-dry.csv", dry)
    write_xlsx(folder / "activities-dry.xlsx", dry)
    committed = import_rows(args.commit_rows)
    # Other titles than the dry run's: the file must hold only new activities.
    committed = [[f"{row[0]} (skrevet)", *row[1:]] for row in committed]
    write_csv(folder / "activities-commit.csv", committed)
    result = {
        "dry_run_csv": timed_import(folder / "activities-dry.csv", user, dry_run=True),
        "dry_run_xlsx": timed_import(folder / "activities-dry.xlsx", user, dry_run=True),
        "commit_csv": timed_import(folder / "activities-commit.csv", user, dry_run=False),
    }
    write_json(args.out, result)


def exports(args) -> None:
    """One export written in this process ``rounds`` times, as a server's
    worker writes it (the process's objects frozen out of the garbage
    collector's way, as ``unikom serve`` does): seconds and rows per second."""
    import gc

    from django.urls import get_resolver
    from django.utils import timezone

    from opendata import exports as selecting
    from opendata import formats
    from opendata.columns import ExportContext

    get_resolver().url_patterns  # noqa: B018 (as the server loads it before forking)
    gc.collect()
    gc.freeze()
    runs = []
    for _ in range(args.rounds):
        selection = selecting.select(args.kind, {}, AnonymousUser())
        if args.rows:
            selection.keys = selection.keys[: args.rows]
        ctx = ExportContext(user=AnonymousUser(), base_url="http://127.0.0.1")
        started = time.perf_counter()
        if args.format == "csv":
            blocks = formats.chunks(formats.csv_lines(selection, ctx))
        elif args.format == "json":
            blocks = formats.chunks(formats.json_pieces(selection, ctx, timezone.now()))
        else:
            meta = formats.meta(selection, timezone.now(), ctx.base_url)
            blocks = formats.xlsx_stream(selection, ctx, meta)
        size = sum(len(block) for block in blocks)
        seconds = time.perf_counter() - started
        runs.append(
            {
                "rows": selection.count,
                "bytes": size,
                "seconds": round(seconds, 3),
                "rows_per_second": round(selection.count / seconds),
            }
        )
    write_json(args.out, {"kind": args.kind, "format": args.format, "runs": runs})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--peer", required=True)
    p.add_argument("--out", required=True)
    c = sub.add_parser("counts")
    c.add_argument("--urls", required=True)
    c.add_argument("--out", required=True)
    i = sub.add_parser("imports")
    i.add_argument("--dir", required=True)
    i.add_argument("--dry-rows", type=int, required=True)
    i.add_argument("--commit-rows", type=int, required=True)
    i.add_argument("--out", required=True)
    e = sub.add_parser("exports")
    e.add_argument("--kind", default="activities")
    e.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
    e.add_argument("--rows", type=int, default=0, help="the first N rows only (0: all)")
    e.add_argument("--rounds", type=int, default=3)
    e.add_argument("--out", required=True)
    args = parser.parse_args()
    tasks = {"prepare": prepare, "counts": counts, "imports": imports, "exports": exports}
    tasks[args.task](args)


if __name__ == "__main__":
    main()
