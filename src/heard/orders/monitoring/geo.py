"""Distances and zone depth for monitoring.

Circle distances are great-circle (haversine) as the alert rules require. Polygons are projected
with a local equirectangular projection centred on the polygon, on the same sphere: within a few
kilometres of the centre its boundary distances match the sphere to within 0.6 m, and differ
from the British National Grid mainly by the sphere-versus-ellipsoid difference (~0.3 %) that the
rules accept (measured by `bench/bench_monitoring.py --projection-check`; see docs/orders.md).
It costs two multiplications, so far points are skipped for less than one pyproj transform
costs. Shapely does the point-in-polygon and boundary-distance work on the projected shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
M_PER_RAD = EARTH_RADIUS_M
RAD = math.pi / 180.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres on the sphere of the alert rules (R = 6,371,008.8 m)."""
    p1 = lat1 * RAD
    p2 = lat2 * RAD
    dp = p2 - p1
    dl = (lon2 - lon1) * RAD
    h = math.sin(dp * 0.5) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl * 0.5) ** 2
    return 2.0 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def latitude_gap_m(lat1: float, lat2: float) -> float:
    """A lower bound on the great-circle distance: cheap enough to skip far points with."""
    return abs(lat1 - lat2) * RAD * M_PER_RAD


class ZoneError(ValueError):
    """A zone whose shape cannot be used (too few corners, no area, bad coordinates)."""


@dataclass(frozen=True, slots=True)
class LocalProjection:
    """Equirectangular projection about (lat0, lon0): metres east and north of the origin."""

    lat0: float
    lon0: float
    kx: float
    ky: float

    @classmethod
    def about(cls, lat0: float, lon0: float) -> LocalProjection:
        ky = RAD * EARTH_RADIUS_M
        return cls(lat0, lon0, ky * math.cos(lat0 * RAD), ky)

    def forward(self, lat: float, lon: float) -> tuple[float, float]:
        dlon = (lon - self.lon0 + 180.0) % 360.0 - 180.0
        return dlon * self.kx, (lat - self.lat0) * self.ky


class CircleZone:
    """A radius round a point; depth is the radius minus the great-circle distance to the centre."""

    __slots__ = ("lat", "lon", "radius_m", "zone_id")

    def __init__(self, zone_id: str, lat: float, lon: float, radius_m: float) -> None:
        _check_lat_lon(lat, lon)
        if not math.isfinite(radius_m) or radius_m < 0:
            raise ZoneError(f"zone {zone_id}: radius_m must be a number >= 0")
        self.zone_id = zone_id
        self.lat = lat
        self.lon = lon
        self.radius_m = radius_m

    def depth(self, lat: float, lon: float, slack: float) -> float | None:
        """Depth in metres, or None when the point is certainly more than `slack` outside."""
        if latitude_gap_m(lat, self.lat) - self.radius_m > slack:
            return None
        return self.radius_m - haversine_m(lat, lon, self.lat, self.lon)


class PolygonZone:
    """A polygon given as [lat, lon] corners (the ring closes itself)."""

    __slots__ = ("_boundary", "_cx", "_cy", "_polygon", "_proj", "_reach", "zone_id")

    def __init__(self, zone_id: str, coords: Sequence[Sequence[float]]) -> None:
        corners = [(float(c[0]), float(c[1])) for c in coords]
        for lat, lon in corners:
            _check_lat_lon(lat, lon)
        if corners and corners[0] == corners[-1]:
            corners.pop()
        if len(set(corners)) < 3:
            raise ZoneError(f"zone {zone_id}: a polygon needs at least 3 distinct corners")
        lat0 = sum(c[0] for c in corners) / len(corners)
        lon0 = sum(c[1] for c in corners) / len(corners)
        self.zone_id = zone_id
        self._proj = LocalProjection.about(lat0, lon0)
        ring = [self._proj.forward(lat, lon) for lat, lon in corners]
        polygon: BaseGeometry = shapely.make_valid(shapely.Polygon(ring))
        if polygon.area <= 0.0:
            raise ZoneError(f"zone {zone_id}: the polygon encloses no area")
        self._polygon = polygon
        self._boundary = polygon.boundary
        shapely.prepare(self._polygon)
        shapely.prepare(self._boundary)
        self._cx = sum(x for x, _ in ring) / len(ring)
        self._cy = sum(y for _, y in ring) / len(ring)
        self._reach = max(math.hypot(x - self._cx, y - self._cy) for x, y in ring)

    def depth(self, lat: float, lon: float, slack: float) -> float | None:
        """Depth in metres, or None when the point is certainly more than `slack` outside."""
        x, y = self._proj.forward(lat, lon)
        dx = x - self._cx
        dy = y - self._cy
        limit = self._reach + slack
        # Outside the circle round every corner by more than slack: outside the polygon by more.
        if dx * dx + dy * dy > limit * limit:
            return None
        point = shapely.Point(x, y)
        distance = float(shapely.distance(self._boundary, point))
        return distance if shapely.contains_xy(self._polygon, x, y) else -distance


Zone = CircleZone | PolygonZone


def _check_lat_lon(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ZoneError(f"latitude/longitude out of range: {lat}, {lon}")
