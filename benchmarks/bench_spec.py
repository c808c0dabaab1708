"""What `make bench` requests, and the target each measurement is held to.

URLs are templates filled with the sample records of the scratch database
(bench_django.samples): ``{p}`` a synthetic partnership, ``{a}`` an activity,
and so on. Datasette serves the peer file as database ``db`` (file db.db).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Targets (issue 11, item 4).
PAGE_P95_MS = 200
INSIGHTS_P95_MS = 300
REPORT_P95_MS = 2000
RATIO = 1.0
SEARCH_RATIO = 1.5
EXPORT_FIRST_BYTE_MS = 1000
EXPORT_ROWS_PER_S = 20_000
#: An export needs this many rows before its rate says anything.
EXPORT_RATE_MIN_ROWS = 10_000
WORKER_RSS_MB = 250
IMPORT_DRY_ROWS_PER_S = 5_000
IMPORT_COMMIT_ROWS_PER_S = 1_000
REINDEX_S = 60
SIZE_RATIO = 2.0


@dataclass(frozen=True)
class Peer:
    url: str
    ratio: float | None  # None: shown for information, no target
    note: str = ""


@dataclass(frozen=True)
class Request:
    url: str
    group: str
    p95_ms: float | None = PAGE_P95_MS
    peers: tuple[Peer, ...] = ()
    #: Another record or page of the same view: its query count must be the same.
    variant: str | None = None
    #: Counted on this URL instead (a full national export takes minutes in-process).
    count_url: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Export:
    url: str
    kind: str  # the export's kind, for its row count; "" = counted from the body
    #: Where its queries are counted: None = the export itself, "" = not counted.
    count_url: str | None = None


LIST_SORT = "_sort_desc=start_date"  # unikom lists the newest first, by start date

PAIRS = [
    Request(
        "/activities/?type={type}",
        "pair",
        None,
        (Peer(f"/db/activities?activity_type={{type}}&{LIST_SORT}", RATIO),),
        variant="/activities/?type={type2}",
    ),
    Request(
        "/api/activities/?type={type}",
        "pair",
        None,
        (Peer(f"/db/activities.json?activity_type={{type}}&{LIST_SORT}", RATIO),),
        variant="/api/activities/?type={type2}",
    ),
    Request(
        "/activities/{a}/",
        "pair",
        None,
        (Peer("/db/activities/{a}", RATIO),),
        variant="/activities/{a2}/",
        note="with related work",
    ),
    Request(
        "/api/activities/{a}/",
        "pair",
        None,
        (Peer("/db/activities/{a}.json", RATIO),),
        variant="/api/activities/{a2}/",
    ),
    Request(
        "/activities/",
        "pair",
        None,
        (Peer(f"/db/activities?_facet=activity_type&_facet=status&{LIST_SORT}", RATIO),),
        variant="/activities/?page=3",
        note="counts by type",
    ),
    Request(
        "/search/?q=sykehjem",
        "pair",
        None,
        (
            Peer("/db/activities?_search=sykehjem", SEARCH_RATIO),
            Peer(
                "/db/activities?_search=sykehjem*&_searchmode=raw",
                None,
                "prefix: every form, as unikom's stemming finds",
            ),
        ),
        variant="/search/?q=velferdsteknologi",
    ),
]

PAGES = [
    Request("/", "page"),
    Request("/partnerships/", "page"),
    Request("/partnerships/?kind=cluster&sort=-municipalities", "page"),
    Request("/partnerships/{p}/", "page", variant="/partnerships/{p_big}/"),
    Request("/partnerships/{p}/portfolio/", "page", variant="/partnerships/{p_big}/portfolio/"),
    Request("/compare/?p={p}&p={p2}&p={p3}", "page"),
    Request("/organisations/", "page"),
    Request("/organisations/{municipality}/", "page", variant="/organisations/{municipality2}/"),
    Request(
        "/organisations/{municipality}/portfolio/",
        "page",
        variant="/organisations/{municipality2}/portfolio/",
    ),
    Request("/people/", "page"),
    Request("/activities/?type={type}&status=ongoing", "page"),
    Request("/research-needs/", "page"),
    Request("/events/", "page"),
    Request("/events/{e}/", "page", variant="/events/{e2}/"),
    Request("/events.ics", "page", note="calendar feed of every upcoming event"),
    Request("/partnerships/{p}/events.ics", "page"),
    Request("/concepts/", "page"),
    Request("/about-the-compilation/", "page"),
    Request("/open-data/", "page"),
]

DISCOVERY = [
    Request("/search/?q=velferdsteknologi+sykehjem", "discovery"),
    Request("/search/?q=%22psykisk+helse%22", "discovery"),
    Request("/search/?q=barnev*", "discovery"),
    Request("/search/?q=sykehjem&kind=activity", "discovery"),
    Request("/research-needs/{n}/", "discovery", variant="/research-needs/{n2}/", note="matches"),
    Request(
        "/organisations/{institution}/",
        "discovery",
        variant="/organisations/{institution2}/",
        note="open needs for its expertise",
    ),
    Request("/people/{person}/", "discovery", variant="/people/{person2}/"),
]

INSIGHTS = [
    Request("/insights/gaps/", "insights", INSIGHTS_P95_MS),
    Request("/insights/motor-municipalities/", "insights", INSIGHTS_P95_MS),
    Request("/network/", "insights", INSIGHTS_P95_MS),
    Request("/report/", "insights", REPORT_P95_MS),
]

API = [
    Request("/api/", "api"),
    Request("/api/partnerships/", "api"),
    Request("/api/partnerships/{p}/", "api", variant="/api/partnerships/{p_big}/"),
    Request("/api/organisations/", "api"),
    Request(
        "/api/organisations/{institution_slug}/",
        "api",
        variant="/api/organisations/{institution2_slug}/",
    ),
    Request("/api/activities/", "api"),
    Request("/api/activities/?status=ongoing&ordering=title", "api"),
    Request("/api/needs/", "api"),
    Request("/api/needs/{n}/", "api", variant="/api/needs/{n2}/"),
    Request("/api/events/", "api"),
    Request("/api/events/{e}/", "api", variant="/api/events/{e2}/"),
    Request("/api/people/", "api"),
    Request("/api/people/{person}/", "api", variant="/api/people/{person2}/"),
    Request("/api/themes/", "api"),
    Request("/api/memberships/", "api"),
    Request("/api/agreements/", "api"),
    Request("/api/anchorings/", "api"),
    Request("/api/schema/", "api"),
    # The floor of any request: gunicorn's sync worker, the middleware and one query.
    Request("/healthz", "api", note="the floor: the middleware and one query"),
]

REQUESTS = PAIRS + PAGES + DISCOVERY + INSIGHTS + API

GROUPS = {
    "pair": "Compared with Datasette",
    "page": "Pages",
    "discovery": "Search, related work and matching",
    "insights": "Insights, network and report",
    "api": "API",
}

KINDS = [
    "partnerships",
    "memberships",
    "organisations",
    "people",
    "affiliations",
    "activities",
    "needs",
    "events",
    "themes",
]
#: Queries of the full activities exports are counted on one partnership's activities:
#: the same code and the same number of queries, in a second instead of a minute.
ONE_PARTNERSHIP = "?partnership={p}"
EXPORTS = [
    *(
        Export(f"/export/{kind}.csv", kind, None)
        if kind != "activities"
        else Export("/export/activities.csv", kind, "/export/activities.csv" + ONE_PARTNERSHIP)
        for kind in KINDS
    ),
    *(
        Export(
            f"/export/activities.{fmt}", "activities", f"/export/activities.{fmt}{ONE_PARTNERSHIP}"
        )
        for fmt in ("xlsx", "json", "jsonld")
    ),
    # Rows counted from the body; the archive's queries are not counted (minutes in-process).
    Export("/open-data/unikom-open-data.zip", "", ""),
    Export("/network.graphml", ""),
    Export("/network.gexf", ""),
]
