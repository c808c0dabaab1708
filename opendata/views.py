"""Exports of every list, the bulk archive and the open data page.

``/export/<kind>.<fmt>`` takes the same query string as the kind's list page
and exports every record that page lists (not only the current page of 50),
as the requesting user may see them.
"""

from __future__ import annotations

import io

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import archive, exports, formats, jsonld
from .columns import KINDS, ExportContext
from .licence import ATTRIBUTIONS, LICENCE


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def formats_of(kind: str) -> list[str]:
    return [f for f in formats.FORMATS if f != "jsonld" or kind in jsonld.NODES]


def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in KINDS or fmt not in formats_of(kind):
        raise Http404(_("No such export."))
    ctx = ExportContext(user=request.user, base_url=_base_url(request))
    prepare = jsonld.prepare if fmt == "jsonld" else None
    selection = exports.select(kind, request.GET, request.user, prepare=prepare)
    generated = timezone.now()
    content_type = formats.FORMATS[fmt][0]
    name = formats.filename(kind, fmt, generated)
    if fmt == "csv":
        lines = formats.csv_lines(selection, ctx, bom=request.GET.get("bom") == "1")
        response = StreamingHttpResponse(formats.chunks(lines), content_type=content_type)
    elif fmt == "xlsx":
        meta = formats.meta(selection, generated, ctx.base_url)
        response = HttpResponse(formats.xlsx_bytes(selection, ctx, meta), content_type=content_type)
    elif fmt == "json":
        document = formats.json_document(selection, ctx, generated)
        response = HttpResponse(formats.dumps(document), content_type=content_type)
    else:
        document = jsonld.document(selection, ctx, generated, request.build_absolute_uri())
        response = HttpResponse(formats.dumps(document), content_type=content_type)
    return _attachment(response, name)


def bulk_archive(request: HttpRequest) -> HttpResponse:
    """The whole open dataset (public records only) as one zip file."""
    buffer = io.BytesIO()
    archive.write(buffer, base_url=_base_url(request))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    return _attachment(response, archive.ARCHIVE_NAME)


def index(request: HttpRequest) -> HttpResponse:
    downloads = [
        {
            "kind": kind,
            "list_url": reverse(exports.LIST_PAGES[kind.name])
            if kind.name in exports.LIST_PAGES
            else "",
            "links": [
                (
                    fmt.upper() if fmt != "jsonld" else "JSON-LD",
                    reverse("opendata:export", args=[kind.name, fmt]),
                )
                for fmt in formats_of(kind.name)
            ],
        }
        for kind in KINDS.values()
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "downloads": downloads,
            "kinds": list(KINDS.values()),
            "licence": LICENCE,
            "attributions": ATTRIBUTIONS,
            "archive_name": archive.ARCHIVE_NAME,
        },
    )
