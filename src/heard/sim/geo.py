"""A real force-sized area (Cleveland's towns and TS postcode districts), synthetic streets inside
it, and conversion between WGS84 (latitude/longitude) and British National Grid (EPSG:27700).

Streets and postcodes are made up; only the towns, their rough centres and postcode districts are
real, so coordinates and postcodes look right on a map without describing anyone's home.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pyproj import Transformer

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters Royal Mail uses in the inward code


@dataclass(frozen=True)
class Town:
    name: str
    latitude: float
    longitude: float
    districts: tuple[str, ...]
    weight: float
    dialling_code: str
    spread_m: float


@dataclass(frozen=True)
class ForceArea:
    name: str
    # (min_lon, min_lat, max_lon, max_lat): the force boundary's bounding box.
    bbox: tuple[float, float, float, float]
    towns: tuple[Town, ...]


CLEVELAND = ForceArea(
    name="Cleveland",
    bbox=(-1.45, 54.46, -0.79, 54.73),
    towns=(
        Town(
            "Middlesbrough",
            54.5742,
            -1.2350,
            ("TS1", "TS3", "TS4", "TS5", "TS7", "TS8"),
            0.25,
            "01642",
            2500,
        ),
        Town(
            "Stockton-on-Tees",
            54.5705,
            -1.3181,
            ("TS18", "TS19", "TS20", "TS21"),
            0.22,
            "01642",
            2200,
        ),
        Town("Hartlepool", 54.6863, -1.2129, ("TS24", "TS25", "TS26", "TS27"), 0.16, "01429", 2000),
        Town("Redcar", 54.6159, -1.0600, ("TS10", "TS11"), 0.12, "01642", 1800),
        Town("Billingham", 54.6043, -1.2896, ("TS22", "TS23"), 0.07, "01642", 1200),
        Town("Thornaby", 54.5400, -1.3000, ("TS17",), 0.05, "01642", 1000),
        Town("Guisborough", 54.5350, -1.0563, ("TS14",), 0.04, "01287", 900),
        Town("Yarm", 54.5100, -1.3550, ("TS15",), 0.03, "01642", 800),
        Town("Saltburn-by-the-Sea", 54.5830, -0.9740, ("TS12", "TS13"), 0.03, "01287", 900),
        Town("Eston", 54.5580, -1.1450, ("TS6",), 0.03, "01642", 900),
    ),
)


def _listed(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(","))


STREET_STEMS = _listed(
    "Church, Station, Park, Victoria, Albert, Queen's, King's, Mill, High, Grange, Beech, Oak, "
    "Elm, Chestnut, Ash, Willow, Linthorpe, Acklam, Marton, Borough, Cleveland, Durham, York, "
    "Westbourne, Abingdon, Ayresome, Belle Vue, Cambridge, Oxford, Clarendon, Devonshire, "
    "Eaglescliffe, Fairfield, Green, Hall, Heather, Ingleby, Kirkstall, Laburnum, Lime, Manor, "
    "Meadow, Newport, Normanby, Orchard, Priory, Redhill, Rosedale, Sandringham, Stainton, "
    "Thirlmere, Tees, Valley, Wensley, Whitby, Windsor, Cumberland, Northumberland, Alexandra, "
    "Coronation, Jubilee, St Hilda's, St Mary's, Lowther, Ormesby, Nunthorpe, Coulby, Hemlington, "
    "Brookfield, Roseberry, Captain Cook's, Cargo Fleet, Dock, Ferry, Lansdowne, Granville"
)
STREET_TYPES = _listed(
    "Road, Street, Avenue, Lane, Close, Grove, Crescent, Drive, Terrace, Way, Gardens, Court, "
    "Place, Walk, View"
)
PLACE_KINDS = (
    "The Red Lion",
    "The Station Hotel",
    "Co-op",
    "Tesco Express",
    "Leisure Centre",
    "Retail Park",
    "Community Centre",
    "Bus Station",
    "Medical Centre",
    "Park",
)


@dataclass(frozen=True)
class Street:
    index: int
    name: str
    town: Town
    district: str
    sector: int
    easting: int
    northing: int


@cache
def _to_bng() -> Transformer:
    return Transformer.from_crs(WGS84, BNG, always_xy=True)


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(BNG, WGS84, always_xy=True)


def wgs84_to_bng(
    longitudes: Sequence[float], latitudes: Sequence[float]
) -> tuple[list[float], list[float]]:
    eastings, northings = _to_bng().transform(list(longitudes), list(latitudes))
    return list(eastings), list(northings)


def bng_to_wgs84(
    eastings: Sequence[float], northings: Sequence[float]
) -> tuple[list[float], list[float]]:
    """Returns (longitudes, latitudes)."""
    longitudes, latitudes = _to_wgs84().transform(list(eastings), list(northings))
    return list(longitudes), list(latitudes)


@cache
def _town_centres_bng(area: ForceArea) -> tuple[tuple[float, float], ...]:
    eastings, northings = wgs84_to_bng(
        [t.longitude for t in area.towns], [t.latitude for t in area.towns]
    )
    return tuple(zip(eastings, northings, strict=True))


@cache
def _bbox_bng(area: ForceArea) -> tuple[float, float, float, float]:
    min_lon, min_lat, max_lon, max_lat = area.bbox
    eastings, northings = wgs84_to_bng(
        [min_lon, max_lon, min_lon, max_lon], [min_lat, min_lat, max_lat, max_lat]
    )
    return min(eastings), min(northings), max(eastings), max(northings)


def street(area: ForceArea, seed: int, index: int) -> Street:
    """Street number `index` of the area; the same seed and index always give the same street."""
    rng = random.Random(f"{seed}:street:{index}")
    town_at = rng.choices(range(len(area.towns)), weights=[t.weight for t in area.towns])[0]
    town = area.towns[town_at]
    centre_e, centre_n = _town_centres_bng(area)[town_at]
    min_e, min_n, max_e, max_n = _bbox_bng(area)
    # Clip to the box, staying 200 m inside so houses along the street stay within it too.
    easting = min(max(rng.gauss(centre_e, town.spread_m), min_e + 200), max_e - 200)
    northing = min(max(rng.gauss(centre_n, town.spread_m), min_n + 200), max_n - 200)
    name = f"{rng.choice(STREET_STEMS)} {rng.choice(STREET_TYPES)}"
    return Street(
        index,
        name,
        town,
        rng.choice(town.districts),
        rng.randrange(10),
        round(easting),
        round(northing),
    )


def postcode(street: Street, block: int) -> str:
    """A well-formed postcode; houses on one stretch of street share a unit, as in real life."""
    rng = random.Random(f"{street.index}:{block}")
    unit = rng.choice(UNIT_LETTERS) + rng.choice(UNIT_LETTERS)
    return f"{street.district} {street.sector}{unit}"


def inside(area: ForceArea, longitude: float, latitude: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = area.bbox
    return min_lon <= longitude <= max_lon and min_lat <= latitude <= max_lat
