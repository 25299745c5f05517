"""Exclusion zones: entries, exits, jitter at the edge, and what accuracy does to confidence."""

from __future__ import annotations

import math

import pytest
from pyproj import Transformer

from heard.orders.monitoring import OrderSpec, SpecError, parse_orders
from heard.orders.monitoring.geo import CircleZone, PolygonZone, haversine_m
from tests.support.tracks import CENTRE, fix, moved, run, summary, ts

CIRCLE = CircleZone("victim-home", CENTRE[0], CENTRE[1], 200.0)


def square(zone_id: str = "town-centre", half_m: float = 250.0) -> PolygonZone:
    corners = [moved(n, e) for n, e in ((-half_m, -half_m), (-half_m, half_m), (half_m, half_m))]
    corners.append(moved(half_m, -half_m))
    return PolygonZone(zone_id, [list(c) for c in corners])


def order(*zones: CircleZone | PolygonZone) -> OrderSpec:
    return OrderSpec(order_id="O1", subject_device="S1", zones=zones or (CIRCLE,))


def test_walking_into_a_circle_and_out_again_gives_one_confirmed_entry() -> None:
    track = [fix("S1", ts(0), 1000), fix("S1", ts(1), 100), fix("S1", ts(2), 50)]
    track += [fix("S1", ts(3 + i), 1000) for i in range(6)]
    assert summary(run([order()], track)) == [
        ("zone_entry", "victim-home", "2026-01-14T12:01:00Z", "confirmed")
    ]


def test_the_exit_needs_three_clear_points_over_five_minutes_before_a_new_entry_counts() -> None:
    inside, outside = 0.0, 1000.0
    minutes_and_places = [(0, inside), (1, outside), (2, outside), (3, outside), (4, inside)]
    # Three clear points over only 2 minutes: the return at minute 4 is the same episode.
    minutes_and_places += [(5 + i, outside) for i in range(6)]  # 3+ clear points over 5 minutes
    minutes_and_places += [(12, inside)]
    track = [fix("S1", ts(m), north) for m, north in minutes_and_places]
    starts = [row[2] for row in summary(run([order()], track))]
    assert starts == ["2026-01-14T12:00:00Z", "2026-01-14T12:12:00Z"]


def test_the_run_closes_on_the_point_that_reaches_300_seconds_not_before() -> None:
    track = [fix("S1", ts(0), 0)]
    track += [fix("S1", ts(1 + i * 2.49), 1000) for i in range(3)]  # 3 points spanning 298.8 s
    track += [fix("S1", ts(6), 0)]
    assert len(run([order()], track)) == 1
    track = [fix("S1", ts(0), 0)]
    track += [fix("S1", ts(1 + i * 2.5), 1000) for i in range(3)]  # exactly 300 s: closes
    track += [fix("S1", ts(7), 0)]
    assert len(run([order()], track)) == 2


def test_gps_jitter_across_the_boundary_gives_one_possible_entry_not_twenty() -> None:
    track = [fix("S1", ts(i * 0.5), 200 + (3 if i % 2 else -3), acc=10) for i in range(40)]
    track += [fix("S1", ts(30 + i), 2000) for i in range(6)]
    assert summary(run([order()], track)) == [
        ("zone_entry", "victim-home", "2026-01-14T12:00:00Z", "possible")
    ]


def test_a_400m_fix_just_inside_the_edge_is_possible_until_a_precise_fix_confirms_it() -> None:
    possible = [fix("S1", ts(0), 120, acc=400), fix("S1", ts(1), 2000, acc=10)]
    assert summary(run([order()], possible))[0][3] == "possible"
    confirmed_later = [*possible, fix("S1", ts(2), 10, acc=15)]
    assert summary(run([order()], confirmed_later)) == [
        ("zone_entry", "victim-home", "2026-01-14T12:00:00Z", "confirmed")
    ]


def test_an_outside_fix_within_its_accuracy_of_the_edge_opens_nothing() -> None:
    track = [fix("S1", ts(i), 250, acc=400) for i in range(5)]
    assert run([order()], track) == []


def test_inside_by_exactly_the_accuracy_is_met_but_not_confirmed() -> None:
    track = [fix("S1", ts(0), 150, acc=50)]  # depth 50 = accuracy: not "> acc"
    [alert] = run([order()], track)
    assert alert.confidence == "possible"


def test_entering_a_polygon_is_confirmed_only_when_inside_by_more_than_the_accuracy() -> None:
    zone = square()
    near_edge = [fix("S1", ts(0), 230, acc=5)]  # 20 m inside the northern edge
    assert summary(run([order(zone)], near_edge))[0][3] == "confirmed"
    fuzzy = [fix("S1", ts(0), 230, acc=50)]
    assert summary(run([order(zone)], fuzzy))[0][3] == "possible"
    assert run([order(zone)], [fix("S1", ts(0), 300, acc=20)]) == []


def test_one_fix_inside_two_zones_gives_an_alert_for_each_zone() -> None:
    alerts = run([order(CIRCLE, square())], [fix("S1", ts(0), 0)])
    assert sorted(a.condition for a in alerts) == ["town-centre", "victim-home"]


