"""The front page: the national overview with charts, timeline and map."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organisations.refdata import has_refdata

from . import charts, maps
from .overview import national_overview


def overview(request: HttpRequest) -> HttpResponse:
    data = national_overview()
    return render(
        request,
        "insights/overview.html",
        {
            "overview": data,
            "kind_chart": charts.bar_chart_for(data["by_kind"], "kind"),
            "initiative_chart": charts.bar_chart_for(data["by_initiative"], "initiative"),
            "maturity_chart": charts.bar_chart_for(data["by_maturity"], "maturity"),
            "timeline_chart": charts.timeline_chart(data["timeline"]),
            "map": maps.national_map() if has_refdata() else None,
        },
    )
