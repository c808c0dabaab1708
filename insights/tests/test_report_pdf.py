"""/report/pdf/: the report as a PDF to download, linked from /report/ with its scope."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.cache import cache

from core import cache as kept
from insights import report_views
from insights.tests.test_report_command import pdftotext_or_skip, without_pango
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_partnerships_report_downloads_as_a_pdf(english):
    pdftotext = pdftotext_or_skip()
    cache.clear()
    partnership = Partnership.objects.get(slug="usn-skien")
    response = english.get("/report/pdf/?partnership=usn-skien")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="unikom-report-usn-skien.pdf"')
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert partnership.name in text
    assert "covering 1 partnership." in text


def test_the_pdf_is_kept_until_the_data_changes(english, monkeypatch):
    cache.clear()
    drawn = []
    monkeypatch.setattr(report_views, "write_pdf", lambda html: drawn.append(html) or b"%PDF-1.7")
    assert english.get("/report/pdf/").content == b"%PDF-1.7"
    assert english.get("/report/pdf/").content == b"%PDF-1.7"
    assert len(drawn) == 1
    english.get("/report/pdf/?county=innlandet")
    assert len(drawn) == 2
    partnership = Partnership.objects.get(slug="usn-skien")
    partnership.summary = "Endret."
    partnership.save()
    english.get("/report/pdf/")
    assert len(drawn) == 3


def test_one_pdf_is_drawn_at_a_time_and_a_reader_meanwhile_is_told_to_come_back(
    english, monkeypatch
):
    cache.clear()
    drawn = []
    monkeypatch.setattr(report_views, "write_pdf", lambda html: drawn.append(html) or b"%PDF-1.7")
    assert english.get("/report/pdf/?county=innlandet").content == b"%PDF-1.7"
    # Another worker is drawing a PDF (any scope) when this reader asks for one
    # that is not kept: told to come back, nothing drawn twice.
    with kept.alone("report-pdf") as held:
        assert held
        busy = english.get("/report/pdf/")
        assert busy.status_code == 503 and busy["Retry-After"] == "60"
        html = busy.content.decode()
        assert "The report is being made as a PDF" in html and 'href="/report/"' in html
        # A PDF already kept is sent all the same.
        assert english.get("/report/pdf/?county=innlandet").status_code == 200
    assert len(drawn) == 1
    assert english.get("/report/pdf/").content == b"%PDF-1.7" and len(drawn) == 2


@pytest.mark.parametrize("query", ["?county=no-such-county", "?partnership=no-such-thing"])
def test_an_unknown_scope_is_404(english, query):
    assert english.get("/report/pdf/" + query).status_code == 404


@pytest.mark.parametrize(
    ("query", "link"),
    [
        ("", "/report/pdf/"),
        ("?county=innlandet", "/report/pdf/?county=innlandet"),
        ("?partnership=usn-skien", "/report/pdf/?partnership=usn-skien"),
    ],
)
def test_the_report_page_links_the_pdf_of_its_scope(english, query, link):
    html = english.get("/report/" + query).content.decode()
    assert f'<a href="{link}" type="application/pdf" download>Report (PDF)</a>' in html


def test_the_standalone_document_has_no_download_link():
    from insights.report import build_report

    assert "/report/pdf/" not in report_views.render_document(build_report())


def test_without_weasyprint_the_pdf_is_503_naming_the_problem_and_nothing_is_kept(
    english, monkeypatch
):
    cache.clear()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    response = english.get("/report/pdf/?county=innlandet")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "The report as a PDF is not available" in html
    assert "WeasyPrint is not installed: pip install" in html
    assert "--format html" not in html  # the command's advice, not the page's
    assert '<a href="/report/?county=innlandet">' in html

    monkeypatch.delitem(sys.modules, "weasyprint")  # the library is back
    monkeypatch.setattr(report_views, "load_weasyprint", lambda: None)
    monkeypatch.setattr(report_views, "draw_pdf", lambda html: b"%PDF-1.7 drawn")
    response = english.get("/report/pdf/?county=innlandet")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 drawn"


def test_a_missing_pango_library_is_503_naming_it_in_norwegian_first(client, monkeypatch):
    cache.clear()
    without_pango(monkeypatch)
    response = client.get("/report/pdf/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "cannot load library &#x27;libpango-1.0-0&#x27;" in html
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in html
    assert '<html lang="nb"' in html


def test_a_visitors_pdf_is_drawn_again_in_the_background_after_a_change(
    english, monkeypatch, coordinator, handler_keeps_connections
):
    """The national PDF took 78 s: the preparer (core.prepare) draws the visitors'
    one again after a change, so that the next visitor gets it at once."""
    from django.test import Client

    from core import prepare

    drawn: list[str] = []
    monkeypatch.setattr(report_views, "write_pdf", lambda html: drawn.append(html) or b"%PDF-1.7")
    signed_in = Client()
    signed_in.force_login(coordinator)
    assert signed_in.get("/report/pdf/").status_code == 200
    assert prepare.recipes() == []  # a signed-in reader's PDF is drawn for them
    assert english.get("/report/pdf/?county=innlandet").status_code == 200
    assert [r.path for _p, r in prepare.recipes()] == ["/report/pdf/?county=innlandet"]

    partnership = Partnership.objects.get(slug="usn-skien")
    partnership.name = "Et nytt navn"
    partnership.save()
    before = len(drawn)
    assert [(p.status, p.outcome) for p in prepare.prepare()] == [(200, "answered")]
    assert len(drawn) == before + 1
    assert english.get("/report/pdf/?county=innlandet").content == b"%PDF-1.7"
    assert len(drawn) == before + 1  # the visitor's PDF was ready


def test_the_pdf_is_drawn_in_a_process_of_its_own(english, monkeypatch):
    """WeasyPrint took 1.2 GB for the national report: a worker that drew it kept
    480 MB afterwards. The drawing happens in a child process, which gives its
    memory back when it ends."""
    from insights.pdf import PdfUnavailable, load_weasyprint

    try:
        weasyprint = load_weasyprint()
    except PdfUnavailable as exc:
        pytest.skip(exc.message)
    cache.clear()
    monkeypatch.setattr(weasyprint, "HTML", lambda **kw: pytest.fail("drawn in this process"))
    response = english.get("/report/pdf/?partnership=usn-skien")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-32:]
