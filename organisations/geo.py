"""A tiny map projection for the static SVG map of Norway.

The map pages draw municipalities and counties as SVG paths that are computed
once, when reference data is loaded, so that no page ever reads GeoJSON or
needs a GIS library. Accuracy needs are those of an overview map: an
equirectangular projection with the longitude scaled by cos(65°) (the middle
of mainland Norway) keeps the familiar shape, and simplifying the outlines to
a fraction of a map unit keeps all 357 municipalities in a few hundred KB.

Pure functions, no Django: coordinates in, strings and numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

#: The fixed box that the map shows: mainland Norway (Svalbard is not in the data).
LON_MIN, LON_MAX = 4.0, 31.5
LAT_MIN, LAT_MAX = 57.8, 71.3

#: Longitude degrees are shorter than latitude degrees this far north.
LON_FACTOR = math.cos(math.radians(65.0))

VIEWBOX_WIDTH = 1000
#: Map units per degree of latitude.
SCALE = VIEWBOX_WIDTH / ((LON_MAX - LON_MIN) * LON_FACTOR)
VIEWBOX_HEIGHT = math.ceil((LAT_MAX - LAT_MIN) * SCALE)

#: Simplification tolerances, in map units, that keep the stored paths small
#: (all municipalities well under 400 KB, all counties well under 150 KB)
#: while staying sharp on a map drawn about 1000 pixels tall.
MUNICIPALITY_TOLERANCE = 0.5
COUNTY_TOLERANCE = 0.9

Point = tuple[float, float]


class GeometryError(ValueError):
    """The geometry is not a GeoJSON Polygon or MultiPolygon we can draw."""


def project(lon: float, lat: float) -> Point:
    """Project WGS84 longitude/latitude to map units (x right, y down)."""
    return ((lon - LON_MIN) * LON_FACTOR * SCALE, (LAT_MAX - lat) * SCALE)


def geometry_to_svg_path(geometry: dict, tolerance: float) -> str:
    """Return the SVG path data ("M…L…Z" per ring) for a Polygon or MultiPolygon.

    Every ring is projected, simplified (Douglas–Peucker, ``tolerance`` in map
    units), rounded to one decimal and cleared of consecutive duplicates.
    Rings left with fewer than three points are dropped, and so are the holes
    of a dropped outer ring. If simplification would leave nothing at all
    (a very small island municipality), the outline is drawn unsimplified so
    that every feature stays visible. Holes are drawn as further subpaths;
    draw with ``fill-rule="evenodd"``.
    """
    return _svg_path(_projected(geometry), tolerance)


def centroid(geometry: dict) -> Point:
    """Return the area-weighted centroid of the largest polygon, in map units.

    Good enough to place a label or a marker; for a MultiPolygon the largest
    part (by the area of its outer ring) is the one people recognise.
    """
    return _centroid(_projected(geometry))


def outline(geometry: dict, tolerance: float) -> tuple[str, Point]:
    """The path of :func:`geometry_to_svg_path` and the centroid of what it draws.

    The centroid is that of the largest polygon as drawn (simplified and
    rounded), so that two geometries that draw the same outline, such as a
    full boundary and its :func:`simplified` copy, put the marker in the same
    place too. It differs from :func:`centroid` of the full geometry by at
    most a map unit or two.
    """
    polygons = _projected(geometry)
    drawn = _drawn(polygons, tolerance)
    return _path_data(drawn), _centroid(drawn or polygons)


def unproject(x: float, y: float) -> Point:
    """The inverse of :func:`project`: map units back to longitude/latitude."""
    return (LON_MIN + x / (LON_FACTOR * SCALE), LAT_MAX - y / SCALE)


def simplified(geometry: dict, tolerance: float, digits: int = 5) -> dict:
    """Return ``geometry`` simplified as the map draws it, and still GeoJSON.

    The rings are simplified as :func:`geometry_to_svg_path` simplifies them
    (Douglas–Peucker with ``tolerance`` in map units; rings of fewer than three
    points dropped; a tiny island kept unsimplified rather than lost), but the
    points stay longitude/latitude, rounded to ``digits`` decimals (5: about
    1 m, as in Kartverket's files). The result is a Polygon or MultiPolygon
    with closed rings, so whatever reads the full geometry reads it too. Drawn
    again with the same tolerance, it gives the outline that the full geometry
    gives (for all 372 boundaries of 2024; a test keeps it so).
    """
    polygons = _projected(geometry)

    def positions(tolerance: float) -> Polygons:
        return _kept(polygons, lambda ring: _longitude_latitude(ring, tolerance, digits))

    kept = positions(tolerance)
    if not kept and tolerance > 0:
        kept = positions(0.0)
    if not kept:
        raise GeometryError("no ring has three distinct points")
    coordinates = [
        [[[lon, lat] for lon, lat in [*ring, ring[0]]] for ring in polygon] for polygon in kept
    ]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


# -- helpers ------------------------------------------------------------------

Polygons = list[list[list[Point]]]


def _svg_path(polygons: Polygons, tolerance: float) -> str:
    return _path_data(_drawn(polygons, tolerance))


def _drawn(polygons: Polygons, tolerance: float) -> Polygons:
    """The rings as the map draws them: simplified, rounded, the closing point implicit.

    If simplification would leave nothing (a tiny island), unsimplified.
    """
    drawn = _kept(polygons, lambda ring: _prepare_ring(ring, tolerance))
    if not drawn and tolerance > 0:
        drawn = _kept(polygons, lambda ring: _prepare_ring(ring, 0.0))
    return drawn


def _centroid(polygons: Polygons) -> Point:
    if not polygons:
        raise GeometryError("the geometry has no polygons")
    ring = max((polygon[0] for polygon in polygons), key=lambda r: abs(_signed_area(r)))
    area = _signed_area(ring)
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return (round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1))
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in _edges(ring):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (round(cx / (6 * area), 1), round(cy / (6 * area), 1))


def _projected(geometry: dict) -> Polygons:
    """Return the polygons of ``geometry`` as lists of rings of projected points.

    Checks the structure so that bad input gives a clear GeometryError instead
    of a TypeError deep inside the arithmetic.
    """
    if not isinstance(geometry, dict):
        raise GeometryError("the geometry is not a JSON object")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list):
            raise GeometryError("MultiPolygon coordinates are not a list")
        polygons = coordinates
    else:
        raise GeometryError(f"expected a Polygon or MultiPolygon, got {kind!r}")
    return [[_ring(ring) for ring in _list(polygon, "polygon")] for polygon in polygons]


def _list(value: object, what: str) -> list:
    if not isinstance(value, list) or not value:
        raise GeometryError(f"a {what} is not a non-empty list")
    return value


def _ring(ring: object) -> list[Point]:
    """Project one ring of [longitude, latitude] positions, checking each one.

    This runs for every vertex of a load, so the checks are cheap ones.
    """
    kx, scale = LON_FACTOR * SCALE, SCALE
    points = []
    append = points.append
    for position in _list(ring, "ring"):
        try:
            lon, lat = position[0], position[1]
        except (TypeError, LookupError):
            lon = lat = None
        if type(lon) not in _NUMBERS or type(lat) not in _NUMBERS:
            raise GeometryError(f"{position!r} is not a [longitude, latitude] position")
        append(((lon - LON_MIN) * kx, (LAT_MAX - lat) * scale))
    return points


_NUMBERS = (float, int)


def _path_data(drawn: Polygons) -> str:
    return "".join(_subpath(ring) for polygon in drawn for ring in polygon)


def _kept(polygons: Polygons, prepare: Callable[[list[Point]], list[Point]]) -> Polygons:
    """Each polygon's rings after ``prepare``, without those left with under three points.

    A polygon whose outer ring is dropped is dropped whole: without its outer
    ring a polygon's holes mean nothing.
    """
    kept = []
    for polygon in polygons:
        rings = []
        for index, ring in enumerate(polygon):
            points = prepare(ring)
            if len(points) < 3:
                if index == 0:
                    break
                continue
            rings.append(points)
        if rings:
            kept.append(rings)
    return kept


def _longitude_latitude(ring: list[Point], tolerance: float, digits: int) -> list[Point]:
    """Simplify one projected ring and return it as rounded longitude/latitude positions."""
    positions = _dedupe(
        (round(lon, digits), round(lat, digits))
        for lon, lat in (unproject(x, y) for x, y in _simplify(ring, tolerance))
    )
    if len(positions) > 1 and positions[0] == positions[-1]:
        positions.pop()
    return positions


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Simplify one ring, dropping its closing point (which is then implicit)."""
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if tolerance > 0 and len(points) > 3:
        points = _simplify_ring(points, tolerance)
    return points


def _prepare_ring(points: list[Point], tolerance: float) -> list[Point]:
    """Simplify, round and de-duplicate one ring; the closing point is implicit."""
    rounded = _dedupe((round(x, 1), round(y, 1)) for x, y in _simplify(points, tolerance))
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    return rounded


def _dedupe(points: Iterable[Point]) -> list[Point]:
    result: list[Point] = []
    for point in points:
        if not result or result[-1] != point:
            result.append(point)
    return result


def _simplify_ring(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker for a closed ring.

    The ring is split at the point farthest from its first point, so that
    each half is an open polyline with distinct ends.
    """
    first = points[0]
    far = max(range(len(points)), key=lambda i: _distance_sq(points[i], first))
    if far == 0:
        return points[:1]
    head = _simplify_line(points[: far + 1], tolerance)
    tail = _simplify_line([*points[far:], first], tolerance)
    return head[:-1] + tail[:-1]


def _simplify_line(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker for an open polyline; keeps both end points."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        (ax, ay), (bx, by) = points[start], points[end]
        dx, dy = bx - ax, by - ay
        length_sq = dx * dx + dy * dy
        index, worst = start, -1.0
        # The hot loop of a load: distance to the line through a and b
        # (cross product), or to a itself when a and b coincide.
        for i in range(start + 1, end):
            px, py = points[i]
            if length_sq:
                cross = (px - ax) * dy - (py - ay) * dx
                d = cross * cross / length_sq
            else:
                d = (px - ax) ** 2 + (py - ay) ** 2
            if d > worst:
                index, worst = i, d
        if worst > limit:
            keep[index] = True
            stack.append((start, index))
            stack.append((index, end))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _distance_sq(a: Point, b: Point) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _subpath(points: list[Point]) -> str:
    (x, y), rest = points[0], points[1:]
    return (
        f"M{_number(x)} {_number(y)}"
        + "".join(f"L{_number(a)} {_number(b)}" for a, b in rest)
        + "Z"
    )


def _number(value: float) -> str:
    """One decimal, without a useless ".0" or "-0"."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _signed_area(ring: list[Point]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _edges(ring)) / 2


def _edges(ring: list[Point]) -> Iterable[tuple[Point, Point]]:
    return zip(ring, ring[1:] + ring[:1], strict=True)
