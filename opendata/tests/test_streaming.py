"""Exports stream a batch at a time and hold exactly what a whole, prefetched read gives.

The batch size is set to 2 (``UNIKOM_EXPORT_BATCH_SIZE``) so that a handful
of records crosses several batch boundaries. The reference for each export is
the plain way: the kind's queryset read in full with its own select_related
and prefetch_related, written with the in-memory writers (``json.dumps`` for
JSON, openpyxl cell by cell for XLSX).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from activities.models import Activity
from opendata import archive, exports, formats, jsonld, views
from opendata import columns as cols
from opendata.tests.conftest import body, read_csv
from organisations.models import Affiliation, Organisation, Person
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db

FIXED = datetime(2025, 3, 4, 9, 30, 15, tzinfo=timezone.get_fixed_timezone(60))
#: The parameters that show every record of a kind (as the archive uses them).
EVERYTHING = {"needs": "status=any", "events": "when=all", "organisations": "scope=all"}


class WholeSelection(exports.Selection):
    """The same records, read the plain way: the whole queryset at once, prefetched."""

    def batches(self):
        yield list(self.queryset)

    def values(self, ctx):
        # From the records, never from the database's own values (opendata.sqlvalues).
        for record in self.records():
            yield cols.row_values(self.kind, record, ctx)


@pytest.fixture(autouse=True)
def small_batches(settings, monkeypatch):
    settings.UNIKOM_EXPORT_BATCH_SIZE = 2
    monkeypatch.setattr(views, "timezone", SimpleNamespace(now=lambda: FIXED))


@pytest.fixture
def rich(make_activity, make_need, make_event, make_person, usn, skien, drammen, theme):
    """Several records of every kind, with what the loaders must get right: related
    records in the trash, private ones, people's posts past and current."""
    from partnerships.models import Partnership, Theme

    own = Partnership.objects.get(slug="usn-drammen")
    trashed_partnership = Partnership.objects.get(slug="usn-skien")
    other_theme = Theme.objects.exclude(pk=theme.pk).order_by("name").first()
    public = make_person(name="Åse Offentlig", contact_public=True, orcid="0000-0002-1825-0097")
    private = make_person(name="Bjørn Privat")
    hidden = make_person(name="Cecilie Skjult", is_public=False)
    gone = make_person(name="Dag Borte")
    Affiliation.objects.create(person=public, organisation=usn, title="Professor")
    Affiliation.objects.create(
        person=public, organisation=skien, valid_to=date(2020, 1, 1), unit="Tidligere"
    )
    Affiliation.objects.create(person=private, organisation=skien, title="=Rådgiver")
    for name in ("Eva Ekstra", "Finn Flere", "Gro Gjest"):
        make_person(name=name, contact_public=name.startswith("E"))
    activities = []
    for i in range(7):
        activities.append(
            make_activity(
                title=f"Aktivitet {i}" if i != 3 else "=SUM(A1) aktivitet",
                activity_type=["research_project", "phd", "student_thesis"][i % 3],
                thesis_level="master" if i % 3 == 2 else "",
                start_date=date(2020 + i, 1, 1) if i % 2 else None,
                end_date=date(2027, 6, 30) if i == 1 else None,
                summary=f"Linje én\nlinje to; {i}",
                funding_amount=Decimal("1250000") if i % 2 else None,
                funding_source="Forskningsrådet" if i % 2 else "",
                strategic_owner=usn if i % 2 else None,
                partnerships=[own] + ([trashed_partnership] if i in (2, 5) else []),
                themes=[theme, other_theme] if i % 2 else [theme],
                roles=[(usn, "partner"), (skien, "funder"), (drammen, "owner")][: i % 4],
                is_public=i != 4,
            )
        )
    make_activity(title="I papirkurven").move_to_trash(None)
    for i in range(5):
        need = make_need(
            title=f"Behov {i}",
            status=["open", "closed", "matched", "open", "in_dialogue"][i],
            contact=[public, private, hidden, gone, None][i],
            deadline=date(2030, 1, i + 1) if i % 2 else None,
            service_area=theme if i % 2 else None,
            is_public=i != 2,
        )
        need.led_to.set(activities[i : i + 2] + [activities[4]])
    for i in range(5):
        make_event(
            title=f"Møte {i}",
            in_days=[10, -10, 20, -20, 30][i],
            partnership=trashed_partnership
            if i == 3
            else Partnership.objects.get(slug="usn-drammen"),
            online_url="https://meet.example.org/x" if i % 2 else "",
            themes=[theme] if i % 2 else [],
            is_public=i != 2,
        )
    gone.move_to_trash(None)
    trashed_partnership.move_to_trash(None)


