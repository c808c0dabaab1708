"""The map of Norway: counties as background, member municipalities marked.

Boundaries are projected once, when reference data is loaded (organisations
.geo), so drawing the map is two queries and a template.
"""

from __future__ import annotations

from typing import Any

from organisations.geo import VIEWBOX_HEIGHT, VIEWBOX_WIDTH

from .overview import county_outlines, municipalities_on_map


def national_map(*, partnership=None) -> dict[str, Any]:
    """Counties and member municipalities; with ``partnership``, only its members."""
    queryset = municipalities_on_map()
    if partnership is not None:
        queryset = queryset.filter(
            memberships__partnership=partnership, memberships__valid_to__isnull=True
        )
    municipalities = []
    for org in queryset:
        partnerships = sorted(
            {m.partnership for m in org.current_memberships}, key=lambda p: p.name
        )
        municipalities.append(
            {
                "org": org,
                "path": org.boundary.svg_path,
                "x": round(org.boundary.centroid_x, 1),
                "y": round(org.boundary.centroid_y, 1),
                "partnerships": partnerships,
                "url": partnerships[0].get_absolute_url()
                if len(partnerships) == 1
                else org.get_absolute_url(),
            }
        )
    return {
        "width": VIEWBOX_WIDTH,
        "height": VIEWBOX_HEIGHT,
        "counties": [{"org": c, "path": c.boundary.svg_path} for c in county_outlines()],
        "municipalities": municipalities,
    }
