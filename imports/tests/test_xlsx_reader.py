"""The XLSX reader (imports.xlsx): what each kind of cell gives, compared with
openpyxl's reader where both should agree, how the first sheet is found, and
the limits that keep a small file from making much work."""

from __future__ import annotations

import copy
import datetime
import html
import io
import time
import tracemalloc
import warnings
import zipfile

import openpyxl
import pytest
from openpyxl.styles.numbers import is_date_format as openpyxl_is_date_format
from openpyxl.styles.numbers import is_timedelta_format as openpyxl_is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.utils.datetime import from_excel as openpyxl_from_excel
from openpyxl.worksheet.formula import ArrayFormula

from imports import xlsx
from imports.reading import Formula, ReadError, read_table
from imports.xlsx import Workbook

pytestmark = pytest.mark.usefixtures("english")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
NOT_XLSX = "not an XLSX workbook"


# -- building workbooks -------------------------------------------------------------------


def sheet_xml(rows: str, *, dimension: str | None = None, before: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}">{dim}{before}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def shared_xml(*items: str) -> str:
    """Shared strings; a plain str item is one <si><t>, one starting with "<" is the <si>'s XML."""
    body = "".join(i if i.startswith("<") else f"<si><t>{i}</t></si>" for i in items)
    return f'<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'


def styles_xml(format_ids: list[int], custom: dict[int, str] | None = None, dxfs: str = "") -> str:
    custom = custom or {}
    formats = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{html.escape(code)}"/>' for i, code in custom.items()
    )
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0"/>' for i in format_ids)
    return (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="{len(custom)}">{formats}</numFmts>'
        '<fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
        f'<cellXfs count="{len(format_ids)}">{xfs}</cellXfs>{dxfs}</styleSheet>'
    )


