"""Domestic abuse over time: which pairs are abusive, the pattern each follows, and the incidents
that reach the police (repeats, escalation, separation then stalking, serial perpetrators,
third-party callers, victims who stop calling)."""

from __future__ import annotations

import random

from heard.sim import recording
from heard.sim.history import (
    DAY,
    Dyad,
    HistoryPlanner,
    Party,
    Plan,
    at_daytime,
    day_of,
    pattern_choice,
    poisson,
)
from heard.sim.ids import Ids
from heard.sim.population import Person, Tie

YEAR = 365 * DAY
GROUP_WEIGHTS = (("partner", 0.45), ("former", 0.27), ("family", 0.28))


class DyadPlanner:
    """Adds abusive dyads to the planner until the chunk's share of DA incidents is reached."""

    def __init__(self, planner: HistoryPlanner, ids: Ids) -> None:
        self.p = planner
        self.rng: random.Random = planner.rng
        self.ids = ids
        self.dyads: list[Dyad] = []
        self.ties: list[Tie] = []
        self._used: set[int] = set()

    def plan(self) -> None:
        rates = self.p.rates
        target = rates.da_per_1000_people_year / 1000 * len(self.p.pop.people) * self.p.years
        groups = self.p.candidate_ties()
        for group in groups.values():
            self.rng.shuffle(group)
        planned = 0
        while planned < target:
            tie = self._next_tie(groups)
            if tie is None:
                break
            dyad = self._dyad_from(tie)
            planned += self._incidents(dyad)
            if dyad.pattern in ("stalking", "escalating", "chronic") and self.rng.random() < 0.3:
                planned += self._serial(dyad)

    def _next_tie(self, groups: dict[str, list[Tie]]) -> Tie | None:
        """A tie between two people not yet in a dyad, from a group drawn by its weight."""
        while names := [g for g, _ in GROUP_WEIGHTS if groups[g]]:
            weights = [w for g, w in GROUP_WEIGHTS if groups[g]]
            tie = groups[self.rng.choices(names, weights)[0]].pop()
            if tie.a.id not in self._used and tie.b.id not in self._used:
                return tie
        return None

    def _dyad_from(self, tie: Tie) -> Dyad:
        rng = self.rng
        a, b = tie.a, tie.b
        pattern = pattern_choice(rng)
        if tie.kind == "parent_child":
            # Abuse of a parent by an adult child is the commoner direction police record.
            victim, suspect = (a, b) if rng.random() < 0.7 else (b, a)
            detail = _family_word(suspect, victim, parent=victim is a)
            pattern = "repeat" if pattern == "stalking" else pattern
        elif tie.kind == "siblings":
            victim, suspect = (a, b) if rng.random() < 0.5 else (b, a)
            detail = "sister" if suspect.sex == "female" else "brother"
            pattern = "repeat" if pattern == "stalking" else pattern
        else:
            victim, suspect = self._intimate_roles(a, b, pattern)
            detail = "former partner" if tie.kind == "former_partner" else "partner"
        if victim.sex == "male" and pattern in ("chronic", "escalating", "stalking"):
            # Men are 6.5% of MARAC (high-risk) cases: their abuse is rarely the severe patterns.
            pattern = "repeat" if rng.random() < 0.7 else pattern
        self._used.update((victim.id, suspect.id))
        return self._new_dyad(victim, suspect, tie, pattern, detail)

    def _intimate_roles(self, a: Person, b: Person, pattern: str) -> tuple[Person, Person]:
        if a.sex == b.sex:
            return (a, b) if self.rng.random() < 0.5 else (b, a)
        woman, man = (a, b) if a.sex == "female" else (b, a)
        # Most recorded victims of partner abuse are women; fewer men, in the riskiest patterns.
        female_victim = 0.92 if pattern in ("escalating", "stalking") else 0.76
        return (woman, man) if self.rng.random() < female_victim else (man, woman)

    def _new_dyad(
        self, victim: Person, suspect: Person, tie: Tie, pattern: str, detail: str
    ) -> Dyad:
        rng = self.rng
        start = self.p.start + rng.randrange(max(1, (self.p.end - self.p.start) // DAY)) * DAY
        is_former = tie.kind == "former_partner" or pattern == "stalking"
        dyad = Dyad(
            self.ids.next("sim_dyads"),
            victim,
            suspect,
            tie.connection,
            is_former,
            detail,
            pattern,
            start,
            start,
        )
        self.dyads.append(dyad)
        return dyad

    def _incidents(self, dyad: Dyad) -> int:
        rng = self.rng
        times = self._times(dyad)
        if len(times) >= 3 and rng.random() < 0.25:
            # The victim stops calling, though the abuse goes on (the truth keeps the end).
            times = times[: rng.randint(1, len(times) - 1)]
            dyad.stopped_reporting = True
        dyad.reported = len(times)
        # Most abuse is never reported: about one episode in five reaches the police.
        share = self.p.rates.reporting_share
        dyad.episodes = dyad.reported + poisson(rng, dyad.reported * (1 / share - 1))
        for index, at in enumerate(times):
            self.p.plans.append(self._plan(dyad, at, index))
        return len(times)

    def _times(self, dyad: Dyad) -> list[int]:
        rng, start = self.rng, dyad.start
        pattern = dyad.pattern
        if pattern == "single":
            gaps = []
        elif pattern == "repeat":
            gaps = [rng.randint(14, 240) * DAY for _ in range(rng.randint(1, 3))]
        elif pattern == "chronic":
            gaps = [rng.randint(30, 200) * DAY for _ in range(rng.randint(4, 11))]
        elif pattern == "escalating":
            first = rng.randint(60, 150)
            gaps = [int(first * 0.78**i) * DAY + DAY for i in range(rng.randint(3, 11))]
        else:
            before = [rng.randint(30, 200) * DAY for _ in range(rng.randint(0, 2))]
            after = [rng.randint(3, 45) * DAY for _ in range(rng.randint(3, 8))]
            gaps = [*before, rng.randint(7, 40) * DAY, *after]
            dyad.separated_at = start + sum(before) + DAY * 2
        times, at = [], start
        for gap in [0, *gaps]:
            at += gap
            if at >= self.p.end:
                break
            times.append(at_daytime(rng, at - at % DAY, True))
        dyad.end = max(times[-1] if times else start, start) + rng.randint(0, 400) * DAY
        return [t for t in times if t < self.p.end]

    def _plan(self, dyad: Dyad, at: int, index: int) -> Plan:
        rng = self.rng
        victim, suspect = dyad.victim, dyad.suspect
        after_split = dyad.separated_at is not None and at > dyad.separated_at
        category = "stalking_harassment" if after_split else "domestic"
        parties = [
            Party(victim, "victim", recording.FULL),
            Party(suspect, "suspect", recording.FULL),
        ]
        caller: Person | None = victim
        third_party = rng.random() < 0.18
        if third_party:
            caller = self._third_party(victim)
            if caller is not None:
                parties.append(Party(caller, "caller", recording.CALLER))
        home = victim.household.address_on(day_of(at))
        location = home if rng.random() < 0.85 else rng.choice(self.p.pop.places)
        if location is home and not after_split:
            for child in victim.household.members:
                if (
                    0 <= child.age_on(day_of(at)) < 16
                    and child is not victim
                    and rng.random() < 0.4
                ):
                    parties.append(Party(child, "child_present", recording.CHILD))
        extra = rng.choice((1, 1, 2)) if rng.random() < 0.14 else 0
        return Plan(
            at,
            category,
            True,
            parties,
            location,
            caller or victim,
            dyad,
            index,
            extra,
            third_party and caller is not None,
        )

    def _third_party(self, victim: Person) -> Person | None:
        rng = self.rng
        household = [
            m
            for m in victim.household.members
            if m is not victim and m is not victim.partner and m.phone
        ]
        if household and rng.random() < 0.35:
            return rng.choice(household)  # often a teenage child or another relative
        neighbour = rng.choice(self.p.adults) if self.p.adults else None
        return None if neighbour is victim else neighbour

    def _serial(self, dyad: Dyad) -> int:
        """The same perpetrator with a new partner, later: serial perpetrators."""
        rng = self.rng
        suspect = dyad.suspect
        wanted = dyad.victim.sex
        for _ in range(20):
            candidate = rng.choice(self.p.adults)
            if (
                candidate.id not in self._used
                and candidate.sex == wanted
                and abs(candidate.dob - suspect.dob) < 15 * 365
                and candidate.household.kind == "single"
            ):
                break
        else:
            return 0
        since = dyad.end + rng.randint(30, 500) * DAY
        if since >= self.p.end - 30 * DAY:
            return 0
        tie = Tie(candidate, suspect, "partner", "intimate_relationship", since=day_of(since))
        self.ties.append(tie)
        self._used.add(candidate.id)
        new = self._new_dyad(
            candidate, suspect, tie, rng.choice(("repeat", "escalating")), "partner"
        )
        new.start = since
        return self._incidents(new)


def _family_word(suspect: Person, victim: Person, *, parent: bool) -> str:
    if parent:  # the suspect is the victim's adult child
        return "adult daughter" if suspect.sex == "female" else "adult son"
    return "mother" if suspect.sex == "female" else "father"
