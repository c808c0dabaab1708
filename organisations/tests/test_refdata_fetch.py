"""Downloading reference data: ``fetch`` and ``unikom refdata fetch``.

A tiny HTTP server on 127.0.0.1 answers like SSB KLASS with a few codes built
here, so the tests need no network and say exactly what KLASS would send.
"""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from organisations.choices import OrganisationKind, RecordSource
from organisations.models import Boundary, Organisation
from organisations.refdata import RefdataError, RefdataUnavailable, fetch

pytestmark = pytest.mark.django_db

QUERY = "codesAt?date=2024-01-01"


def codes(*pairs: tuple[str, str]) -> dict:
    return {"codes": [{"code": code, "name": name, "level": "1"} for code, name in pairs]}


MUNICIPALITIES = [
    ("0301", "Oslo"),
    ("4601", "Bergen"),
    ("1818", "Herøy (Nordland)"),
    ("5612", "Guovdageaidnu - Kautokeino"),
    ("9999", "Uoppgitt"),
]
COUNTIES = [
    ("03", "Oslo"),
    ("18", "Nordland - Nordlánnda"),
    ("46", "Vestland"),
    ("56", "Finnmark - Finnmárku - Finmarkku"),
    ("99", "Uoppgitt"),
]
DISTRICTS = [
    ("030101", "Gamle Oslo"),
    ("030102", "Grünerløkka"),
    ("030116", "Sentrum"),  # statistical only: left out
    ("460101", "Arna"),  # a Bergen district: left out
]
SQUARE = [[5.3, 60.3], [5.4, 60.3], [5.4, 60.4], [5.3, 60.4], [5.3, 60.3]]


class Server:
    """Answers GET requests from ``routes``: path -> (status, body bytes)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                status, body = routes.get(self.path, (404, b"{}"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def klass(self, classification: int, data: dict | bytes, status: int = 200) -> None:
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        self.routes[f"/klass/v1/classifications/{classification}/{QUERY}"] = (status, body)

    def serve(self, path: str, data: dict) -> str:
        self.routes[path] = (200, json.dumps(data).encode())
        return self.url + path


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def server(settings) -> Iterator[Server]:
    server = Server()
    server.klass(131, codes(*MUNICIPALITIES))
    server.klass(104, codes(*COUNTIES))
    server.klass(103, codes(*DISTRICTS))
    settings.UNIKOM_KLASS_URL = server.url + "/klass/v1/"
    settings.UNIKOM_BOUNDARIES_URL = ""
    thread = threading.Thread(
        target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_updates_names_from_klass_and_keeps_population(server):
    Organisation.objects.filter(municipality_number="4601").update(official_name="Bjørgvin")
    before = Organisation.objects.get(municipality_number="4601")
    report = fetch(timeout=5)
    bergen = Organisation.objects.get(municipality_number="4601")
    assert (bergen.pk, bergen.official_name, bergen.name) == (before.pk, "Bergen", "Bergen")
    assert bergen.population == before.population
    assert (report.municipalities.updated, report.municipalities.unchanged) == (1, 3)
    assert report.districts.unchanged == 2 and report.institutions.total == 0
    assert "Population is not in SSB KLASS" in report.summary()
    assert any("institutions" in skipped for skipped in report.skipped)


def test_the_norwegian_name_is_kept_where_klass_puts_the_sami_name_first(server):
    fetch()
    kautokeino = Organisation.objects.get(municipality_number="5612")
    assert (kautokeino.name, kautokeino.official_name) == (
        "Kautokeino",
        "Guovdageaidnu - Kautokeino",
    )
    assert Organisation.objects.get(county_number="18").name == "Nordland"


def test_a_new_municipality_in_klass_is_created_without_population(server):
    server.klass(131, codes(*MUNICIPALITIES, ("5699", "Testvik - Testgieddi")))
    report = fetch()
    created = Organisation.objects.get(municipality_number="5699")
    assert (created.name, created.slug, created.population) == ("Testvik", "testvik", None)
    assert created.parent.county_number == "56"
    assert created.record_source == RecordSource.REFDATA
    assert report.municipalities.created == 1


def test_oslo_districts_come_from_klass_103_without_the_statistical_ones(server):
    server.klass(103, codes(*DISTRICTS, ("030199", "Uoppgitt"), ("030116", "Sentrum")))
    fetch()
    assert not Organisation.objects.filter(district_number__in=["030116", "030199"]).exists()
    assert Organisation.objects.filter(kind=OrganisationKind.DISTRICT).count() == 15


def test_boundaries_come_from_the_configured_url(server, settings):
    settings.UNIKOM_BOUNDARIES_URL = server.serve(
        "/kommuner.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"kommunenummer": "4601", "name": "Bergen"},
                    "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
                }
            ],
        },
    )
    report = fetch()
    assert report.boundaries.updated == 1
    path = Boundary.objects.get(organisation__municipality_number="4601").svg_path
    assert path.startswith("M") and path.count("L") == 3 and path.endswith("Z")


def test_bad_codes_from_klass_are_reported_like_bad_rows_and_change_nothing(server):
    server.klass(131, codes(("0301", "Oslo"), ("46011", "Bergen")))
    history = Organisation.history.count()
    with pytest.raises(RefdataError) as raised:
        fetch()
    assert raised.value.errors == [
        "SSB KLASS 131, row 2, column kommunenummer: “46011” is not valid: expected four "
        "digits, e.g. 0301."
    ]
    assert Organisation.history.count() == history


def test_a_dry_run_fetch_writes_nothing(server):
    Organisation.objects.filter(municipality_number="4601").update(official_name="Bjørgvin")
    report = fetch(dry_run=True)
    assert report.municipalities.updated == 1
    assert Organisation.objects.get(municipality_number="4601").official_name == "Bjørgvin"


def test_fetch_says_the_machine_seems_offline_when_nothing_answers(settings, closed_port):
    settings.UNIKOM_KLASS_URL = f"http://127.0.0.1:{closed_port}/api/klass/v1"
    history = Organisation.history.count()
    with pytest.raises(RefdataUnavailable) as raised:
        fetch(timeout=2)
    assert "seems to be offline" in str(raised.value)
    assert "unikom refdata load DIR" in str(raised.value)
    assert Organisation.history.count() == history


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b'{"error": "down"}'), (200, b"<html>maintenance</html>"), (200, b'{"no": "codes"}')],
    ids=["server error", "not JSON", "not KLASS"],
)
def test_fetch_is_unavailable_when_the_server_answers_badly(server, status, body):
    server.klass(104, body, status=status)
    with pytest.raises(RefdataUnavailable, match="unikom refdata load DIR"):
        fetch()


def test_fetch_refuses_an_address_that_is_not_http(settings):
    settings.UNIKOM_KLASS_URL = "file:///etc"
    with pytest.raises(RefdataUnavailable, match="not an http or https address"):
        fetch()


def test_the_fetch_command_prints_the_summary(server):
    out = io.StringIO()
    call_command("refdata", "fetch", "--timeout", "5", stdout=out)
    assert "Municipalities: 0 created, 0 updated, 4 unchanged" in out.getvalue()


def test_the_fetch_command_exits_non_zero_when_offline(settings, closed_port):
    settings.UNIKOM_KLASS_URL = f"http://127.0.0.1:{closed_port}/api/klass/v1"
    with pytest.raises(CommandError, match="seems to be offline"):
        call_command("refdata", "fetch", stdout=io.StringIO())
