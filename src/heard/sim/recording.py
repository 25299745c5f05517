"""Data-entry realism: how one true person appears in one record.

People give nicknames, officers mishear and mistype, a name is written family-first, a married
name is used before it was taken or a maiden name after, day and month are swapped, only an age is
taken, an old phone number or address is given. Each function takes the stream it draws from, so a
record is reproducible, and the tags of the noise applied are kept in the ground truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from heard.sim import names
from heard.sim.draw import below
from heard.sim.population import DAYS_PER_YEAR, Address, Person

# Neighbouring keys on a UK keyboard: most typing slips land next door.
_KEYBOARD = (
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)
_NEIGHBOURS: dict[str, str] = {}
for _row in _KEYBOARD:
    for _at, _key in enumerate(_row):
        _near = _row[max(_at - 1, 0) : _at] + _row[_at + 1 : _at + 2]
        _NEIGHBOURS[_key] = _near


@dataclass(frozen=True)
class Detail:
    """How much a record usually captures about someone in a given role."""

    dob: float
    phone: float
    address: float
    email: float


FULL = Detail(dob=0.92, phone=0.8, address=0.93, email=0.15)
CALLER = Detail(dob=0.45, phone=0.97, address=0.6, email=0.05)
WITNESS = Detail(dob=0.5, phone=0.6, address=0.55, email=0.03)
CHILD = Detail(dob=0.85, phone=0.05, address=0.7, email=0.0)


@dataclass(slots=True)
class Recorded:
    name_raw: str
    given: str | None
    family: str | None
    dob: int | None
    age: int | None
    sex: str
    phone_raw: str | None
    phone_e164: str | None
    email: str | None
    address_raw: str | None
    address: Address | None
    noise: list[str] = field(default_factory=list)


def typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard: swap, drop, double or hit a neighbouring key."""
    if len(text) < 2:
        return text + text
    at = rng.randrange(len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0 and text[at] != text[at + 1]:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    if kind == 2:
        return text[: at + 1] + text[at] + text[at + 1 :]
    near = _NEIGHBOURS.get(text[at].lower())
    if not near:
        return text[:at] + text[at + 1 :]
    swapped = rng.choice(near)
    return text[:at] + (swapped.upper() if text[at].isupper() else swapped) + text[at + 1 :]


def given_as_recorded(rng: random.Random, given: str, noise: list[str]) -> str:
    # Fixed bands, so a name with no nickname is not typed wrongly any more often.
    roll = rng.random()
    if roll < 0.09:
        if short := names.nicknames(given):
            noise.append("nickname")
            return names.pick(rng, short)
    elif roll < 0.35:
        if spellings := names.transliterations(given):
            noise.append("transliteration")
            return names.pick(rng, spellings)
    elif roll < 0.38:
        noise.append("typo_given")
        return typo(rng, given)
    elif roll < 0.39:
        noise.append("initial")
        return given[0]
    return given


def family_as_recorded(rng: random.Random, person: Person, day: int, noise: list[str]) -> str:
    family = person.family_on(day)
    if person.name_changed_on is not None and rng.random() < 0.12:
        # Maiden name after marriage, or the married name on an old record typed in later.
        family = person.birth_family if family == person.family else person.family
        noise.append("other_surname")
    roll = rng.random()
    if roll < 0.3:
        if spellings := names.surname_spellings(family) + names.transliterations(family):
            noise.append("surname_spelling")
            return names.pick(rng, spellings)
    elif roll < 0.34:
        noise.append("typo_family")
        return typo(rng, family)
    return family


def dob_as_recorded(
    rng: random.Random, dob: int, day: int, detail: float, noise: list[str]
) -> tuple[int | None, int | None]:
    """Returns (date of birth ordinal, age in years); at most one of them is set."""
    if rng.random() > detail:
        if rng.random() < 0.5:
            noise.append("age_only")
            age = int((day - dob) / DAYS_PER_YEAR)
            return None, max(0, age + (rng.choice((-1, 1)) if rng.random() < 0.3 else 0))
        noise.append("no_dob")
        return None, None
    roll = rng.random()
    if roll < 0.035:
        born = date.fromordinal(dob)
        if born.day <= 12 and born.day != born.month:
            noise.append("day_month_swapped")
            return born.replace(month=born.day, day=born.month).toordinal(), None
    elif roll < 0.055:
        born = date.fromordinal(dob)
        noise.append("dob_slip")
        slipped = born.replace(year=born.year + rng.choice((-10, -1, 1, 10)), day=min(born.day, 28))
        return slipped.toordinal(), None
    elif roll < 0.07:
        noise.append("dob_slip")
        return dob + rng.choice((-1, 1, -10, 10)), None
    return dob, None


def phone_as_recorded(
    rng: random.Random, person: Person, day: int, detail: float, noise: list[str]
) -> tuple[str | None, str | None]:
    """(as written, E.164). The E.164 form comes from the digits, not by parsing the written
    form; a property test shows the normaliser gives the same answer for every written style."""
    if rng.random() > detail:
        return None, None
    phone = person.phone_on(day)
    if person.earlier_phone and phone == person.phone and rng.random() < 0.1:
        phone = person.earlier_phone
        noise.append("old_phone")
    if phone is None:
        phone = person.household.landline
        if phone is None:
            return None, None
    if rng.random() < 0.02:
        noise.append("phone_typo")
        at = rng.randrange(2, len(phone))
        phone = phone[:at] + str((int(phone[at]) + 1) % 10) + phone[at + 1 :]
    return phone_format(rng, phone), "+44" + phone[1:]


def phone_format(rng: random.Random, national: str) -> str:
    """The same number as people say it and handlers type it."""
    style = below(rng, 6)
    if style == 0:
        return national
    if style == 1:
        return f"{national[:5]} {national[5:]}"
    if style == 2:
        return f"+44 {national[1:5]} {national[5:]}"
    if style == 3:
        return f"+44{national[1:]}"
    if style == 4:
        return f"({national[:5]}) {national[5:8]} {national[8:]}"
    return f"44{national[1:]}"


def address_as_recorded(
    rng: random.Random, person: Person, day: int, detail: float, noise: list[str]
) -> tuple[str | None, Address | None]:
    if rng.random() > detail:
        return None, None
    household = person.household
    address = household.address_on(day)
    moved = household.earlier_address is not None and address is household.address
    if moved and household.earlier_address is not None and rng.random() < 0.08:
        address = household.earlier_address
        noise.append("old_address")
    return address_format(rng, address, noise), address


def address_format(rng: random.Random, address: Address, noise: list[str]) -> str:
    street = address.street_name
    if rng.random() < 0.3:
        street = street.replace("Road", "Rd").replace("Street", "St").replace("Avenue", "Ave")
    if rng.random() < 0.03:
        noise.append("address_typo")
        street = typo(rng, street)
    house = address.house.replace(",", "") if rng.random() < 0.5 else address.house
    code = address.postcode
    style = below(rng, 5)
    if style == 0:
        return f"{house} {street}, {address.town}, {code}"
    if style == 1:
        return f"{house} {street}, {code.replace(' ', '')}"
    if style == 2:
        return f"{house}, {street.lower()}, {address.town.lower()}"
    if style == 3:
        return f"{house} {street} {address.town} {code.lower()}"
    return f"{house} {street}"


def record(rng: random.Random, person: Person, day: int, detail: Detail) -> Recorded:
    """One appearance of `person` on `day`, as a busy handler or officer would write it down."""
    noise: list[str] = []
    given = given_as_recorded(rng, person.given, noise)
    family = family_as_recorded(rng, person, day, noise)
    if rng.random() < person.pool.family_first_rate:
        given, family = family, given
        noise.append("names_swapped")
    name_raw = f"{given} {family}"
    if rng.random() < 0.2:
        name_raw = f"{family.upper()}, {given}"
    dob, age = dob_as_recorded(rng, person.dob, day, detail.dob, noise)
    sex = person.sex if rng.random() > 0.02 else "unknown"
    phone_raw, phone_e164 = phone_as_recorded(rng, person, day, detail.phone, noise)
    address_raw, address = address_as_recorded(rng, person, day, detail.address, noise)
    email = person.email if person.email and rng.random() < detail.email else None
    return Recorded(
        name_raw=name_raw,
        given=given,
        family=family,
        dob=dob,
        age=age,
        sex=sex,
        phone_raw=phone_raw,
        phone_e164=phone_e164,
        email=email,
        address_raw=address_raw,
        address=address,
        noise=noise,
    )
