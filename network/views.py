"""The network page and its downloads (GraphML, GEXF, Kumu workbook), all under the same filters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import analysis, drawing, exports
from .forms import NetworkFilterForm
from .graph import build_graph

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _graph(request: HttpRequest):
    form = NetworkFilterForm(request.GET or None)
    filters = form.filters()
    return form, filters, build_graph(request.user, filters)


def network(request: HttpRequest) -> HttpResponse:
    form, filters, graph = _graph(request)
    numbers = analysis.analyse(graph, filters)
    query = request.GET.urlencode()
    return render(
        request,
        "network/network.html",
        {
            "form": form,
            "filters": filters,
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
            "query": f"?{query}" if query else "",
        },
    )


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