def package(
    sheets: list[tuple[str, str]] | str,
    *,
    shared: str | None = None,
    styles: str | None = None,
    date1904: bool = False,
    workbook_rels: bool = True,
    zip_order: list[str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook written by hand: ``sheets`` is [(target from xl/, sheet XML)] in the
    workbook's order (or one sheet's XML), the zip holding its parts in ``zip_order``."""
    if isinstance(sheets, str):
        sheets = [("worksheets/sheet1.xml", sheets)]
    parts: dict[str, bytes] = {}
    overrides = [("/xl/workbook.xml", f"{SPREADSHEETML}.sheet.main+xml")]
    rels = []
    entries = []
    for i, (target, xml) in enumerate(sheets, start=1):
        name = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts[name] = xml.encode()
        overrides.append(("/" + name, f"{SPREADSHEETML}.worksheet+xml"))
        rels.append((f"rId{i}", f"{OFFICE_RELS}/worksheet", target))
        entries.append(f'<sheet name="Ark{i}" sheetId="{i}" r:id="rId{i}"/>')
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared.encode()
        overrides.append(("/xl/sharedStrings.xml", f"{SPREADSHEETML}.sharedStrings+xml"))
        rels.append(("rIdS", f"{OFFICE_RELS}/sharedStrings", "sharedStrings.xml"))
    if styles is not None:
        parts["xl/styles.xml"] = styles.encode()
        overrides.append(("/xl/styles.xml", f"{SPREADSHEETML}.styles+xml"))
        rels.append(("rIdY", f"{OFFICE_RELS}/styles", "styles.xml"))
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}">{pr}<sheets>{"".join(entries)}</sheets>'
        f"</workbook>"
    ).encode()
    if workbook_rels:
        parts["xl/_rels/workbook.xml.rels"] = (
            f'<Relationships xmlns="{PACKAGE_RELS}">'
            + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
            + "</Relationships>"
        ).encode()
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ).encode()
    parts["[Content_Types].xml"] = (
        f'<Types xmlns="{CONTENT_TYPES}">'
        f'<Default Extension="rels" ContentType="{RELS_TYPE}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
        + "</Types>"
    ).encode()  # fmt: skip
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in zip_order or sorted(parts):
            archive.writestr(name, parts[name])
    return out.getvalue()


def replace_part(raw: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, data if info.filename == name else source.read(info))
    return out.getvalue()


def written_by_openpyxl(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book, book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- reading them -------------------------------------------------------------------------


def _trimmed(cells) -> list:
    cells = list(cells)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def ours(raw: bytes) -> list[tuple[int, list]]:
    """Rows as imports.xlsx reads them, a formula as its text, blank rows left out."""
    rows = []
    for number, cells in Workbook(raw).rows():
        cells = _trimmed(c.text if isinstance(c, Formula) else c for c in cells)
        if cells:
            rows.append((number, cells))
    return rows


def theirs(raw: bytes) -> list[tuple[int, list]]:
    """The same rows as openpyxl's read-only reader gives them (data_only=False)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        rows = []
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            cells = _trimmed(v.text if isinstance(v, ArrayFormula) else v for v in values)
            if cells:
                rows.append((number, cells))
        book.close()
    return rows


def refused(raw: bytes, match: str) -> ReadError:
    """The ReadError reading ``raw`` (header and rows) ends in, matching ``match``."""
    with pytest.raises(ReadError, match=match) as error:
        table = read_table(raw, "fil.xlsx")
        list(table.rows())
    return error.value


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


# -- values -------------------------------------------------------------------------------


def test_what_openpyxl_writes_reads_as_openpyxl_reads_it():
    def fill(book, sheet):
        sheet.append(["title", "amount", "share", "start", "when", "yes", "empty", "formula"])
        sheet.append(
            ["Ørland og Å", 2500000, 0.25, datetime.date(2024, 8, 1),
             datetime.datetime(2025, 3, 14, 9, 30), True, None, "=B2*2"]
        )  # fmt: skip
        sheet.append(["  mellomrom  ", -17, 1e-7, datetime.datetime(1900, 1, 1), None, False])
        sheet["A6"] = "'=ikke formel"
        sheet["C6"] = 12345678901234
        sheet["D7"] = datetime.time(9, 45)
        sheet["E7"] = datetime.timedelta(hours=30, minutes=15)
        sheet["F8"] = "14. mars 2025"
        sheet["B9"] = 2.5
        sheet["C9"] = datetime.datetime(2024, 2, 29, 23, 59, 59)
        custom = sheet["A10"]
        custom.value = datetime.date(2023, 5, 17)
        custom.number_format = "dd.mm.yyyy"
        builtin = sheet["B10"]
        builtin.value = 45000
        builtin.number_format = "mm-dd-yy"  # built-in 14
        money = sheet["C10"]
        money.value = 1234.5
        money.number_format = '#,##0.00 "kr"'
        sheet["D11"] = ArrayFormula("D11:D12", "=SUM(A1:A2)")

    raw = written_by_openpyxl(fill)
    rows = ours(raw)
    assert rows == theirs(raw)
    by_number = dict(rows)
    assert by_number[2][:6] == [
        "Ørland og Å", 2500000, 0.25, datetime.datetime(2024, 8, 1),
        datetime.datetime(2025, 3, 14, 9, 30), True,
    ]  # fmt: skip
    assert by_number[2][7] == "=B2*2"
    assert by_number[7][3:5] == [datetime.time(9, 45), datetime.timedelta(hours=30, minutes=15)]
    assert by_number[10] == [datetime.datetime(2023, 5, 17), datetime.datetime(2023, 3, 15), 1234.5]
    assert [type(v) for v in by_number[9][1:3]] == [float, datetime.datetime]
    assert 4 not in by_number and 5 not in by_number  # gaps between rows keep the numbers


def test_the_1904_calendar_is_honoured():
    def fill(book, sheet):
        book.epoch = CALENDAR_MAC_1904
        sheet.append(["when"])
        sheet.append([datetime.datetime(2024, 1, 2, 12, 0)])
        sheet.append([datetime.date(1904, 1, 2)])

    raw = written_by_openpyxl(fill)
    assert b'date1904="1"' in zipfile.ZipFile(io.BytesIO(raw)).read("xl/workbook.xml")
    assert ours(raw) == theirs(raw)
    assert [cells[0] for _n, cells in ours(raw)[1:]] == [
        datetime.datetime(2024, 1, 2, 12, 0),
        datetime.datetime(1904, 1, 2),
    ]
    hand = package(
        sheet_xml('<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1</v></c></row>'),
        styles=styles_xml([0, 14]),
        date1904=True,
    )
    assert ours(hand) == [(1, [datetime.time(0, 0), datetime.datetime(1904, 1, 2)])]
    assert ours(hand) == theirs(hand)


@pytest.mark.parametrize(
    "serial", [0, 0.5, 0.999999, 1, 1.25, 59, 59.5, 60, 61, 45293, 45293.75, 2958465.99, -1.5]
)
@pytest.mark.parametrize("date1904", [False, True])
def test_excel_serials_become_what_openpyxl_makes_of_them(serial, date1904):
    epoch = CALENDAR_MAC_1904 if date1904 else datetime.datetime(1899, 12, 30)
    for elapsed in (False, True):
        try:
            expected = openpyxl_from_excel(serial, epoch, timedelta=elapsed)
        except OverflowError:
            with pytest.raises(OverflowError):
                xlsx.from_excel(serial, date1904, elapsed)
        else:
            assert xlsx.from_excel(serial, date1904, elapsed) == expected


def test_the_1900_leap_year_bug():
    assert xlsx.from_excel(59) == datetime.datetime(1900, 2, 28)
    assert xlsx.from_excel(61) == datetime.datetime(1900, 3, 1)
    assert xlsx.from_excel(45000) == datetime.datetime(2023, 3, 15)


@pytest.mark.parametrize(
    "code",
    [
        "General", "0", "0.00", "yyyy-mm-dd", "dd.mm.yyyy", "d. mmmm yyyy",
        "[$-414]d. mmmm yyyy;@", "h:mm", "[h]:mm:ss", "[mm]:ss", "mm:ss.0", '"Dato" 0',
        '0 "dager"', '#,##0 "kr";[Red]-#,##0 "kr"', "[Red]0.00", "0.00E+00", "@",
        "yyyy\\-mm\\-dd", "_-* #,##0_-", "# ?/?", "[$€-2] #,##0.00", "0\\d", "[Blue]General",
        "mmm-yy", "[hh]:mm", "ddd", "AM/PM h", "0.0 \\m",
    ],
)  # fmt: skip
def test_date_formats_are_told_as_openpyxl_tells_them(code):
    assert xlsx.is_date_format(code) == openpyxl_is_date_format(code)
    assert xlsx.is_elapsed_format(code) == openpyxl_is_timedelta_format(code)


def test_a_fill_character_is_no_date_letter():
    # "*d" repeats "d" to fill the cell; openpyxl takes it for a day.
    assert not xlsx.is_date_format("*d0")


def test_date_styles_built_in_and_custom():
    formats = [0, 14, 22, 46, 164, 165, 166, 30, 2]
    custom = {164: "dd.mm.yyyy", 165: '0 "dager"', 166: "[h]:mm"}
    cells = "".join(f'<c r="{chr(65 + i)}1" s="{i}"><v>45000.5</v></c>' for i in range(9))
    raw = package(sheet_xml(f'<row r="1">{cells}</row>'), styles=styles_xml(formats, custom))
    noon = datetime.datetime(2023, 3, 15, 12, 0)
    elapsed = datetime.timedelta(days=45000, hours=12)
    assert ours(raw) == [(1, [45000.5, noon, noon, elapsed, noon, 45000.5, elapsed, noon, 45000.5])]
    # openpyxl agrees, but for 30 (m/d/yy in East Asian locales), which it does not know
    theirs_row = theirs(raw)[0][1]
    assert theirs_row[:7] + theirs_row[8:] == ours(raw)[0][1][:7] + ours(raw)[0][1][8:]


def test_a_conditional_formats_number_format_is_not_the_cells():
    dxfs = '<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="yyyy"/></dxf></dxfs>'
    styles = styles_xml([0, 164], {164: "0.0"}, dxfs)
    raw = package(sheet_xml('<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'), styles=styles)
    assert ours(raw) == [(1, [45000])] == theirs(raw)


def test_a_date_out_of_range_reads_as_excel_shows_it():
    rows = '<row r="1"><c r="A1" s="1"><v>99999999</v></c><c r="B1" s="1"><v>45000</v></c></row>'
    raw = package(sheet_xml(rows), styles=styles_xml([0, 14]))
    assert ours(raw) == [(1, ["#VALUE!", datetime.datetime(2023, 3, 15)])] == theirs(raw)


def test_shared_strings_plain_rich_and_phonetic():
    shared = shared_xml(
        "tittel",
        "Tromsø &amp; Alta",
        '<si><r><rPr><b/></rPr><t>Fet</t></r><r><t xml:space="preserve"> og vanlig</t></r></si>',
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>',
        "<si><t/></si>",
    )
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 1}</v></c></row>' for n in range(1, 6))
    raw = package(sheet_xml(rows), shared=shared)
    assert ours(raw) == [
        (1, ["tittel"]),
        (2, ["Tromsø & Alta"]),
        (3, ["Fet og vanlig"]),
        (4, ["東京"]),
        (5, [""]),
    ]
    assert ours(raw) == theirs(raw)


