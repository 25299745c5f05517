"""What happened to one chunk's people over the years: plans for every incident, domestic abuse
and other, before anything is written down. Times are epoch seconds (UTC)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from heard.sim import recording
from heard.sim.calibration import Rates
from heard.sim.draw import Weighted, below
from heard.sim.population import DAYS_PER_YEAR, Address, Person, Population, Tie

DAY = 86_400
EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()
PATTERNS = (
    ("single", 0.48),
    ("repeat", 0.28),
    ("chronic", 0.10),
    ("escalating", 0.08),
    ("stalking", 0.06),
)
# (category, weight, role of the person, where, share with a second person and their role)
OTHER_KINDS = (
    ("theft", 0.16, "victim", "public", 0.15, "suspect"),
    ("antisocial_behaviour", 0.14, "caller", "home", 0.3, "suspect"),
    ("road_traffic", 0.10, "victim", "public", 0.4, "suspect"),
    ("concern_for_welfare", 0.09, "victim", "home", 0.6, "caller"),
    ("assault", 0.08, "victim", "public", 0.6, "suspect"),
    ("suspicious", 0.08, "caller", "home", 0.05, "suspect"),
    ("criminal_damage", 0.07, "victim", "home", 0.2, "suspect"),
    ("public_order", 0.06, "suspect", "public", 0.3, "victim"),
    ("burglary", 0.06, "victim", "home", 0.05, "suspect"),
    ("mental_health", 0.06, "victim", "home", 0.5, "caller"),
    ("missing_person", 0.04, "victim", "home", 0.9, "caller"),
    ("fraud", 0.06, "victim", "home", 0.0, "suspect"),
)

OTHER_KIND_DRAW = Weighted([(kind, kind[1]) for kind in OTHER_KINDS])


@dataclass(slots=True)
class Party:
    person: Person
    role: str
    detail: recording.Detail


@dataclass(slots=True, eq=False)
class Dyad:
    id: int
    victim: Person
    suspect: Person
    connection: str
    is_former: bool
    detail: str
    pattern: str
    start: int
    end: int
    separated_at: int | None = None
    stopped_reporting: bool = False
    reported: int = 0
    episodes: int = 0
    # Force-side state while incidents are written in time order.
    da_times: list[int] = field(default_factory=list)
    last_marac: int | None = None
    order_until: int | None = None


@dataclass(slots=True)
class Plan:
    at: int
    category: str
    is_da: bool
    parties: list[Party]
    location: Address | None
    caller: Person | None
    dyad: Dyad | None = None
    index_in_dyad: int = 0
    extra_calls: int = 0
    third_party: bool = False


def day_of(ts: int) -> int:
    return ts // DAY + EPOCH_ORDINAL


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means used here, and stream-deterministic."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


EVENING_HOURS = (18, 19, 20, 21, 22, 23, 0, 1, 2)


def at_daytime(rng: random.Random, day_start: int, evening: bool) -> int:
    # Domestic abuse calls peak in the evening and at night; other calls through the day.
    hour = EVENING_HOURS[below(rng, 9)] if evening else 7 + below(rng, 16)
    return day_start + hour * 3600 + below(rng, 3600)


class HistoryPlanner:
    def __init__(
        self, rng: random.Random, pop: Population, rates: Rates, window: tuple[int, int]
    ) -> None:
        self.rng = rng
        self.pop = pop
        self.rates = rates
        self.start, self.end = window
        self.years = (self.end - self.start) / (DAYS_PER_YEAR * DAY)
        self.plans: list[Plan] = []
        self.adults = [p for p in pop.people if p.age_on(day_of(self.end)) >= 18]

    # --- other incidents -------------------------------------------------------------------

    def plan_other(self) -> None:
        rng = self.rng
        rate = self.rates.other_per_1000_people_year / 1000 * self.years
        for person in self.pop.people:
            age = person.age_on(day_of(self.end))
            weight = 0.3 if age < 12 else 1.4 if age < 30 else 1.0 if age < 65 else 0.7
            for _ in range(poisson(rng, rate * weight)):
                self._other(person, OTHER_KIND_DRAW.pick(rng))

    def _other(self, person: Person, kind: tuple[str, float, str, str, float, str]) -> None:
        rng = self.rng
        category, _, role, where, second_share, second_role = kind
        born = (person.dob - EPOCH_ORDINAL) * DAY + 10 * 365 * DAY
        first = max(self.start, born)
        if first >= self.end:
            return
        at = at_daytime(rng, first + below(rng, (self.end - first) // DAY + 1) * DAY, False)
        at = min(at, self.end - 1)
        parties = [Party(person, role, recording.FULL if role != "caller" else recording.CALLER)]
        caller = person if role in ("caller", "victim") else None
        if rng.random() < second_share:
            other = self._second_person(person, second_role)
            if other is not None:
                detail = recording.CALLER if second_role == "caller" else recording.WITNESS
                parties.append(Party(other, second_role, detail))
                caller = other if second_role == "caller" else caller
        home = person.household.address_on(day_of(at))
        places = self.pop.places
        location = home if where == "home" else places[below(rng, len(places))]
        self.plans.append(Plan(at, category, False, parties, location, caller))

    def _second_person(self, person: Person, role: str) -> Person | None:
        if role == "caller":
            others = [m for m in person.household.members if m is not person]
            pool = others or self.adults
        else:
            pool = self.adults
        if not pool:
            return None
        other = self.rng.choice(pool)
        return None if other is person else other

    # --- domestic abuse --------------------------------------------------------------------

    def candidate_ties(self) -> dict[str, list[Tie]]:
        groups: dict[str, list[Tie]] = {"partner": [], "former": [], "family": []}
        adult_day = day_of(self.end)
        for tie in self.pop.ties:
            if tie.a.age_on(adult_day) < 18 or tie.b.age_on(adult_day) < 18:
                continue
            if tie.kind == "partner":
                groups["partner"].append(tie)
            elif tie.kind == "former_partner":
                groups["former"].append(tie)
            else:
                groups["family"].append(tie)
        return groups


PATTERN_DRAW = Weighted(PATTERNS)


def pattern_choice(rng: random.Random) -> str:
    return PATTERN_DRAW.pick(rng)