def _reference(kind: str, fmt: str, query: str, user) -> bytes:
    """The export as the whole queryset read at once and written in memory."""
    ctx = cols.ExportContext(user=user, base_url="http://testserver")
    params = dict(p.split("=", 1) for p in query.split("&") if p)
    prepare = jsonld.prepare if fmt == "jsonld" else None
    selection = exports.select(kind, params, user, prepare=prepare)
    whole = WholeSelection(kind=kind, queryset=selection.queryset, filters=selection.filters)
    if fmt == "csv":
        return formats.csv_text(whole, ctx).encode("utf-8")
    if fmt == "json":
        return formats.dumps(formats.json_document(whole, ctx, FIXED)).encode("utf-8")
    if fmt == "jsonld":
        url = f"http://testserver/export/{kind}.jsonld" + (f"?{query}" if query else "")
        return formats.dumps(jsonld.document(whole, ctx, FIXED, url)).encode("utf-8")
    return _openpyxl_workbook(whole, ctx, formats.meta(whole, FIXED, ctx.base_url))


def _openpyxl_workbook(selection, ctx, meta) -> bytes:
    """The workbook as openpyxl writes it cell by cell (the writer before streaming)."""
    kind = cols.KINDS[selection.kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind.name)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in kind.columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for record in selection.records():
        values = cols.row_values(kind.name, record, ctx)
        sheet.append([formats._xlsx_value(c, values[c.name]) for c in kind.columns])
    about = workbook.create_sheet(title="about")
    for key in ("source", "licence", "attribution", "generated", "count"):
        about.append([key, cols.neutralise(formats._flat(meta[key]))])
    for key, value in meta["filters"].items():
        about.append([f"filter: {key}", cols.neutralise(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(content: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: (
            sheet.freeze_panes,
            [
                [(c.value, c.data_type, c.number_format, bool(c.font.b)) for c in row]
                for row in sheet.iter_rows()
            ],
        )
        for sheet in workbook
    }


CASES = [(kind, fmt) for kind in cols.KINDS for fmt in views.formats_of(kind)]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_export_streams_and_equals_the_whole_read(client, reader, rich, kind, fmt, signed_in):
    user = AnonymousUser()
    if signed_in:
        client.force_login(reader)
        user = reader
    query = EVERYTHING.get(kind, "")
    response = client.get(f"/export/{kind}.{fmt}" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    content = body(response)
    reference = _reference(kind, fmt, query, user)
    if fmt == "xlsx":
        assert _cells(content) == _cells(reference)
    else:
        assert content == reference
    # Several batches were needed (the batch size is 2).
    assert exports.select(kind, dict([query.split("=")]) if query else {}, user).count > 2


def test_a_workbook_starts_before_its_records_are_read(client, make_activity):
    """The national workbook took 23 s to its first byte when it was written to a
    file first; now its opening parts are sent before any activity is read."""
    for i in range(5):
        make_activity(title=f"Arbeid {i}")
    response = client.get("/export/activities.xlsx")
    blocks = iter(response.streaming_content)
    read: list[str] = []

    def log(execute, sql, params, many, context):
        read.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        first = next(blocks)
        assert first.startswith(b"PK\x03\x04")  # a zip file's first member
        assert not [q for q in read if "activities_activity" in q], read
        content = first + b"".join(blocks)
    assert [q for q in read if "activities_activity" in q]  # read while it was sent
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.testzip() is None
        # Written while sent: sizes follow each member (a data descriptor).
        assert all(info.flag_bits & 0x08 for info in package.infolist())
    rows = list(load_workbook(io.BytesIO(content))["activities"].iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[1:]) == [f"Arbeid {i}" for i in range(5)]


def test_rows_keep_the_list_order_across_batches(client, rich):
    page = client.get("/activities/")
    expected = [str(a.public_id) for a in page.context["activities"]]
    rows = read_csv(client.get("/export/activities.csv"))
    assert [r["id"] for r in rows] == expected
    assert len(expected) > 4  # several batches of 2


def test_url_column_is_each_records_page(client, rich):
    """The url column fills a template made from the first record (ExportContext.path)."""
    for kind, model in [
        ("activities", Activity),
        ("people", Person),
        ("organisations", Organisation),
    ]:
        query = "?scope=all" if kind == "organisations" else ""
        rows = read_csv(client.get(f"/export/{kind}.csv{query}"))
        key = "slug" if kind == "organisations" else "id"
        field = "slug" if kind == "organisations" else "public_id"
        records = {str(getattr(r, field)): r for r in model.objects.all()}
        assert rows
        for row in rows:
            assert row["url"] == "http://testserver" + records[row[key]].get_absolute_url()
    # Municipalities are addressed by number, institutions by slug: both right.
    rows = {r["slug"]: r["url"] for r in read_csv(client.get("/export/organisations.csv"))}
    assert rows["drammen"].endswith("/3301/") and rows["usn"].endswith("/usn/")


def test_xlsx_rows_are_the_xml_openpyxl_writes():
    """The fast row writer gives openpyxl's own XML for every kind of value."""
    kind = cols.Kind(
        name="sample",
        label="",
        description="",
        key=("a",),
        columns=tuple(
            cols.Column(name=n, label="", description="", type=t, get=cols.attr(n))
            for n, t in [
                ("a", cols.STRING),
                ("b", cols.DATE),
                ("c", cols.DATETIME),
                ("d", cols.INTEGER),
                ("e", cols.NUMBER),
                ("f", cols.LIST),
                ("g", cols.BOOLEAN),
                ("h", cols.TEXT),
            ]
        ),
    )
    when = timezone.make_aware(datetime(2025, 3, 4, 9, 30, 15, 123456))
    records = [
        SimpleNamespace(
            a=" spaced ", b=date(1900, 2, 1), c=when, d=10**17, e=Decimal("12.5"), f=[],
            g=True, h="a & <b> \"c\" 'd'\nline\x01",
        ),
        SimpleNamespace(
            a="", b=None, c=None, d=0, e=Decimal("2500000"), f=["x", "=y"], g=False,
            h="=1+1",
        ),
        SimpleNamespace(a="\tx", b=date(2025, 1, 1), c=when + timedelta(days=1), d=None,
                        e=None, f=None, g=None, h="æøå 😀"),
        SimpleNamespace(a="   ", b=None, c=None, d=-5, e=None, f=[" lead", "b"], g=None,
                        h="trailing \u00a0"),
    ]  # fmt: skip
    ctx = cols.ExportContext()
    cols._GETTERS["sample"] = tuple((c.name, c.get, c.type == cols.LIST) for c in kind.columns)
    try:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("sample")
        styles = {t: formats._style_id(sheet, formats.TIME_FORMATS[t]) for t in (date, datetime)}
        for record in records:
            values = cols.row_values("sample", record, ctx)
            sheet.append([formats._xlsx_value(c, values[c.name]) for c in kind.columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
        expected = xml.partition("<sheetData>")[2].partition("</sheetData>")[0]
        values = [cols.row_values("sample", record, ctx) for record in records]
        rows = "".join(formats.xlsx_rows(kind, values, styles))
        assert rows == _renumbered(expected)
    finally:
        del cols._GETTERS["sample"]


def _renumbered(rows_xml: str) -> str:
    """Rows 1, 2, 3 ... of openpyxl's XML moved one down, as after a header row."""
    import re

    def shift(match: re.Match) -> str:
        return f'{match.group(1)}{int(match.group(2)) + 1}"'

    return re.sub(r'((?:<row r="|<c r="[A-Z]+))(\d+)"', shift, rows_xml)


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, 2.5, None, True, False, 'x\n"y"', {"b": []}, {}], "ø": {"c": [[]]}},
        [float("nan"), float("inf"), -float("inf"), -0.0, 10**30, 1e300],
        (1, "tuple"),
        {1: "not a string key"},
        "plain",
    ],
)
def test_dumps_at_writes_what_json_dumps_writes(value):
    assert formats.dumps_at(value) == formats.dumps(value)
    nested = {"head": 1, "items": [value, value]}
    assert "".join(formats.dump_pieces({"head": 1}, "items", [value, value])) == formats.dumps(
        nested
    )
    assert "".join(formats.dump_pieces({"head": 1}, "items", [])) == formats.dumps(
        {"head": 1, "items": []}
    )


@pytest.mark.parametrize(
    "values",
    [
        {
            "id": "1f0e2d3c-0000-4000-8000-000000000001",
            "title": 'Æ "sitat" \\ \n ny linje \t \x00 \u2028 😀',
            "empty": None,
            "start": date(1999, 12, 31),
            "at": datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
            "amount": Decimal("1250000"),
            "whole": 12,
            "public": True,
            "hidden": False,
            "slugs": ["usn-drammen", "ø-samarbeid"],
            "none": [],
            "mixed": ["a", 1],
        },
        {"only": "one"},
        {},
    ],
)
def test_a_json_row_is_written_as_json_dumps_writes_it(values):
    """Frame.row, the quick way for export rows, gives the text of the general one."""
    for level in (0, 2):
        assert formats.json_row_text(values, level) == formats.dumps_at(
            formats.json_values(values), level
        )
    frame, general = formats.Frame({"meta": 1}, "data"), formats.Frame({"meta": 1}, "data")
    rows = "".join(frame.row(values) for _ in range(2))
    items = "".join(general.item(formats.json_values(values)) for _ in range(2))
    assert rows == items
    document = frame.opening + rows + frame.closing()
    assert document == formats.dumps({"meta": 1, "data": [formats.json_values(values)] * 2})


# -- queries grow with batches, not rows ---------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session and content type caches
    return count_queries(lambda: body(client.get(url)))


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonld", "xlsx"])
@pytest.mark.parametrize(
    "kind", ["activities", "needs", "events", "people", "affiliations", "partnerships"]
)
def test_queries_grow_with_batches_not_rows(
    client, settings, kind, fmt, make_activity, make_need, make_event, make_person, usn, theme
):
    if fmt == "jsonld" and kind == "affiliations":
        pytest.skip("affiliations have no JSON-LD")
    query = EVERYTHING.get(kind, "")
    url = f"/export/{kind}.{fmt}" + (f"?{query}" if query else "")

    def add(n: int) -> None:
        for i in range(n):
            person = make_person(name=f"Person {i}")
            Affiliation.objects.create(person=person, organisation=usn)
            activity = make_activity(themes=[theme], roles=[(usn, "partner")])
            make_need(contact=person).led_to.set([activity])
            make_event(themes=[theme])

    def queries(size: int) -> tuple[int, int]:
        """(queries, batches) of the export with batches of ``size``."""
        settings.UNIKOM_EXPORT_BATCH_SIZE = size
        rows = exports.select(kind, dict([query.split("=")]) if query else {}, None).count
        return _queries(client, url), -(-rows // size)

    add(3)
    whole, one = queries(1000)
    assert one == 1
    counts = [queries(size) for size in (5, 3, 2, 1)]
    per_batch = {(q - whole) / (batches - 1) for q, batches in counts if batches > 1}
    # Each batch costs the same few grouped queries, and nothing else grows.
    assert len(per_batch) == 1 and 1 <= per_batch.pop() <= 4, (whole, counts)
    # Many more rows in one batch: not one query more.
    add(6)
    assert queries(1000) == (whole, 1)


# -- privacy, HEAD, the archive ----------------------------------------------------------


def test_a_record_trashed_while_streaming_is_left_out(make_activity):
    for i in range(4):
        make_activity(title=f"Aktivitet {i}", start_date=date(2024, 1, 4 - i))
    ctx = cols.ExportContext(user=AnonymousUser())
    selection = exports.select("activities", {"q": "Aktivitet"}, ctx.user, size=1)
    lines = formats.csv_lines(selection, ctx)
    header, first = next(lines), next(lines)
    assert "Aktivitet 0" in first and header.startswith("id,")
    Activity.objects.get(title="Aktivitet 2").move_to_trash(None)
    titles = [line.split(",")[1] for line in lines]
    assert titles == ["Aktivitet 1", "Aktivitet 3"]


@pytest.mark.parametrize("url", ["/export/activities.xlsx", "/open-data/unikom-open-data.zip"])
def test_head_reads_no_records(client, make_activity, url):
    make_activity()
    client.head(url)
    few = count_queries(lambda: client.head(url))
    for i in range(5):
        make_activity(title=f"Flere {i}")
    response = client.head(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert count_queries(lambda: client.head(url)) == few <= 3


def test_archive_streams_the_same_files_as_the_exports(client, rich):
    response = client.get("/open-data/unikom-open-data.zip")
    assert isinstance(response, StreamingHttpResponse)
    archive_file = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive_file.testzip() is None
    for name in cols.KINDS:
        query = "&".join(f"{k}={v}" for k, v in archive.ARCHIVE_PARAMS.get(name, {}).items())
        assert archive_file.read(f"{name}.csv") == _reference(name, "csv", query, AnonymousUser())
        member = json.loads(archive_file.read(f"{name}.json"))
        reference = json.loads(_reference(name, "json", query, AnonymousUser()))
        assert member["data"] == reference["data"]
        assert member["meta"]["count"] == len(reference["data"])
    for info in archive_file.infolist():
        assert info.external_attr == 0o600 << 16, info.filename  # as ZipFile.writestr wrote them