def test_inline_strings_plain_and_rich():
    rows = (
        '<row r="1">' + inline("A1", "navn") + '<c r="B1" t="inlineStr"><is><r><t>Ha</t></r>'
        "<r><rPr><i/></rPr><t>lden</t></r></is></c></row>"
    )
    raw = package(sheet_xml(rows))
    assert ours(raw) == [(1, ["navn", "Halden"])] == theirs(raw)


def test_cell_types():
    rows = (
        '<row r="1">'
        '<c r="A1" t="str"><v>tekst fra formel</v></c>'
        '<c r="B1" t="b"><v>1</v></c><c r="C1" t="b"><v>0</v></c>'
        '<c r="D1" t="e"><v>#N/A</v></c>'
        '<c r="E1" t="n"><v>42</v></c><c r="F1"><v>1.5E3</v></c><c r="G1"><v>2e-3</v></c>'
        '<c r="H1"><v>-0.5</v></c><c r="I1" t="n"><v/></c><c r="J1" t="str"><v></v></c>'
        "</row>"
    )
    raw = package(sheet_xml(rows))
    expected = ["tekst fra formel", True, False, "#N/A", 42, 1500.0, 0.002, -0.5]
    assert ours(raw) == [(1, expected)] == theirs(raw)
    assert [type(v) for v in expected[4:]] == [int, float, float, float]


