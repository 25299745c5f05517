"""Synthetic people and their noisy re-recordings for the linking benchmark. Never real people.

Names come from the synthetic force's name pools (`heard.sim.name_pools`), and nicknames and
transliterations used as noise from `heard.sim.names`, a table written independently of the
linker's own, so the benchmark does not grade the linker against its own list. Everything else is
drawn here: dates of birth, phones, addresses and postcodes, with households sharing an address
and a family name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from heard.linking.records import LinkRecord
from heard.sim import names as sim_names

STREETS = [
    f"{a} {b}"
    for a in [
        "Orchard",
        "Mill",
        "Kiln",
        "Church",
        "Station",
        "Park",
        "Victoria",
        "Albert",
        "Queen",
        "King",
        "Green",
        "Chapel",
        "Bridge",
        "Manor",
        "Grange",
        "Willow",
        "Beech",
        "Oak",
        "Elm",
        "Cedar",
        "Ash",
        "Hawthorn",
        "Rowan",
        "Meadow",
        "Brook",
        "Hill",
        "Vale",
        "Castle",
        "Abbey",
        "Priory",
        "Market",
        "Water",
        "Forge",
        "Tannery",
        "Foundry",
        "Granary",
        "Rope",
        "Salt",
        "Quarry",
    ]
    for b in ("Road", "Street", "Lane", "Close", "Avenue", "Grove", "Terrace", "Crescent")
]
TOWNS = ["TS", "DL", "NE", "SR", "DH", "LS", "BD", "HG", "YO", "HU", "M", "B", "L", "S"]


@dataclass(frozen=True)
class Person:
    """One indexed record and the person (`person_id`) it records."""

    record: LinkRecord
    origin: str
    person_id: str


def _postcode(rng: random.Random) -> str:
    area = rng.choice(TOWNS)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return f"{area}{rng.randint(1, 29)} {inward}"


def _phone(rng: random.Random) -> str:
    return f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"


def _dob(rng: random.Random) -> str:
    day = date.fromordinal(
        rng.randint(date(1940, 1, 1).toordinal(), date(2010, 12, 31).toordinal())
    )
    return day.isoformat()


def people(count: int, seed: int = 1, repeat_share: float = 0.35) -> Iterator[Person]:
    """`count` person records; about a third of people live with someone sharing their family
    name, and `repeat_share` of people were recorded more than once (as in a force's records)."""
    rng = random.Random(seed)
    noise = random.Random(seed + 7)
    made = 0
    while made < count:
        pool = sim_names.choose_pool(rng)
        family = rng.choice(pool.family)
        address = f"{rng.randint(1, 220)} {rng.choice(STREETS)}"
        postcode = _postcode(rng)
        size = rng.choices((1, 2, 3, 4), weights=(60, 22, 12, 6))[0]
        for _ in range(min(size, count - made)):
            sex = rng.choice("fm")
            given = sim_names.given_name(rng, pool, sex)
            record = LinkRecord(
                f"P{made}",
                given,
                sim_names.family_name_for(pool, family, sex),
                _dob(rng),
                _phone(rng) if rng.random() < 0.85 else None,
                address,
                postcode,
                sex,
            )
            person_id = record.record_id
            made += 1
            yield Person(record, pool.origin, person_id)
            while made < count and noise.random() < repeat_share:
                again = recorded_again(noise, record, f"P{made}")
                made += 1
                yield Person(again, pool.origin, person_id)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    at = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    return text[:at] + rng.choice("aeiourstnl") + text[at + 1 :]


def _variant(rng: random.Random, name: str) -> str:
    options = sim_names.nicknames(name) + sim_names.transliterations(name)
    return rng.choice(options) if options else name


def _noisy_dob(rng: random.Random, dob: str) -> tuple[str | None, int | None]:
    roll = rng.random()
    if roll < 0.15 or not dob:
        return None, None
    if roll < 0.25:
        return None, 2026 - int(dob[:4]) - rng.choice((0, 1))
    year, month, day = dob.split("-")
    if roll < 0.32 and int(day) <= 12:
        return f"{year}-{day}-{month}", None
    if roll < 0.37:
        return f"{int(year) + rng.choice((-1, 1, -10, 10))}-{month}-{day}", None
    return dob, None


def recorded_again(rng: random.Random, person: LinkRecord, record_id: str) -> LinkRecord:
    """The same person as a call handler might record them on another occasion."""
    given, family = person.given_name or "", person.family_name or ""
    if rng.random() < 0.15:
        given = _variant(rng, given)
    if rng.random() < 0.12:
        given = _typo(rng, given)
    if rng.random() < 0.10:
        family = _typo(rng, family)
    if rng.random() < 0.03:
        given, family = family, given
    dob, age = _noisy_dob(rng, person.date_of_birth or "")
    phone = person.phone if rng.random() < 0.6 else (_phone(rng) if rng.random() < 0.5 else None)
    moved = rng.random() < 0.2
    address = f"{rng.randint(1, 220)} {rng.choice(STREETS)}" if moved else person.address
    postcode = _postcode(rng) if moved else person.postcode
    if rng.random() < 0.2:
        address = None
    return replace(
        person,
        record_id=record_id,
        given_name=given.upper() if rng.random() < 0.3 else given,
        family_name=family,
        date_of_birth=dob,
        age=age,
        recorded_on=date(2026, 6, 1) if age is not None else None,
        phone=phone,
        address=address,
        postcode=postcode,
    )


def queries(
    index: list[Person], count: int, seed: int = 2, known_share: float = 0.8
) -> list[tuple[LinkRecord, str | None, str]]:
    """(new record, person_id it re-records or None, origin) for `count` calls."""
    rng = random.Random(seed)
    strangers = people(count, seed=seed + 1000)
    out: list[tuple[LinkRecord, str | None, str]] = []
    for at in range(count):
        if rng.random() < known_share:
            person = rng.choice(index)
            new = recorded_again(rng, person.record, f"Q{at}")
            out.append((new, person.person_id, person.origin))
        else:
            stranger = next(strangers)
            out.append((replace(stranger.record, record_id=f"Q{at}"), None, stranger.origin))
    return out
