"""Data-entry noise: each recorded appearance is a plausible, bounded distortion of the truth."""

import random
from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.sim import geo, recording
from heard.sim.ids import Ids
from heard.sim.population import Person, PopulationBuilder

DAY = date(2024, 6, 1).toordinal()


def osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbouring letters as one edit."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


@cache
def people() -> tuple[Person, ...]:
    window = (date(2016, 11, 30).toordinal(), date(2026, 11, 30).toordinal())
    builder = PopulationBuilder(random.Random(5), Ids(), geo.CLEVELAND, 5, window)
    return tuple(builder.build(400, street_base=0, n_streets=10).people)


@settings(deadline=None)  # shared CI cores make first-call timings noisy
@given(
    text=st.text(alphabet=st.characters(categories=["L"]), min_size=2, max_size=20),
    seed=st.integers(0, 10_000),
)
def test_a_typo_is_one_slip_of_the_keyboard(text, seed):
    slipped = recording.typo(random.Random(seed), text)
    assert slipped != text
    assert osa_distance(text, slipped) == 1


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 100_000), at=st.integers(0, 399))
def test_a_record_keeps_a_date_of_birth_or_an_age_never_both(seed, at):
    person = people()[at]
    rec = recording.record(random.Random(seed), person, DAY, recording.FULL)
    assert rec.dob is None or rec.age is None
    if "age_only" in rec.noise:
        assert rec.age is not None and abs(rec.age - person.age_on(DAY)) <= 1


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 100_000), at=st.integers(0, 399))
def test_a_recorded_date_of_birth_is_the_truth_or_a_known_kind_of_slip(seed, at):
    person = people()[at]
    rec = recording.record(random.Random(seed), person, DAY, recording.FULL)
    if rec.dob is None:
        return
    recorded, true = date.fromordinal(rec.dob), date.fromordinal(person.dob)
    if "day_month_swapped" in rec.noise:
        assert (recorded.day, recorded.month) == (true.month, true.day)
    elif "dob_slip" in rec.noise:
        assert abs(recorded.year - true.year) in (0, 1, 10)
    else:
        assert recorded == true


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 100_000), at=st.integers(0, 399))
def test_a_record_without_name_noise_carries_the_name_in_use_that_day(seed, at):
    person = people()[at]
    rec = recording.record(random.Random(seed), person, DAY, recording.FULL)
    name_noise = {
        "nickname",
        "transliteration",
        "typo_given",
        "initial",
        "other_surname",
        "surname_spelling",
        "typo_family",
        "names_swapped",
    }
    if not name_noise & set(rec.noise):
        assert (rec.given, rec.family) == (person.given, person.family_on(DAY))


def test_across_many_records_every_kind_of_noise_the_linker_must_handle_appears():
    rng = random.Random(1)
    seen: set[str] = set()
    for _ in range(30):
        for person in people():
            seen.update(recording.record(rng, person, DAY, recording.FULL).noise)
    expected = {
        "nickname",
        "transliteration",
        "typo_given",
        "typo_family",
        "surname_spelling",
        "day_month_swapped",
        "dob_slip",
        "age_only",
        "old_phone",
        "old_address",
        "names_swapped",
        "other_surname",
        "address_typo",
    }
    assert expected <= seen


def test_most_records_are_written_down_as_the_person_is():
    rng = random.Random(2)
    records = [recording.record(rng, p, DAY, recording.FULL) for p in people() * 5]
    clean = sum(1 for rec in records if not rec.noise)
    assert 0.3 < clean / len(records) < 0.8