def test_iso_dates_become_datetimes():
    rows = (
        '<row r="1"><c r="A1" t="d"><v>2024-08-01</v></c>'
        '<c r="B1" t="d"><v>2025-03-14T09:30:00</v></c>'
        '<c r="C1" t="d"><v>ikke en dato</v></c></row>'
    )
    assert ours(package(sheet_xml(rows))) == [
        (1, [datetime.datetime(2024, 8, 1), datetime.datetime(2025, 3, 14, 9, 30), "ikke en dato"])
    ]


def test_escaped_characters_are_unescaped():
    # Excel writes a carriage return as _x000D_ and a literal "_x" sequence with _x005F_.
    shared = shared_xml("linje 1_x000D_\nlinje 2", "_x005F_x000D_ er bokstavelig")
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    assert ours(package(sheet_xml(rows), shared=shared)) == [
        (1, ["linje 1\r\nlinje 2", "_x000D_ er bokstavelig"])
    ]


def test_formulas_normal_shared_and_array():
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*$A$1+A1</f>'
        "<v>4</v></c></row>"
        '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v>6</v></c></row>'
        '<row r="4"><c r="A4"><v>4</v></c><c r="B4"><f t="shared" si="0"/><v>8</v></c>'
        '<c r="C4"><f t="array" ref="C4">SUM(A1:A4)</f><v>10</v></c>'
        '<c r="D4" t="str"><f>"A1"&amp;Ark2!B3</f><v>A1x</v></c></row>'
    )
    raw = package(sheet_xml(rows))
    assert ours(raw) == theirs(raw)
    cells = dict(Workbook(raw).rows())
    assert cells[1][1] == Formula("=A1*2")
    assert cells[3][1] == Formula("=A3*$A$1+A2")
    assert cells[4][1:] == [
        Formula("=A4*$A$1+A3"),
        Formula("=SUM(A1:A4)"),
        Formula('="A1"&Ark2!B3'),
    ]