def test_a_polygon_ring_need_not_repeat_its_first_corner() -> None:
    open_ring = [[54.0, -1.0], [54.0, -0.99], [54.01, -0.99], [54.01, -1.0]]
    closed_ring = [*open_ring, open_ring[0]]
    a = PolygonZone("a", open_ring)
    b = PolygonZone("b", closed_ring)
    for lat, lon in ((54.005, -0.995), (54.0001, -0.995), (54.02, -1.0)):
        assert a.depth(lat, lon, 1e9) == pytest.approx(b.depth(lat, lon, 1e9))


def test_polygon_depth_is_the_distance_to_the_nearest_edge_with_inside_positive() -> None:
    zone = square(half_m=500)
    inside = zone.depth(*moved(400, 0), 1e9)
    outside = zone.depth(*moved(0, 620), 1e9)
    assert inside == pytest.approx(100, abs=0.5)
    assert outside == pytest.approx(-120, abs=0.5)


def test_far_points_are_skipped_without_computing_their_exact_depth() -> None:
    assert square().depth(*moved(5000, 0), 10.0) is None
    assert CIRCLE.depth(*moved(5000, 0), 10.0) is None
    assert CIRCLE.depth(*moved(5000, 0), 10_000.0) == pytest.approx(200 - 5000, abs=1)


def test_circle_distances_are_haversine_on_the_rules_sphere() -> None:
    # One degree of latitude on R = 6,371,008.8 m.
    assert haversine_m(54.0, -1.0, 55.0, -1.0) == pytest.approx(6_371_008.8 * math.pi / 180)
    assert CIRCLE.depth(*moved(0, 150), 0) == pytest.approx(50, abs=0.01)


def _haversine_to_edges(lat: float, lon: float, corners: list[tuple[float, float]]) -> float:
    """Sphere reference: the nearest of many haversine distances along densified edges."""
    best = math.inf
    for i, (lat1, lon1) in enumerate(corners):
        lat2, lon2 = corners[(i + 1) % len(corners)]
        for k in range(2001):
            f = k / 2000
            best = min(
                best, haversine_m(lat, lon, lat1 + f * (lat2 - lat1), lon1 + f * (lon2 - lon1))
            )
    return best


PROBES = ((1400, 0), (0, -1650), (900, 900), (-3000, 2500), (1499, 1200), (-200, -1400))


def test_the_local_projection_matches_haversine_edge_distances_within_half_a_metre_over_3_km() -> (
    None
):
    zone = square(half_m=1500)
    corners = [moved(n, e) for n, e in ((-1500, -1500), (-1500, 1500), (1500, 1500), (1500, -1500))]
    for north, east in PROBES:
        lat, lon = moved(north, east)
        ours = zone.depth(lat, lon, 1e9)
        assert ours is not None
        # Equirectangular error grows with distance from the centre: ~0.1 m at 1.5 km here.
        assert abs(abs(ours) - _haversine_to_edges(lat, lon, corners)) < 0.5


def test_the_local_projection_and_the_british_national_grid_differ_only_by_the_sphere() -> None:
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    zone = square(half_m=1500)
    corners = [moved(n, e) for n, e in ((-1500, -1500), (-1500, 1500), (1500, 1500), (1500, -1500))]
    bng_corners = [to_bng.transform(lon, lat) for lat, lon in corners]
    for north, east in PROBES:
        lat, lon = moved(north, east)
        x, y = to_bng.transform(lon, lat)
        edge_distances = [
            _segment_distance((x, y), bng_corners[i], bng_corners[(i + 1) % 4]) for i in range(4)
        ]
        ours = zone.depth(lat, lon, 1e9)
        assert ours is not None
        # The rules' sphere (R = 6,371,008.8 m) is up to ~0.3% short of the ellipsoid at 54.5 N.
        assert abs(abs(ours) - min(edge_distances)) < 0.004 * abs(ours) + 0.5


def _segment_distance(
    p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    bx, by = b
    px, py = p
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ({"zone_id": "z", "kind": "polygon", "coords": [[54, -1], [54.1, -1]]}, "3 distinct"),
        (
            {"zone_id": "z", "kind": "polygon", "coords": [[54, -1], [54.1, -1], [54.2, -1]]},
            "no area",
        ),
        ({"zone_id": "z", "kind": "circle", "lat": 95, "lon": 0, "radius_m": 5}, "range"),
        ({"zone_id": "z", "kind": "circle", "lat": 54, "lon": 0, "radius_m": -5}, "radius_m"),
        ({"zone_id": "z", "kind": "square", "lat": 54, "lon": 0}, "contract"),
    ],
)
def test_zones_that_cannot_be_monitored_are_refused_with_a_reason(
    zone: dict[str, object], message: str
) -> None:
    document = {"orders": [{"order_id": 1, "subject_device": "S1", "zones": [zone]}]}
    with pytest.raises(SpecError, match=message):
        parse_orders(document)
