"""Exports of every list, the bulk archive and the open data page.

``/export/<kind>.<fmt>`` takes the same query string as the kind's list page
and exports every record that page lists (not only the current page of 50),
as the requesting user may see them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import prepare

from . import archive, exports, formats, jsonld
from .columns import KINDS, ExportContext
from .kept import Kept, keepable
from .licence import ATTRIBUTIONS, LICENCE


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _attachment(response: HttpResponseBase, name: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def formats_of(kind: str) -> list[str]:
    return [f for f in formats.FORMATS if f != "jsonld" or kind in jsonld.NODES]


def _streaming(
    pieces: Iterable[str], content_type: str, kept: Kept | None = None
) -> StreamingHttpResponse:
    return _streamed(formats.chunks(pieces), content_type, kept)


def _streamed(
    blocks: Iterable[bytes], content_type: str, kept: Kept | None
) -> StreamingHttpResponse:
    """Send ``blocks`` while they are produced, keeping a copy in ``kept`` if given."""
    blocks = _in_language(blocks)
    return StreamingHttpResponse(kept.tee(blocks) if kept else blocks, content_type=content_type)


def _from_kept(
    request: HttpRequest, kept: Kept, content_type: str, name: str
) -> FileResponse | None:
    """The kept file as the download, or None while there is none: then the
    download is also noted, to be prepared again after each change (core.prepare)."""
    file = kept.open()
    if file is None:
        prepare.note(request)
        return None
    return _attachment(FileResponse(file, content_type=content_type), name)


def _in_language(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Produce ``blocks`` in the request's language.

    A streamed body is produced after the view has returned, while the server
    sends it; column labels are translated then, so the language is kept.
    """
    language = translation.get_language()
    with translation.override(language):
        yield from blocks


def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """One list as a file, streamed in every format while the records are read
    in batches (``formats``)."""
    if kind not in KINDS or fmt not in formats_of(kind):
        raise Http404(_("No such export."))
    generated = timezone.now()
    content_type = formats.FORMATS[fmt][0]
    name = formats.filename(kind, fmt, generated)
    if request.method == "HEAD":
        # The headers alone: do not read the records only to throw them away.
        return _attachment(HttpResponse(content_type=content_type), name)
    kept = Kept(request, f"{kind}.{fmt}", f".{fmt}") if keepable(request) else None
    if kept and (response := _from_kept(request, kept, content_type, name)):
        return response
    ctx = ExportContext(user=request.user, base_url=_base_url(request))
    prepare = jsonld.prepare if fmt == "jsonld" else None
    selection = exports.select(kind, request.GET, request.user, prepare=prepare)
    if fmt == "xlsx":
        meta = formats.meta(selection, generated, ctx.base_url)
        blocks = formats.xlsx_stream(selection, ctx, meta)
        return _attachment(_streamed(blocks, content_type, kept), name)
    if fmt == "csv":
        pieces = formats.csv_lines(selection, ctx, bom=request.GET.get("bom") == "1")
    elif fmt == "json":
        pieces = formats.json_pieces(selection, ctx, generated)
    else:
        pieces = jsonld.pieces(selection, ctx, generated, request.build_absolute_uri())
    return _attachment(_streaming(pieces, content_type, kept), name)


def bulk_archive(request: HttpRequest) -> HttpResponseBase:
    """The whole open dataset (public records only) as one zip file, streamed
    while it is written (``archive.stream``)."""
    if request.method == "HEAD":
        return _attachment(HttpResponse(content_type="application/zip"), archive.ARCHIVE_NAME)
    keep = keepable(request, public_only=True)  # the same archive for everyone
    kept = Kept(request, "archive", ".zip") if keep else None
    if kept and (response := _from_kept(request, kept, "application/zip", archive.ARCHIVE_NAME)):
        return response
    blocks = archive.stream(base_url=_base_url(request))
    response = _streamed(blocks, "application/zip", kept)
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
