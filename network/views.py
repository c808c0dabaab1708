"""The network page and its downloads (GraphML, GEXF, Kumu workbook), all under the same filters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import permissions
from core.cache import kept_listing, remember

from . import analysis, drawing, exports
from .forms import NetworkFilterForm
from .graph import build_graph

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _key(request: HttpRequest, filters) -> tuple:
    """What the network depends on besides the data: the filters, and whether
    the reader is signed in (which activities and people they may see)."""
    return (
        getattr(filters.theme, "pk", None),
        getattr(filters.county, "pk", None),
        filters.year_from,
        filters.year_to,
        filters.people,
        permissions.roles(request.user).authenticated,
    )


def _graph(request: HttpRequest):
    """The filter form, the filters and the graph, kept until the data changes
    (core.cache): building it reads every activity's organisations."""
    form = NetworkFilterForm(request.GET or None)
    filters = form.filters()
    graph = remember(
        "network-graph", _key(request, filters), None, lambda: build_graph(request.user, filters)
    )
    return form, filters, graph


def _page(graph, filters) -> dict:
    numbers = analysis.analyse(graph, filters)
    return {
        "numbers": numbers,
        "drawing": drawing.drawing(graph, numbers["betweenness"]),
        "table": sorted(
            (
                {
                    "data": data,
                    "degree": graph.degree(node),
                    "percent": round(numbers["betweenness"].get(node, 0) * 100, 1),
                }
                for node, data in graph.nodes(data=True)
            ),
            key=lambda r: (-r["degree"], r["data"]["label"]),
        ),
    }


def network(request: HttpRequest) -> HttpResponse:
    form = NetworkFilterForm(request.GET or None)
    filters = form.filters()
    query = request.GET.urlencode()

    # Drawn and measured only when the kept page is out of date.
    context = kept_listing(
        "network", request, ("page",), lambda: {"page": _page(_graph(request)[2], filters)}
    )
    context.update(form=form, filters=filters, query=f"?{query}" if query else "")
    return render(request, "network/network.html", context)


def _download(request: HttpRequest, write, filename: str, content_type: str) -> HttpResponse:
    """Node URLs become absolute so that a click in Gephi or Kumu opens the page."""
    _form, _filters, graph = _graph(request)
    for _node, data in graph.nodes(data=True):
        data["url"] = request.build_absolute_uri(data["url"])
    response = HttpResponse(write(graph), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def graphml(request: HttpRequest) -> HttpResponse:
    return _download(
        request,
        exports.graphml_bytes,
        "unikom-network.graphml",
        "application/graphml+xml; charset=utf-8",
    )


def gexf(request: HttpRequest) -> HttpResponse:
    return _download(
        request, exports.gexf_bytes, "unikom-network.gexf", "application/gexf+xml; charset=utf-8"
    )


def kumu(request: HttpRequest) -> HttpResponse:
    return _download(request, exports.kumu_xlsx_bytes, "unikom-network-kumu.xlsx", XLSX)
