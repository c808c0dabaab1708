"""The experience compilation as a web page, and rendered to a standalone file.

``/report/`` shows the whole country; ``?county=SLUG`` or ``?partnership=SLUG``
narrows it; ``/report/pdf/`` (same parameters) is the document as a PDF to
download (503 naming what is missing when WeasyPrint cannot be loaded, see
insights.pdf). ``render_document()`` is what it and ``unikom report`` draw: the same
chapters in one self-contained HTML document (CSS inlined, SVG inline).
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from core import permissions, prepare
from core.cache import Busy, kept_listing, remember_alone
from core.dates import local_today

from .pdf import PdfUnavailable, draw_pdf, load_weasyprint
from .report import (
    Report,
    ReportScopeError,
    build_report,
    report_map,
    report_title,
    resolve_scope,
)

STYLESHEETS = ["css/unikom.css", "css/report.css"]


def report_context(report: Report) -> dict:
    return {"report": report, "map": report_map(report)}


def report(request: HttpRequest) -> HttpResponse:
    """The report page. Its chapters are kept, rendered, until the data changes
    (core.cache), and built only when the kept ones are out of date."""
    partnership = request.GET.get("partnership") or None
    county = request.GET.get("county") or None
    try:
        _scope, subject = resolve_scope(partnership=partnership, county=county)
    except ReportScopeError as exc:
        raise Http404(str(exc)) from exc

    def build() -> dict:
        data = build_report(partnership=partnership, county=county, user=request.user)
        return {"page": report_context(data)}

    context = kept_listing("report", request, ("page",), build, (local_today(),))
    context["title"] = report_title(subject)
    return render(request, "insights/report/report.html", context)


#: Seconds after which a reader who found the PDF being drawn may ask again.
PDF_RETRY_SECONDS = 60


def report_pdf(request: HttpRequest) -> HttpResponse:
    """The report as a PDF (what `unikom report --format pdf` writes), to download.
    Drawing it takes seconds, so it is kept until the data changes (core.cache),
    per scope, day, language and whether the reader is signed in, as the page is.
    When WeasyPrint cannot be loaded the answer is 503 naming what is missing, and
    nothing is kept: the first request after it is installed gets the PDF. One PDF
    is drawn at a time on the machine (the whole country's took 78-102 s at national
    scale, WeasyPrint 1.2 GB in its child process, insights.pdf): a request that
    comes meanwhile and finds none kept gets 503 with Retry-After."""
    partnership = request.GET.get("partnership") or None
    county = request.GET.get("county") or None
    try:
        resolve_scope(partnership=partnership, county=county)
    except ReportScopeError as exc:
        raise Http404(str(exc)) from exc

    signed_in = permissions.roles(request.user).authenticated

    def build() -> bytes:
        data = build_report(partnership=partnership, county=county, user=request.user)
        content = write_pdf(render_document(data, for_pdf=True))
        if not signed_in:  # the same PDF for every visitor: drawn again after a change
            prepare.note(request)
        return content

    page_url = report_page_url(request)
    try:
        content = remember_alone(
            "report-pdf", (partnership, county, local_today(), signed_in), None, build
        )
    except (PdfUnavailable, Busy) as exc:
        busy = isinstance(exc, Busy)
        response = render(
            request,
            "insights/report/pdf_unavailable.html",
            {"busy": busy, "problem": getattr(exc, "message", ""), "page_url": page_url},
            status=503,
        )
        if busy:
            response["Retry-After"] = str(PDF_RETRY_SECONDS)
        return response
    name = "-".join(["unikom-report", *(s for s in (partnership, county) if s)])
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


def report_page_url(request: HttpRequest) -> str:
    """The report page of the PDF's scope: /report/ with the same query."""
    query = request.GET.urlencode()
    return reverse("report:report") + (f"?{query}" if query else "")


def write_pdf(html: str) -> bytes:
    """The self-contained document drawn as a PDF by WeasyPrint, in a process of
    its own (PdfUnavailable, naming what is missing, when it cannot be loaded)."""
    load_weasyprint()  # slow to import, needs Pango: only when a PDF is asked for
    return draw_pdf(html)


def inline_css() -> str:
    """The site's and the report's stylesheets, to inline in a standalone file."""
    parts = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if path:
            with open(path, encoding="utf-8") as f:
                parts.append(f.read())
    return "\n".join(parts)


#: WeasyPrint draws inline SVG without the page's stylesheet: colours as attributes.
PDF_SVG_FILLS = {
    'class="bar"': 'class="bar" fill="#0b4f7c"',
    'class="bar roots"': 'class="bar roots" fill="#0b4f7c"',
    'class="bar roots period"': 'class="bar roots period" fill="#0b4f7c"',
    'class="bar agreements"': 'class="bar agreements" fill="#7fb0d3" stroke="#0b4f7c"',
    '<g class="counties">': '<g class="counties" fill="#e4ebf1" stroke="#7d8d9c">',
    '<g class="members">': '<g class="members" fill="#a4231b" stroke="#fff" stroke-width=".4">',
    # On the page the timeline's strips keep their width (the table scrolls); on A4
    # the table has fixed columns, and the chart rule scales the strips to fit them.
    '<figure class="timeline">': '<figure class="chart timeline">',
}


def render_document(report: Report, *, for_pdf: bool = False) -> str:
    """One self-contained HTML document with the whole report."""
    context = report_context(report) | {"inline_css": inline_css(), "for_pdf": for_pdf}
    html = render_to_string("insights/report/document.html", context)
    if for_pdf:
        for old, new in PDF_SVG_FILLS.items():
            html = html.replace(old, new)
    return html
