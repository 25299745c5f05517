"""The normalisers that fill phone_e164 and postcodes, and the raw forms the generator writes."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.people import normalise
from heard.sim import recording

mobiles = st.from_regex(r"07[1-57-9][0-9]{8}", fullmatch=True)
landlines = st.from_regex(r"01642[2-8][0-9]{5}", fullmatch=True)


@settings(deadline=None)  # shared CI cores make first-call timings noisy
@given(number=st.one_of(mobiles, landlines), seed=st.integers(0, 10_000))
def test_every_way_a_number_is_written_normalises_to_the_same_e164(number, seed):
    written = recording.phone_format(random.Random(seed), number)
    assert normalise.phone_e164(written) == "+44" + number[1:]


@settings(deadline=None)  # shared CI cores make first-call timings noisy
@given(text=st.text(max_size=30))
def test_a_malformed_phone_gives_none_or_a_plus_number_never_an_error(text):
    result = normalise.phone_e164(text)
    assert result is None or (result.startswith("+") and result[1:].isdigit())


def test_a_uk_number_with_a_bracketed_trunk_zero_is_understood():
    assert normalise.phone_e164("+44 (0)7700 900123") == "+447700900123"
    assert normalise.phone_e164("0044 7700 900123") == "+447700900123"
    assert normalise.phone_e164("12345") is None


@settings(deadline=None)  # shared CI cores make first-call timings noisy
@given(
    outward=st.from_regex(r"TS[1-9][0-9]?", fullmatch=True),
    inward=st.from_regex(r"[0-9][ABDEFGHJLNPQRSTUWXYZ]{2}", fullmatch=True),
    spacing=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
)
def test_postcodes_are_canonical_whatever_the_spacing_and_case(outward, inward, spacing, lower):
    raw = f"{outward}{spacing}{inward}"
    assert normalise.postcode(raw.lower() if lower else raw) == f"{outward} {inward}"


def test_text_that_is_not_a_postcode_is_not_turned_into_one():
    assert normalise.postcode("not known") is None
    assert normalise.postcode("") is None


def test_street_abbreviations_normalise_to_the_full_word():
    assert normalise.address("12, Church Rd, MIDDLESBROUGH") == "12 church road middlesbrough"
