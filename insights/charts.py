"""Server-rendered SVG charts: readable without JavaScript, with text alternatives.

Functions return plain geometry; templates in insights/_partials draw it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.choices import InitiativeGroup, Maturity, PartnershipKind

from .compilation import FACTS_YEAR

BAR_WIDTH = 200  # px of the longest bar
ROW_HEIGHT = 28
LABEL_WIDTH = 170  # px for labels, at least
LABEL_CHAR = 8.2  # px per character of a 14px label, generously
LABEL_WIDTH_MAX = 240  # wider labels go above their bars

FACET_LABELS = {
    "kind": dict(PartnershipKind.choices),
    "initiative": dict(InitiativeGroup.choices),
    "maturity": {**dict(Maturity.choices), "unknown": gettext_lazy("Not stated")},
}
#: The section of /concepts/ that defines each facet's terms.
FACET_CONCEPTS = {"kind": "kinds", "initiative": "initiative", "maturity": "maturity"}


def concept_url(anchor: str) -> str:
    return f"{reverse('insights:concepts')}#{anchor}"


def bar_chart(
    items: list[tuple[str, int]], title: str, *, note: str = "", concept: str = ""
) -> dict[str, Any]:
    """Horizontal bars, one per (label, value); ``concept`` links the terms' definitions.

    Short labels stand left of their bars; long ones (in the reader's language)
    stand above them, so the chart is not shrunk to fit a wide label column.
    """
    top = max((v for _label, v in items), default=0) or 1
    longest = max((len(str(label)) for label, _v in items), default=0)
    label_width = max(LABEL_WIDTH, round(longest * LABEL_CHAR) + 16)
    above = label_width > LABEL_WIDTH_MAX
    if above:
        label_width, row, offset = 0, ROW_HEIGHT + 18, 18
    else:
        row, offset = ROW_HEIGHT, 0
    bars = []
    for i, (label, value) in enumerate(items):
        width = round(BAR_WIDTH * value / top, 1)
        text_y = i * row + offset + ROW_HEIGHT * 0.62
        bars.append(
            {
                "label": label,
                "value": value,
                "y": i * row + offset,
                "bar_y": i * row + offset + 4,
                "text_y": text_y,
                "label_x": 0 if above else label_width - 8,
                "label_y": i * row + 14 if above else text_y,
                "width": width,
                "value_x": label_width + width + 6,
            }
        )
    return {
        "title": title,
        "note": note,
        "concept_url": concept_url(concept) if concept else "",
        "bars": bars,
        "label_width": label_width,
        "label_anchor": "start" if above else "end",
        "bar_height": ROW_HEIGHT - 8,
        "width": max(label_width + BAR_WIDTH + 40, round(longest * LABEL_CHAR) if above else 0),
        "height": max(len(items), 1) * row,
        "description": "; ".join(f"{label}: {value}" for label, value in items),
    }


def bar_chart_for(counts: dict[str, int], facet: str, *, note: str = "") -> dict[str, Any]:
    labels = FACET_LABELS[facet]
    titles = {
        "kind": _("Partnerships by kind"),
        "initiative": _("Who took the initiative"),
        "maturity": _("Partnerships by stated maturity"),
    }
    return bar_chart(
        [(str(labels[k]), v) for k, v in counts.items()],
        titles[facet],
        note=note,
        concept=FACET_CONCEPTS[facet],
    )


STRIP_WIDTH = 380  # px of a timeline row
STRIP_PAD = 16  # px kept free on each side, for the axis labels
STRIP_HEIGHT = 22  # two lanes: roots above, the formal agreement below
AXIS_HEIGHT = 22


def timeline_chart(rows: list[dict[str, Any]], *, mark_year: int = FACTS_YEAR) -> dict | None:
    """Each partnership on a strip of years: its roots and its formal agreement.

    A single year is a one-year block; a period ("tidlig 2000-tall") is a block
    across its years, marked as a period and shown as written beside it. The
    compilation's year is marked on every strip. ``rows`` come from
    ``insights.overview.timeline``, optionally with an ``age`` each.
    """
    if not rows:
        return None
    years = [
        y
        for r in rows
        for y in (r["roots_from"], r["roots_to"], r["agreement_from"], r["agreement_to"])
        if y is not None
    ]
    start = min(years) - min(years) % 5
    end = max(max(years), mark_year) + 1  # exclusive: the last year gets its block
    unit = (STRIP_WIDTH - 2 * STRIP_PAD) / (end - start)

    def x(year: int) -> float:
        return round(STRIP_PAD + (year - start) * unit, 1)

    def block(first: int | None, last: int | None) -> dict[str, float] | None:
        if first is None:
            return None
        return {"x": x(first), "width": round((last - first + 1) * unit, 1)}

    drawn = []
    for r in rows:
        roots = block(r["roots_from"], r["roots_to"])
        agreement = block(r["agreement_from"], r["agreement_to"])
        link = None
        if roots and agreement and r["agreement_from"] > r["roots_to"]:
            link = {"x1": x(r["roots_to"] + 1), "x2": x(r["agreement_from"])}
        drawn.append(
            {
                **r,
                "roots_block": roots,
                "roots_is_period": r["roots_from"] is not None and r["roots_to"] != r["roots_from"],
                "agreement_block": agreement,
                "link": link,
            }
        )
    ticks = [
        {"year": y, "x": round(x(y) + unit / 2, 1)}
        for y in range(start, end)
        if y % 5 == 0 or y == end - 1
    ]
    # Two labels closer than 24 px overlap: keep the round year.
    kept = []
    for t in ticks:
        if kept and t["x"] - kept[-1]["x"] < 24:
            continue
        kept.append(t)
    return {
        "rows": drawn,
        "with_ages": any(r.get("age") for r in rows),
        "ticks": kept,
        "start": start,
        "end": end - 1,
        "width": STRIP_WIDTH,
        "height": STRIP_HEIGHT,
        "axis_height": AXIS_HEIGHT,
        "roots_y": 2,
        "agreement_y": STRIP_HEIGHT / 2 + 1,
        "block_height": STRIP_HEIGHT / 2 - 3,
        "mid_y": STRIP_HEIGHT / 2,
        "mark_year": mark_year,
        "mark_x": round(x(mark_year) + unit / 2, 1),
    }
