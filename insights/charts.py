"""Server-rendered SVG charts: readable without JavaScript, with text alternatives.

Functions return plain geometry; templates in insights/_partials draw it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.choices import InitiativeSide, Maturity, PartnershipKind

BAR_WIDTH = 200  # px of the longest bar
ROW_HEIGHT = 28
LABEL_WIDTH = 170

FACET_LABELS = {
    "kind": dict(PartnershipKind.choices),
    "initiative": dict(InitiativeSide.choices),
    "maturity": {**{m.value: m.value for m in Maturity}, "unknown": gettext_lazy("Not stated")},
}


def bar_chart(items: list[tuple[str, int]], title: str) -> dict[str, Any]:
    """Horizontal bars, one per (label, value)."""
    top = max((v for _label, v in items), default=0) or 1
    bars = [
        {
            "label": label,
            "value": value,
            "y": i * ROW_HEIGHT,
            "text_y": i * ROW_HEIGHT + ROW_HEIGHT * 0.62,
            "width": round(BAR_WIDTH * value / top, 1),
            "value_x": LABEL_WIDTH + round(BAR_WIDTH * value / top, 1) + 6,
        }
        for i, (label, value) in enumerate(items)
    ]
    return {
        "title": title,
        "bars": bars,
        "label_width": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 8,
        "width": LABEL_WIDTH + BAR_WIDTH + 40,
        "height": max(len(items), 1) * ROW_HEIGHT,
        "description": "; ".join(f"{label}: {value}" for label, value in items),
    }


def bar_chart_for(counts: dict[str, int], facet: str) -> dict[str, Any]:
    labels = FACET_LABELS[facet]
    titles = {
        "kind": _("Partnerships by kind"),
        "initiative": _("Partnerships by initiative"),
        "maturity": _("Partnerships by stated maturity"),
    }
    return bar_chart([(str(labels[k]), v) for k, v in counts.items()], titles[facet])


def timeline_chart(timeline: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Columns per year: partnerships whose roots, and whose agreement, fall in it."""
    if not timeline:
        return None
    column = 26
    height = 120
    top = max(max(t["roots"], t["agreements"]) for t in timeline) or 1
    unit = (height - 20) / top
    years = []
    for i, t in enumerate(timeline):
        x = 30 + i * column
        years.append(
            {
                **t,
                "x": x,
                "label_x": x + column / 2 - 1,
                "roots_height": round(t["roots"] * unit, 1),
                "roots_y": round(height - t["roots"] * unit, 1),
                "agreements_height": round(t["agreements"] * unit, 1),
                "agreements_y": round(height - t["agreements"] * unit, 1),
                "agreements_x": x + column / 2 - 2,
                "show_label": _show_year(t["year"], timeline[0]["year"], timeline[-1]["year"]),
            }
        )
    return {
        "years": years,
        "width": 40 + len(timeline) * column,
        "height": height,
        "axis_y": height + 16,
        "bar_width": column / 2 - 2,
    }


def _show_year(year: int, first: int, last: int) -> bool:
    """Label the first and last year and every fifth, without crowding."""
    if year in (first, last):
        return True
    return year % 5 == 0 and year - first >= 3 and last - year >= 3