def test_a_shared_formula_moved_off_the_sheet_is_a_reference_error():
    assert xlsx.shift_formula("A1+B$1+LOG10(C2)", -1, 0) == "#REF!+B$1+LOG10(C1)"
    assert xlsx.shift_formula("'Ark 1'!A1&\"A1\"", 0, 1) == "'Ark 1'!B1&\"A1\""


def test_gaps_and_missing_references():
    rows = (
        '<row r="1">' + inline("A1", "a") + inline("C1", "c") + "</row>"
        '<row r="3"><c><v>1</v></c><c><v>2</v></c><c r="E3"><v>5</v></c><c><v>6</v></c></row>'
        "<row><c><v>7</v></c></row>"  # no r: the row after 3
        '<row r="9"/>'
    )
    raw = package(sheet_xml(rows))
    assert ours(raw) == [
        (1, ["a", None, "c"]),
        (3, [1, 2, None, None, 5, 6]),
        (4, [7]),
    ]
    assert ours(raw) == theirs(raw)


# -- finding the first sheet ----------------------------------------------------------------


def test_the_first_sheet_is_the_workbooks_first_not_the_zips():
    first = sheet_xml('<row r="1">' + inline("A1", "riktig ark") + "</row>")
    second = sheet_xml('<row r="1">' + inline("A1", "feil ark") + "</row>")
    raw = package(
        [("worksheets/sheet2.xml", first), ("worksheets/sheet1.xml", second)],
        zip_order=[
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml",
            "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        ],
    )  # fmt: skip
    assert zipfile.ZipFile(io.BytesIO(raw)).namelist()[0] == "xl/worksheets/sheet1.xml"
    assert ours(raw) == [(1, ["riktig ark"])] == theirs(raw)


@pytest.mark.parametrize("target", ["worksheets/data.xml", "/xl/worksheets/data.xml"])
def test_a_first_sheet_with_another_name(target):
    raw = package([(target, sheet_xml('<row r="1">' + inline("A1", "data") + "</row>"))])
    assert ours(raw) == [(1, ["data"])] == theirs(raw)


def test_without_the_workbooks_relationships_sheet1_is_read():
    raw = package(sheet_xml('<row r="1">' + inline("A1", "ark 1") + "</row>"), workbook_rels=False)
    assert ours(raw) == [(1, ["ark 1"])]


def test_strict_ooxml_namespaces():
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    xml = sheet_xml('<row r="1">' + inline("A1", "streng") + '<c r="B1"><v>3</v></c></row>')
    raw = package(xml.replace(MAIN, strict))
    assert ours(raw) == [(1, ["streng", 3])]


# -- the table ------------------------------------------------------------------------------


def test_the_table_header_rows_and_a_second_reading():
    rows = (
        '<row r="1">'
        + inline("A1", "title")
        + inline("B1", "status")
        + inline("C1", "x")
        + "</row>"
        '<row r="2">' + inline("A2", "Et prosjekt") + "</row>"
        '<row r="3">' + inline("A3", "") + inline("B3", "") + "</row>"  # blank: skipped
        '<row r="5">' + inline("B5", "ongoing") + "</row>"
    )
    table = read_table(package(sheet_xml(rows, dimension="A1:C5")), "a.xlsx")
    assert table.header == ["title", "status", "x"]
    assert table.total == 4
    expected = [(2, ["Et prosjekt", None, None]), (5, [None, "ongoing", None])]
    assert list(table.rows()) == expected  # padded to the header: a blank cell clears
    assert list(table.rows()) == expected


def test_a_sheet_whose_first_row_is_not_row_1_is_empty_as_before():
    raw = package(sheet_xml('<row r="3">' + inline("A3", "title") + "</row>"))
    refused(raw, "empty")


def test_formulas_reach_the_import_as_formulas():
    rows = '<row r="1">' + inline("A1", "title") + '</row><row r="2"><c r="A2"><f>1+1</f></c></row>'
    table = read_table(package(sheet_xml(rows)), "a.xlsx")
    assert list(table.rows()) == [(2, [Formula("=1+1")])]


def test_without_a_dimension_the_total_is_estimated():
    def fill(book, sheet):
        for i in range(3000):
            sheet.append([f"rad {i}", i])

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    fill(book, sheet)
    out = io.BytesIO()
    book.save(out)
    assert b"<dimension" not in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    table = read_table(out.getvalue(), "a.xlsx")
    assert 2000 < table.total < 4000
    assert sum(1 for _ in table.rows()) == 2999


def test_memory_stays_flat_over_a_long_sheet():
    rows = "".join(
        f'<row r="{i}">' + inline(f"A{i}", f"rad {i}") + f'<c r="B{i}"><v>{i}</v></c></row>'
        for i in range(1, 60_001)
    )
    raw = package(sheet_xml(rows))
    book = Workbook(raw)
    tracemalloc.start()
    try:
        count = sum(1 for _ in book.rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 60_000
    assert len(sheet_xml(rows)) > 4_000_000 and peak < 1_500_000


# -- limits ---------------------------------------------------------------------------------


def test_a_declared_dimension_is_no_work():
    # openpyxl padded every row to 16,384 cells and filled the gap before row
    # 1,048,576 with such rows: this 1.5 kB file kept it busy for many minutes.
    rows = (
        '<row r="1">' + inline("A1", "title") + '</row><row r="2">' + inline("A2", "x") + "</row>"
        '<row r="1048576">' + inline("A1048576", "y") + "</row>"
    )
    raw = package(sheet_xml(rows, dimension="A1:XFD1048576"))
    assert len(raw) < 2000
    started = time.perf_counter()
    table = read_table(raw, "a.xlsx")
    assert list(table.rows()) == [(2, ["x"]), (1_048_576, ["y"])]
    assert time.perf_counter() - started < 1
    assert table.header == ["title"] and table.total < 100


@pytest.mark.parametrize("row", [1, 2])
def test_a_cell_beyond_the_column_limit_is_refused_at_once(row):
    rows = '<row r="1">' + inline("A1", "title") + "</row>"
    rows = rows.replace("</row>", '<c r="XFD1"><v>1</v></c></row>') if row == 1 else rows
    if row == 2:
        rows += '<row r="2"><c r="XFD2"><v>1</v></c></row>'
    error = refused(package(sheet_xml(rows)), "more columns")
    assert f"XFD{row}" in error.message and "200" in error.message


def test_cells_without_references_beyond_the_column_limit_are_refused():
    cells = "<c><v>1</v></c>" * (xlsx.MAX_COLUMNS + 1)
    error = refused(package(sheet_xml(f'<row r="1">{cells}</row>')), "more columns")
    assert "GS1" in error.message  # column 201


def test_repeated_cells_in_a_row_are_refused():
    cells = '<c r="A1"><v>1</v></c>' * (xlsx.MAX_COLUMNS + 1)
    refused(package(sheet_xml(f'<row r="1">{cells}</row>')), "more columns")


def test_a_shared_string_over_the_cell_limit_is_refused_where_it_is_used():
    long = "x" * (xlsx.MAX_CELL_CHARS + 1)
    rows = (
        '<row r="1">'
        + inline("A1", "title")
        + '</row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    )
    raw = package(sheet_xml(rows), shared=shared_xml("kort", long))
    error = refused(raw, "characters")
    assert "A2" in error.message and "100000" in error.message


def test_an_unused_long_shared_string_is_not_kept():
    raw = package(
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        shared=shared_xml("title", "y" * (xlsx.MAX_CELL_CHARS * 5)),
    )
    book = Workbook(raw)
    assert book.strings[0] == "title" and not isinstance(book.strings[1], str)


@pytest.mark.parametrize("kind", ["inline", "value"])
def test_a_long_cell_is_refused_while_it_is_read(kind):
    long = "z" * (xlsx.MAX_CELL_CHARS + 1)
    cell = inline("B2", long) if kind == "inline" else f'<c r="B2" t="str"><v>{long}</v></c>'
    rows = '<row r="1">' + inline("A1", "title") + f'</row><row r="2">{cell}</row>'
    error = refused(package(sheet_xml(rows)), "characters")
    assert "B2" in error.message


def test_a_part_over_its_size_limit_is_refused(monkeypatch):
    rows = "".join(f'<row r="{i}">' + inline(f"A{i}", "tekst") + "</row>" for i in range(1, 200))
    raw = package(sheet_xml(rows))
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 4096)
    error = refused(raw, "unpacks to more than")
    assert "xl/worksheets/sheet1.xml" in error.message


class LyingArchive:
    """A zip whose directory says each part is 10 bytes. (zipfile itself stops at the
    size its directory says, then fails the checksum; the count guards regardless.)"""

    def __init__(self, raw: bytes) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(raw))

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        info = copy.copy(self.archive.getinfo(name))
        info.file_size = 10
        return info

    def open(self, info: zipfile.ZipInfo):
        return self.archive.open(info.filename)


def test_the_bytes_unpacked_are_counted_whatever_the_directory_says():
    raw = package(sheet_xml('<row r="1">' + inline("A1", "x" * 5000) + "</row>"))
    with pytest.raises(ReadError, match="unpacks to more than"):
        list(xlsx._chunks(LyingArchive(raw), "xl/worksheets/sheet1.xml", 4096))


def test_a_zip_bomb_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 2 * xlsx.MB)
    padding = "<row/>" * 1_000_000  # 6 MB that packs to a few kB
    raw = package(sheet_xml('<row r="1">' + inline("A1", "title") + "</row>" + padding))
    assert len(raw) < 50_000
    refused(raw, "unpacks to more than 2 MB")


