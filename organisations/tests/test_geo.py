"""The map projection and the SVG outlines drawn from GeoJSON (organisations.geo)."""

from __future__ import annotations

import json
import re

import pytest

from organisations import geo

#: One subpath: "M", then "x y" pairs separated by "L", closed by "Z".
NUMBER = r"-?\d+(?:\.\d)?"
SUBPATH = rf"M{NUMBER} {NUMBER}(?:L{NUMBER} {NUMBER})+Z"
PATH = re.compile(rf"(?:{SUBPATH})+")


def square(lon: float, lat: float, size: float) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def polygon(*rings: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def test_oslo_is_south_of_tromso_and_bergen_west_of_oslo():
    oslo, bergen, tromso = (
        geo.project(10.75, 59.91),
        geo.project(5.32, 60.39),
        geo.project(18.96, 69.65),
    )
    assert oslo[1] > tromso[1]  # y grows downwards
    assert bergen[0] < oslo[0]


def test_the_viewbox_holds_the_bounding_box_of_mainland_norway():
    assert geo.VIEWBOX_WIDTH == 1000
    assert geo.project(geo.LON_MIN, geo.LAT_MAX) == pytest.approx((0, 0))
    x, y = geo.project(geo.LON_MAX, geo.LAT_MIN)
    assert x == pytest.approx(geo.VIEWBOX_WIDTH)
    assert y == pytest.approx(geo.VIEWBOX_HEIGHT, abs=1)
    # Lindesnes (the southern tip) and Vardø (the eastern tip) are inside.
    for lon, lat in ((7.05, 57.98), (31.1, 70.37)):
        x, y = geo.project(lon, lat)
        assert 0 <= x <= geo.VIEWBOX_WIDTH and 0 <= y <= geo.VIEWBOX_HEIGHT


def test_a_polygon_becomes_one_closed_path_with_one_decimal():
    path = geo.geometry_to_svg_path(polygon(square(10, 60, 0.5)), tolerance=0)
    assert PATH.fullmatch(path), path
    assert path.count("M") == 1 and path.count("L") == 3


def test_holes_and_the_parts_of_a_multipolygon_become_subpaths():
    with_hole = [square(10, 60, 1), square(10.3, 60.3, 0.3)]
    other = [square(12, 62, 0.5)]
    path = geo.geometry_to_svg_path(
        {"type": "MultiPolygon", "coordinates": [with_hole, other]}, tolerance=0
    )
    assert PATH.fullmatch(path), path
    assert path.count("M") == 3 and path.count("Z") == 3


def test_consecutive_duplicates_and_points_within_the_tolerance_are_dropped():
    lon, lat = 10.0, 60.0
    ring = [
        [lon, lat],
        [lon, lat],  # a duplicate
        [lon + 0.25, lat + 0.000001],  # almost on the line: simplified away
        [lon + 0.5, lat],
        [lon + 0.5, lat + 0.5],
        [lon, lat + 0.5],
        [lon, lat],
    ]
    assert geo.geometry_to_svg_path(polygon(ring), tolerance=0.5).count("L") == 3
    assert geo.geometry_to_svg_path(polygon(ring), tolerance=0).count("L") == 4


def test_a_ring_that_collapses_is_skipped_but_a_tiny_feature_keeps_its_outline():
    tiny = square(10, 60, 0.0001)  # about 10 m: rounds to a single point
    small = square(11, 61, 0.01)  # about 1 km: a few map units
    path = geo.geometry_to_svg_path(
        {"type": "MultiPolygon", "coordinates": [[small], [tiny]]}, tolerance=0
    )
    assert path.count("M") == 1
    # Simplified with a tolerance larger than itself, a small island is still drawn.
    assert PATH.fullmatch(geo.geometry_to_svg_path(polygon(small), tolerance=50))


def test_a_hole_is_dropped_with_its_collapsed_outer_ring():
    tiny = [square(10, 60, 0.0001), square(10.00002, 60.00002, 0.00001)]
    path = geo.geometry_to_svg_path(
        {"type": "MultiPolygon", "coordinates": [tiny, [square(12, 62, 0.5)]]}, tolerance=0
    )
    assert path.count("M") == 1


def test_the_centroid_is_the_middle_of_the_largest_polygon():
    big, small = square(10, 60, 1), square(20, 68, 0.1)
    x, y = geo.centroid({"type": "MultiPolygon", "coordinates": [[small], [big]]})
    left, top = geo.project(10, 61)
    right, bottom = geo.project(11, 60)
    assert x == pytest.approx((left + right) / 2, abs=0.1)
    assert y == pytest.approx((top + bottom) / 2, abs=0.1)


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [10, 60]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[10, 60], ["10", "61"], [11, 61]]]},
        {"type": "Polygon", "coordinates": [[[10, 60], [10], [11, 61]]]},
        {"type": "MultiPolygon", "coordinates": "nonsense"},
        None,
    ],
)
def test_a_geometry_we_cannot_draw_raises_a_geometry_error(geometry):
    with pytest.raises(geo.GeometryError):
        geo.geometry_to_svg_path(geometry, tolerance=0.5)


@pytest.mark.parametrize(
    ("file", "key", "count", "tolerance", "limit"),
    [
        ("kommuner_2024.geojson", "kommunenummer", 357, geo.MUNICIPALITY_TOLERANCE, 400_000),
        ("fylker_2024.geojson", "fylkesnummer", 15, geo.COUNTY_TOLERANCE, 150_000),
    ],
)
def test_the_real_boundaries_give_valid_paths_within_the_size_budget(
    refdata_dir, file, key, count, tolerance, limit
):
    features = json.loads((refdata_dir / file).read_text(encoding="utf-8"))["features"]
    paths = {f["properties"][key]: geo.outline(f["geometry"], tolerance) for f in features}
    assert len(paths) == count
    for number, (path, (x, y)) in paths.items():
        assert PATH.fullmatch(path), number
        assert 0 <= x <= geo.VIEWBOX_WIDTH and 0 <= y <= geo.VIEWBOX_HEIGHT, number
    assert sum(len(path) for path, _centre in paths.values()) < limit
