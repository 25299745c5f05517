import random

from heard.linking import Linker, LinkRecord
from heard.linking.comparisons import FIELDS
from heard.linking.training import TrainingSettings

SYLLABLES = ["ka", "lo", "mi", "ra", "sen", "dor", "vi", "ta", "bel", "nu", "par", "os"]


def invented_name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).title()


def people(count: int, seed: int = 7) -> list[LinkRecord]:
    rng = random.Random(seed)
    return [
        LinkRecord(
            f"P{i}",
            invented_name(rng, 2),
            invented_name(rng, 3),
            f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"07700 9{rng.randint(0, 99999):05d}",
            f"{rng.randint(1, 99)} {rng.choice(['Mill', 'Kiln', 'Park'])} Lane",
            f"TS{rng.randint(1, 9)} {rng.randint(1, 9)}AB",
        )
        for i in range(count)
    ]


def with_duplicates(originals: list[LinkRecord]) -> list[LinkRecord]:
    """Each person recorded again with a new id and the date of birth day and month swapped."""
    copies = []
    for person in originals:
        year, month, day = (person.date_of_birth or "").split("-")
        copies.append(
            LinkRecord(
                person.record_id + "b",
                person.given_name,
                person.family_name,
                f"{year}-{day}-{month}",
                person.phone,
                person.address,
                person.postcode,
            )
        )
    return originals + copies


def dob_level(model, level: str) -> float:
    at = [spec.name for spec in FIELDS].index("date_of_birth")
    return model.m[at][FIELDS[at].levels.index(level)]


def test_records_without_duplicates_keep_the_starting_m_values():
    linker = Linker.build(people(400))
    model = linker.train(TrainingSettings(u_pairs=20_000))
    assert model.trained["em_iterations"] == 0
    assert model.m == [list(spec.prior_m) for spec in FIELDS]


def test_em_learns_from_duplicates_how_often_dates_are_swapped():
    linker = Linker.build(with_duplicates(people(400)))
    model = linker.train(TrainingSettings(u_pairs=20_000))
    assert model.trained["em_iterations"] > 0
    assert dob_level(model, "day_month_swapped") > 0.3
    assert dob_level(model, "day_month_swapped") > dob_level(model, "exact") * 0.5


def test_u_comes_from_random_pairs_so_agreement_is_rare_between_strangers():
    linker = Linker.build(people(400))
    model = linker.train(TrainingSettings(u_pairs=20_000))
    for at, spec in enumerate(FIELDS):
        if spec.name != "sex":
            assert model.u[at][0] < 0.2, spec.name
