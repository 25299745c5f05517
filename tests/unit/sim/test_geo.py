import random

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.people import normalise
from heard.sim import geo

AREA = geo.CLEVELAND


@settings(deadline=None)  # shared CI cores make first-call timings noisy
@given(
    lon=st.floats(AREA.bbox[0], AREA.bbox[2]),
    lat=st.floats(AREA.bbox[1], AREA.bbox[3]),
)
def test_wgs84_to_national_grid_and_back_returns_the_same_point(lon, lat):
    eastings, northings = geo.wgs84_to_bng([lon], [lat])
    lons, lats = geo.bng_to_wgs84(eastings, northings)
    assert abs(lons[0] - lon) < 1e-7 and abs(lats[0] - lat) < 1e-7


def test_the_national_grid_true_origin_lands_where_the_os_puts_it():
    # 49°N 2°W is E 400000, N -100000 on OSGB36; WGS84 differs by about 100 m there.
    eastings, northings = geo.wgs84_to_bng([-2.0], [49.0])
    assert abs(eastings[0] - 400_000) < 200 and abs(northings[0] + 100_000) < 200


def test_middlesbrough_is_in_the_national_grid_square_for_teesside():
    eastings, northings = geo.wgs84_to_bng([-1.2350], [54.5742])
    assert 445_000 < eastings[0] < 455_000 and 515_000 < northings[0] < 525_000


def test_streets_are_the_same_for_the_same_seed_and_lie_inside_the_force_area():
    for index in range(200):
        street = geo.street(AREA, 9, index)
        assert street == geo.street(AREA, 9, index)
        lons, lats = geo.bng_to_wgs84([street.easting], [street.northing])
        assert geo.inside(AREA, lons[0], lats[0])


def test_postcodes_are_well_formed_and_in_the_towns_district():
    rng = random.Random(3)
    for _ in range(200):
        street = geo.street(AREA, rng.randrange(100), rng.randrange(10_000))
        code = geo.postcode(street, rng.randrange(10))
        assert normalise.postcode(code) == code
        assert code.split()[0] in street.town.districts