def test_rows_beyond_the_limit_are_refused(monkeypatch):
    rows = '<row r="1">' + inline("A1", "title") + '</row><row r="1048577"><c><v>1</v></c></row>'
    error = refused(package(sheet_xml(rows)), "more rows")
    assert "1048577" in error.message
    monkeypatch.setattr(xlsx, "MAX_ROWS", 10)
    rows = "".join(f"<row>{inline('A1', 'x')}</row>" for _ in range(11))
    refused(package(sheet_xml(rows)), "more rows")


def test_too_many_shared_strings_are_refused(monkeypatch):
    raw = package(
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        shared=shared_xml(*[f"tekst {i}" for i in range(20)]),
    )
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 10)
    refused(raw, "more than 10 different texts")
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 100)
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS_CHARS", 50)
    refused(raw, "more than 50 characters in all")


@pytest.mark.parametrize("part", ["sheet", "shared", "workbook"])
def test_a_doctype_is_refused(part):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    rows = '<row r="1">' + inline("A1", "title") + "</row>"
    sheet = sheet_xml(rows)
    shared = shared_xml("title")
    if part == "sheet":
        sheet = sheet.replace('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', bomb)
        sheet = sheet.replace("<t>title</t>", "<t>&lol2;</t>")
    elif part == "shared":
        shared = bomb + shared
    raw = package(sheet, shared=shared)
    if part == "workbook":
        workbook = zipfile.ZipFile(io.BytesIO(raw)).read("xl/workbook.xml")
        raw = replace_part(raw, "xl/workbook.xml", bomb.encode() + workbook)
    error = refused(raw, "DOCTYPE")
    assert {"sheet": "sheet1.xml", "shared": "sharedStrings.xml"}.get(part, part) in error.message


