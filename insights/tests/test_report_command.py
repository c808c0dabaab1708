"""`unikom report` writes the compilation as HTML or PDF, showing its progress."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from insights import pdf
from organisations.models import Organisation
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


class Headings(HTMLParser):
    """Collects the text of h1/h2 and notes <link> and <style> tags."""

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self.tags: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("h1", "h2"):
            self._in = tag
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.headings[-1] += data


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("report", *args, stdout=out)
    return out.getvalue()


def test_html_is_one_self_contained_file_with_every_chapter(tmp_path):
    target = tmp_path / "report.html"
    out = run("--format", "html", "--output", str(target))
    parser = Headings()
    parser.feed(target.read_text(encoding="utf-8"))
    assert "National experience compilation" in parser.headings
    assert any("Who took the initiative" in h for h in parser.headings)
    assert any("The partnerships, one by one" in h for h in parser.headings)
    assert "style" in parser.tags and "link" not in parser.tags and "svg" in parser.tags
    assert "@media print" in target.read_text(encoding="utf-8")  # report.css, inlined
    assert f'data-figure="partnerships">{Partnership.objects.count()}<' in target.read_text(
        encoding="utf-8"
    )
    assert "[1] What the compilation found" in out and "[2] Who takes part" in out
    assert "[9] The partnerships, one by one" in out
    html = target.read_text(encoding="utf-8")
    assert "recorded for 8 of 15 partnerships" in html  # the findings
    assert 'href="/concepts/' not in html  # no links into the site from a standalone file


def test_html_for_one_partnership(tmp_path, partnership):
    target = tmp_path / "one.html"
    run("--format", "html", "--output", str(target), "--partnership", partnership.slug)
    html = target.read_text(encoding="utf-8")
    assert html.count('class="report-profile"') == 1
    assert partnership.name in html


@pytest.mark.parametrize("option", ["--county", "--partnership"])
def test_an_unknown_slug_stops_with_a_clear_error(tmp_path, option):
    with pytest.raises(CommandError, match="finnes-ikke"):
        run("--output", str(tmp_path / "x.html"), option, "finnes-ikke")
    assert not (tmp_path / "x.html").exists()


def without_pango(monkeypatch) -> None:
    """WeasyPrint's import fails as it does on a machine without the Pango libraries."""
    real = importlib.import_module

    def failing(name, *args):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file")
        return real(name, *args)

    monkeypatch.setattr(pdf.importlib, "import_module", failing)


def test_a_missing_pango_library_is_named_with_how_to_install_it(tmp_path, monkeypatch):
    without_pango(monkeypatch)
    with pytest.raises(CommandError) as caught:
        run("--format", "pdf", "--output", str(tmp_path / "r.pdf"))
    message = str(caught.value)
    assert "libpango-1.0-0" in message
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message


def pdftotext_or_skip() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext is not installed (Debian: apt-get install poppler-utils)")
    return path


def test_the_pdf_has_the_chapter_headings_and_computed_figures(tmp_path):
    pdftotext = pdftotext_or_skip()
    target = tmp_path / "report.pdf"
    run("--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [pdftotext, "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    for heading in [
        "National experience compilation",
        "What the compilation found, counted from the registry",
        "Who takes part, and how big the partnerships are",
        "Who took the initiative",
        "Motor municipalities",
        "How long the partnerships have existed",
        "What they collaborate on",
        "The partnerships, one by one",
    ]:
        assert heading in text
    n = Partnership.objects.count()
    municipalities = (
        Organisation.objects.filter(
            kind="municipality",
            memberships__valid_to=None,
            memberships__partnership__in=Partnership.objects.all(),
        )
        .distinct()
        .count()
    )
    assert f"covering {n} partnerships" in text
    assert f"{n} partnerships, with {municipalities} member municipalities" in text
