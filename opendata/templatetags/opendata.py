"""``{% export_links "activities" %}``: download links that keep the list's filters."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendata.exports import NOT_FILTERS
from opendata.views import formats_of

register = template.Library()

LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON", "jsonld": "JSON-LD"}
EXCEL_CSV = _("CSV for Excel")


@register.inclusion_tag("opendata/_export_links.html", takes_context=True)
def export_links(context, kind: str, **fixed) -> dict:
    """Links to ``/export/<kind>.<fmt>`` with the page's query string (minus the
    page number) and ``fixed`` parameters, e.g. a portfolio's partnership."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name in NOT_FILTERS:
        params.pop(name, None)
    for key, value in fixed.items():
        params[key] = value
    query = params.urlencode()
    links = []
    for fmt in formats_of(kind):
        url = reverse("opendata:export", args=[kind, fmt])
        links.append({"label": LABELS[fmt], "url": f"{url}?{query}" if query else url})
        if fmt == "csv":
            bom = f"{url}?{query}&bom=1" if query else f"{url}?bom=1"
            links.append({"label": EXCEL_CSV, "url": bom, "excel": True})
    return {"links": links, "kind": kind}