def test_a_doctype_in_utf16_is_refused():
    sheet = sheet_xml('<row r="1">' + inline("A1", "title") + "</row>").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    sheet = sheet.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY e "x">]><worksheet')
    raw = replace_part(package(""), "xl/worksheets/sheet1.xml", sheet.encode("utf-16"))
    refused(raw, "DOCTYPE")


def test_a_utf16_part_without_a_doctype_is_read():
    sheet = sheet_xml('<row r="1">' + inline("A1", "Tromsø") + "</row>").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    raw = replace_part(package(""), "xl/worksheets/sheet1.xml", sheet.encode("utf-16"))
    assert ours(raw) == [(1, ["Tromsø"])] == theirs(raw)


def test_deep_nesting_is_refused():
    # (checked a chunk, 64 kB, at a time: these are open at the end of the first)
    rows = '<row r="1"><c r="A1">' + "<x>" * 30_000 + "</x>" * 30_000 + "</c></row>"
    error = refused(package(sheet_xml(rows)), "nests elements more than 64 deep")
    assert "xl/worksheets/sheet1.xml" in error.message


def test_a_giant_attribute_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_BYTES_WITHOUT_TAG", 200_000)
    rows = '<row r="1">' + inline("A1", "title") + "</row>"
    before = f'<sheetPr codeName="{"a" * 1_000_000}"/>'
    error = refused(package(sheet_xml(rows, before=before)), "without an element ending")
    assert "xl/worksheets/sheet1.xml" in error.message


