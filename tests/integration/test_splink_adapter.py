"""Splink on DuckDB as Heard's batch engine: training, de-duplication and real-time scoring."""

import random

import pytest

from heard.linking import LinkRecord, Model
from heard.linking import splink_adapter as splink
from heard.linking.comparisons import FIELDS

SYLLABLES = ["ka", "lo", "mi", "ra", "sen", "dor", "vi", "ta", "bel", "nu", "par", "os"]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).title()


def _people(count: int) -> list[LinkRecord]:
    rng = random.Random(11)
    return [
        LinkRecord(
            f"P{i}",
            _name(rng, 2),
            _name(rng, 3),
            f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(13, 28):02d}",
            f"07700 9{rng.randint(0, 99999):05d}",
            f"{rng.randint(1, 99)} {_name(rng, 2)} Road",
            f"TS{rng.randint(1, 9)} {rng.randint(1, 9)}AB",
            rng.choice(["f", "m"]),
        )
        for i in range(count)
    ]


def _recorded_again(person: LinkRecord) -> LinkRecord:
    """The same person on a later call: new id, a typo in the family name, no phone."""
    family = person.family_name or ""
    return LinkRecord(
        person.record_id + "-again",
        person.given_name,
        family[:-2] + family[-1] + family[-2],
        person.date_of_birth,
        None,
        person.address,
        person.postcode,
        person.sex,
    )


@pytest.fixture(scope="module")
def records() -> list[LinkRecord]:
    people = _people(300)
    return people + [_recorded_again(person) for person in people[:150]]


def test_splink_trains_a_model_heard_can_use_level_for_level(records):
    model = splink.train_model(records)
    assert model.trained["engine"] == "splink"
    assert isinstance(Model.from_json(model.to_json()), Model)
    given = [spec.name for spec in FIELDS].index("given_name")
    assert model.m[given][0] > model.u[given][0] * 10


def test_splink_dedupe_puts_each_person_and_their_later_record_in_one_cluster(records):
    clusters = dict(splink.dedupe(records, threshold=0.9))
    assert len(clusters) == len(records)
    together = sum(clusters[f"P{i}"] == clusters[f"P{i}-again"] for i in range(150))
    apart = len({clusters[f"P{i}"] for i in range(150, 300)})
    assert together >= 145
    assert apart == 150


def test_splink_real_time_scoring_finds_the_earlier_record(records):
    people = records[:300]
    scorer = splink.RealtimeScorer.trained_on(people)
    found = scorer.match(_recorded_again(people[3]))
    assert found and found[0][0] == "P3"
