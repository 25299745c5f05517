"""Background calls: the ordinary, non-domestic-abuse demand around the scenarios.

Callers are drawn from the force's own person records where the database has them, and are then
recorded again the way a handler takes details down on a busy night (a nickname, a slip of the
keyboard, an age instead of a date of birth, no number), so the linker has real work on every call.
The mix depends only on the seed and the pool: the same seed gives the same calls.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from heard.people.models import Location, PersonRecord
from heard.sim import geo, names, recording
from heard.sim.draw import Weighted
from heard.sim.live.background_texts import KINDS, CallKind
from heard.sim.live.timeline import HANDLER_REF, Action, Kind, speech_seconds
from heard.sim.name_pools import POOLS

# Bedfordshire took about 150,000 999 calls in 2023 (≈17 an hour); the NPCC's 12 million a year
# across 43 forces is ≈32 an hour. 20 an hour is a mid-sized force's 999 and 101 demand at night.
DEFAULT_RATE_PER_HOUR = 20.0
PLACES = geo.PLACE_KINDS
_KIND = Weighted([(kind, kind.weight) for kind in KINDS])


@dataclass(frozen=True)
class PoolPerson:
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    phone: str | None
    address: str | None
    postcode: str | None
    lat: float | None
    lon: float | None


def pool_from_database(
    session: Session, *, force_id: int, size: int, seed: int
) -> list[PoolPerson]:
    """Up to `size` named person records of the force, picked by id with the seed's stream."""
    named = (
        PersonRecord.force_id == force_id,
        PersonRecord.given_name.is_not(None),
        PersonRecord.family_name.is_not(None),
    )
    low, high = session.execute(
        select(func.min(PersonRecord.id), func.max(PersonRecord.id)).where(*named)
    ).one()
    if low is None:
        return []
    rng = random.Random(f"{seed}:pool")
    query = (
        select(PersonRecord, Location)
        .outerjoin(Location, Location.id == PersonRecord.location_id)
        .where(*named)
        .order_by(PersonRecord.id)
        .limit(1)
    )
    seen: dict[int, PoolPerson] = {}
    for _ in range(size):
        row = session.execute(query.where(PersonRecord.id >= rng.randint(low, high))).first()
        if row is not None and row[0].id not in seen:
            seen[row[0].id] = _from_record(row[0], row[1])
    return list(seen.values())


def _from_record(record: PersonRecord, location: Location | None) -> PoolPerson:
    return PoolPerson(
        given_name=record.given_name or "",
        family_name=record.family_name or "",
        date_of_birth=record.date_of_birth,
        sex=record.sex.value,
        phone=record.phone_raw,
        address=record.address_raw or (location.address_text if location else None),
        postcode=location.postcode if location else None,
        lat=location.latitude if location else None,
        lon=location.longitude if location else None,
    )