def test_too_many_styles_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_PART_ELEMENTS", 5)
    raw = package(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'), styles=styles_xml([0] * 6))
    error = refused(raw, "more than 5 entries")
    assert "xl/styles.xml" in error.message


def test_a_zip_with_a_huge_directory_is_refused_before_it_is_opened(monkeypatch):
    raw = package(sheet_xml('<row r="1">' + inline("A1", "title") + "</row>"))
    monkeypatch.setattr(xlsx, "MAX_ZIP_DIRECTORY_BYTES", 100)
    monkeypatch.setattr(zipfile, "ZipFile", None)  # never reached
    refused(raw, "list of contents")


def _damaged_sheet(raw: bytes) -> bytes:
    """The sheet's packed bytes overwritten (it is the last part in the zip)."""
    start = raw.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml") + 5
    return raw[:start] + b"\xff" * 40 + raw[start + 40 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut off
        lambda raw: raw[:-30] + b"\x00" * 30,  # its directory overwritten
        _damaged_sheet,
        lambda raw: b"PK\x03\x04" + b"\x00" * 100,
    ],
)
def test_a_corrupt_zip_is_refused(damage):
    rows = "".join(f'<row r="{i}">' + inline(f"A{i}", f"rad {i}") + "</row>" for i in range(1, 50))
    raw = package(sheet_xml(rows))
    refused(damage(raw), NOT_XLSX)


def test_a_zip_that_is_no_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    refused(out.getvalue(), NOT_XLSX)


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="A1"><v>1</v></row>',  # not well-formed
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',  # no such shared string
        '<row r="1"><c r="A1"><v>tolv</v></c></row>',  # a number that is not
        '<row r="x"><c r="A1"><v>1</v></c></row>',
    ],
)
def test_malformed_sheets_are_refused(rows):
    refused(package(sheet_xml(rows), shared=shared_xml("a")), "damaged|" + NOT_XLSX)


def test_a_malformed_sheet_after_the_header_is_refused_while_reading_rows():
    rows = '<row r="1">' + inline("A1", "title") + "</row>" + "<row><c><v>1</v></c></row>" * 5000
    raw = package(sheet_xml(rows).replace("</sheetData>", "<sheetData>"))
    table = read_table(raw, "a.xlsx")
    with pytest.raises(ReadError, match=NOT_XLSX):
        list(table.rows())