def synthetic_pool(*, size: int, seed: int) -> list[PoolPerson]:
    """Made-up people from the generator's name pools, when the database cannot be read."""
    rng = random.Random(f"{seed}:synthetic-pool")
    origins = Weighted([(pool, pool.weight) for pool in POOLS])
    people = []
    for index in range(size):
        pool = origins.pick(rng)
        sex = rng.choice(("female", "male"))
        street = geo.street(geo.CLEVELAND, seed, index % 97)
        lons, lats = geo.bng_to_wgs84([street.easting], [street.northing])
        people.append(
            PoolPerson(
                given_name=rng.choice(pool.female if sex == "female" else pool.male),
                family_name=rng.choice(pool.family),
                date_of_birth=date(rng.randint(1945, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                sex=sex,
                # Ofcom keeps 07700 900000-900999 for drama: never a real subscriber.
                phone=f"07700 900{rng.randrange(1000):03d}",
                address=f"{rng.randint(1, 120)} {street.name}, {street.town.name}",
                postcode=geo.postcode(street, 0),
                lat=round(lats[0], 5),
                lon=round(lons[0], 5),
            )
        )
    return people


def as_recorded(
    rng: random.Random, person: PoolPerson, role: str, *, today: date
) -> dict[str, Any]:
    """The person as a handler takes them down: usually right, often not quite."""
    given, family = person.given_name, person.family_name
    nicknames = names.NICKNAMES.get(given)
    if nicknames and rng.random() < 0.25:
        given = rng.choice(nicknames)
    if rng.random() < 0.1:
        family = recording.typo(rng, family)
    out: dict[str, Any] = {"role": role, "given_name": given, "family_name": family}
    out["sex"] = person.sex if person.sex != "unknown" else None
    dob = person.date_of_birth
    roll = rng.random()
    if dob is not None and roll < 0.6:
        out["date_of_birth"] = dob.isoformat()
    elif dob is not None and roll < 0.7 and dob.day <= 12:
        out["date_of_birth"] = f"{dob.month:02d}/{dob.day:02d}/{dob.year}"  # day and month swapped
    elif dob is not None and roll < 0.85:
        out["age"] = max(
            0, today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        )
    if person.phone and rng.random() < 0.85:
        out["phone"] = person.phone
    if person.address and rng.random() < 0.7:
        out["address"] = person.address
    return {k: v for k, v in out.items() if v is not None}


class BackgroundMix:
    """An endless, seeded stream of ordinary calls at `rate_per_hour` (simulated time)."""

    def __init__(
        self,
        pool: list[PoolPerson],
        *,
        seed: int,
        rate_per_hour: float,
        run_tag: str,
        today: date,
    ) -> None:
        if not pool:
            raise ValueError("the background mix needs at least one person to call")
        self.pool = pool
        self.rate = rate_per_hour / 3600.0
        self.rng = random.Random(f"{seed}:background")
        self.run_tag = run_tag
        self.today = today

    def runs(self, *, end: float | None = None) -> Iterator[tuple[float, list[Action]]]:
        """(start, actions) per call in start order; stops after `end` seconds if given."""
        if self.rate <= 0:
            return
        at = 0.0
        for number in range(1, 10**9):  # bounded: the run's end or its stop ends it far sooner
            at += self.rng.expovariate(self.rate)
            if end is not None and at > end:
                return
            yield at, self.call(number, at)

    def call(self, number: int, at: float) -> list[Action]:
        rng = self.rng
        kind = _KIND.pick(rng)
        caller = rng.choice(self.pool)
        key = f"{self.run_tag}-bg{number:05d}"
        place = rng.choice(PLACES)
        street = (caller.address or "the main road").split(",")[0].lstrip("0123456789 ")
        people = [as_recorded(rng, caller, "caller", today=self.today)]
        if kind.other_role is not None:
            people.append(
                as_recorded(rng, rng.choice(self.pool), kind.other_role, today=self.today)
            )
        body = self._intake(kind, caller, key, people, place=place, street=street)
        actions = [Action(at, Kind.CALL, key, body, "background", starts_run=True)]
        if body["channel"] == "999":
            actions += _transcript(kind, key, at, place=place, street=street)
        closes = actions[-1].at + rng.uniform(60, 300)
        actions.append(Action(closes, Kind.CLOSE, key, {"disposition": kind.disposition}))
        return actions

    def _intake(
        self,
        kind: CallKind,
        caller: PoolPerson,
        key: str,
        people: list[dict[str, Any]],
        *,
        place: str,
        street: str,
    ) -> dict[str, Any]:
        rng = self.rng
        roll = rng.random()
        channel = "999" if roll < kind.emergency_share else ("online" if roll > 0.97 else "101")
        body: dict[str, Any] = {
            "source_ref": key,
            "channel": channel,
            "caller_number": caller.phone,
            "free_text": kind.free_text.format(place=place, street=street),
            "handler_ref": HANDLER_REF,
            "people": people,
            "address": caller.address,
            "postcode": caller.postcode,
        }
        if channel == "999" and caller.lat is not None and caller.lon is not None:
            body["aml"] = {
                "lat": round(caller.lat + rng.uniform(-0.002, 0.002), 5),
                "lon": round(caller.lon + rng.uniform(-0.003, 0.003), 5),
                "accuracy_m": rng.choice((8, 15, 30, 50, 120)),
            }
        return {k: v for k, v in body.items() if v is not None}


def _transcript(kind: CallKind, key: str, at: float, *, place: str, street: str) -> list[Action]:
    actions = []
    start = at + 2.0  # the handler answers a moment after the call is put through
    for number, (speaker, template) in enumerate(kind.lines, start=1):
        text = template.format(place=place, street=street)
        end = start + speech_seconds(text)
        body = {
            "segment_id": f"{key}-t{number:03d}",
            "speaker": speaker,
            "text": text,
            "start_ms": round((start - at) * 1000),
            "end_ms": round((end - at) * 1000),
        }
        actions.append(Action(end, Kind.TRANSCRIPT, key, body, "background"))
        start = end + 0.6
    return actions
