"""Turns one chunk's people and plans into rows: the force's records as written down, with the
ground truth beside them. Plans are written in time order so the force's own linking (subjects)
and its safeguarding decisions only ever see the past."""

from __future__ import annotations

import random
from dataclasses import dataclass

from heard.sim import recording, safeguarding, texts
from heard.sim.calibration import Rates
from heard.sim.draw import Weighted, below
from heard.sim.history import DAY, Dyad, Plan, day_of
from heard.sim.ids import Ids
from heard.sim.population import Person, Population, Tie
from heard.sim.population_rows import add_population
from heard.sim.rows import Batch, Codec

DA_CHANNELS: Weighted[str] = Weighted(
    [("999", 0.73), ("101", 0.16), ("online", 0.06), ("silent_55", 0.035), ("text_relay", 0.015)]
)
OTHER_CHANNELS: Weighted[str] = Weighted(
    [("999", 0.40), ("101", 0.48), ("online", 0.11), ("silent_55", 0.005), ("text_relay", 0.005)]
)
# category: (crime share, arrest share of crimes, charge share of arrests)
OTHER_OUTCOMES = {
    "theft": (0.9, 0.1, 0.3),
    "antisocial_behaviour": (0.1, 0.2, 0.2),
    "road_traffic": (0.2, 0.15, 0.4),
    "concern_for_welfare": (0.0, 0.0, 0.0),
    "assault": (0.85, 0.35, 0.3),
    "suspicious": (0.05, 0.2, 0.2),
    "criminal_damage": (0.9, 0.15, 0.25),
    "public_order": (0.7, 0.4, 0.3),
    "burglary": (0.95, 0.1, 0.4),
    "mental_health": (0.0, 0.0, 0.0),
    "missing_person": (0.0, 0.0, 0.0),
    "fraud": (0.9, 0.03, 0.3),
}


@dataclass(slots=True)
class Written:
    """What was recorded about one incident, for the safeguarding decisions that follow."""

    incident_id: int
    at: int
    victim_record: int | None
    suspect_record: int | None
    child_records: list[int]
    crime: bool
    arrest: bool
    charged: bool


class Materialiser:
    def __init__(
        self,
        rng: random.Random,
        batch: Batch,
        codec: Codec,
        force_id: int,
        ids: Ids,
        rates: Rates,
        window: tuple[int, int],
        chunk: int,
    ) -> None:
        # Ids are local to the chunk (the writer shifts them), so references carry the chunk.
        self.chunk = chunk
        self.rng = rng
        self.batch = batch
        self.codec = codec
        self.force_id = force_id
        self.ids = ids
        self.rates = rates
        self.start, self.end = window
        self.safeguarding = safeguarding.Safeguarding(self)

    # --- population and truth ---------------------------------------------------------------

    def write_population(self, pop: Population, ties: list[Tie], dyads: list[Dyad]) -> None:
        add_population(self.batch, self.codec, self.force_id, self.ids, pop, ties, dyads)

    # --- records ----------------------------------------------------------------------------

    def record(self, person: Person, at: int, detail: recording.Detail) -> int:
        rng, c = self.rng, self.codec
        rec = recording.record(rng, person, day_of(at), detail)
        record_id = self.ids.next("person_records")
        location = rec.address.id if rec.address is not None and rng.random() < 0.92 else None
        self.batch.add(
            "person_records",
            (
                record_id,
                self.force_id,
                self._subject(person, rec, at),
                c.ts(at),
                rec.name_raw,
                rec.given,
                rec.family,
                c.day(rec.dob),
                rec.age,
                rec.sex,
                rec.phone_raw,
                rec.phone_e164,
                rec.email,
                rec.address_raw,
                location,
            ),
        )
        self.batch.add("sim_record_truth", (record_id, person.id, ",".join(rec.noise)))
        return record_id

    def _subject(self, person: Person, rec: recording.Recorded, at: int) -> int | None:
        """The force's own earlier linking: mostly right, sometimes missing or duplicated."""
        roll = self.rng.random()
        if person.subject_id is None:
            if roll < 0.1:
                return None
            person.subject_id = self._new_subject(rec, at)
            return person.subject_id
        if roll < 0.85:
            return person.subject_id
        if roll < 0.93:
            return None
        return self._new_subject(rec, at)

    def _new_subject(self, rec: recording.Recorded, at: int) -> int:
        subject_id = self.ids.next("subjects")
        self.batch.add(
            "subjects",
            (
                subject_id,
                self.force_id,
                rec.given or "",
                rec.family or "",
                self.codec.day(rec.dob),
                self.codec.ts(at),
            ),
        )
        return subject_id

    # --- incidents --------------------------------------------------------------------------

    def write_plan(self, plan: Plan) -> None:
        incident_id = self.ids.next("incidents")
        records: dict[str, list[int]] = {}
        for party in plan.parties:
            record_id = self.record(party.person, plan.at, party.detail)
            records.setdefault(party.role, []).append(record_id)
            self.batch.add(
                "involvements",
                (self.ids.next("involvements"), self.force_id, incident_id, record_id, party.role),
            )
        victim = records.get("victim", [None])[0]
        suspect = records.get("suspect", [None])[0]
        breach = plan.dyad is not None and (plan.dyad.order_until or 0) > plan.at
        category = "breach_of_order" if breach and self.rng.random() < 0.6 else plan.category
        crime, arrest, charged = self._outcome(plan, category)
        written = Written(
            incident_id,
            plan.at,
            victim,
            suspect,
            records.get("child_present", []),
            crime,
            arrest,
            charged,
        )
        self._incident_row(plan, written, category)
        self._calls(plan, incident_id, breach)
        if victim is not None and suspect is not None:
            self._relationship(plan, incident_id, victim, suspect)
        if plan.dyad is not None and victim is not None and suspect is not None:
            self.safeguarding.after_da_incident(plan, plan.dyad, written)
        self.batch.add("sim_incident_truth", (incident_id, plan.dyad.id if plan.dyad else None))

    def _outcome(self, plan: Plan, category: str) -> tuple[bool, bool, bool]:
        rng = self.rng
        if plan.is_da:
            escalated = plan.dyad is not None and plan.dyad.pattern == "escalating"
            serious = category != "domestic" or (escalated and plan.index_in_dyad >= 2)
            crime = rng.random() < (0.8 if serious else 0.535)
            arrest = crime and rng.random() < (0.58 if serious else 0.39)
            charged = arrest and rng.random() < self.rates.da_charges_per_crime / 0.446
            return crime, arrest, charged
        crime_p, arrest_p, charge_p = OTHER_OUTCOMES[category]
        crime = rng.random() < crime_p
        arrest = crime and rng.random() < arrest_p
        return crime, arrest, arrest and rng.random() < charge_p

    def _incident_row(self, plan: Plan, w: Written, category: str) -> None:
        rng, c = self.rng, self.codec
        still_open = plan.at > self.end - 2 * DAY and rng.random() < 0.6
        closed = None if still_open else plan.at + int(rng.expovariate(1 / 14_400)) + 600
        if closed is not None and closed > self.end:
            still_open, closed = True, None
        outcome = None if still_open else self._outcome_name(plan, w)
        reference = f"{c.ts(plan.at)!s:.4}-{self.chunk:04d}{w.incident_id:06d}"
        location = plan.location.id if plan.location is not None else None
        row = (
            w.incident_id,
            self.force_id,
            1,
            reference,
            c.ts(plan.at),
            c.ts(closed),
            category,
            plan.is_da,
            w.crime,
            location,
            self._grade(plan),
            w.arrest,
            outcome,
        )
        self.batch.add("incidents", row)

    def _outcome_name(self, plan: Plan, w: Written) -> str:
        rng = self.rng
        recent = plan.at > self.end - 90 * DAY  # investigations take months
        if w.charged:
            return "charged"
        if (w.arrest or w.crime) and recent:
            return "under_investigation"
        if w.arrest:
            return "cautioned" if rng.random() < 0.06 else "no_further_action"
        if w.crime:
            resolved = not plan.is_da and rng.random() < 0.1
            return "community_resolution" if resolved else "no_further_action"
        return "advice_given" if plan.is_da or rng.random() < 0.5 else "no_police_action"

    def _grade(self, plan: Plan) -> str:
        roll = self.rng.random()
        if plan.is_da:
            return "emergency" if roll < 0.58 else "priority" if roll < 0.94 else "scheduled"
        return (
            "emergency"
            if roll < 0.18
            else "priority"
            if roll < 0.55
            else "scheduled"
            if roll < 0.88
            else "resolution"
        )

    def _calls(self, plan: Plan, incident_id: int, breach: bool) -> None:
        rng, c = self.rng, self.codec
        channel = (DA_CHANNELS if plan.is_da else OTHER_CHANNELS).pick(rng)
        text = self._text(plan, breach)
        at = plan.at
        for n in range(1 + plan.extra_calls):
            number = _caller_number(plan.caller, at) if channel != "online" else None
            call_id = self.ids.next("calls")
            self.batch.add(
                "calls",
                (
                    call_id,
                    self.force_id,
                    f"CAD-{self.chunk:04d}-{call_id:07d}",
                    channel,
                    c.ts(at),
                    number,
                    None if channel == "silent_55" else text,
                    incident_id,
                ),
            )
            # Repeat calls the same night come in on 999 as things get worse.
            at += 900 + below(rng, 6301)
            channel = "999" if n == 0 and plan.is_da else channel
            if at >= self.end:
                break

    def _text(self, plan: Plan, breach: bool) -> str:
        if not plan.is_da or plan.dyad is None:
            place = plan.location.text.split(",")[0] if plan.location else "the street"
            return texts.other_text(plan.category, place)
        dyad = plan.dyad
        if plan.third_party:
            return texts.third_party_text(self.rng, victim_sex=dyad.victim.sex)
        kids = any(p.role == "child_present" for p in plan.parties)
        rel = dyad.detail if not dyad.is_former else "ex-partner"
        return texts.da_text(
            self.rng,
            sex=dyad.victim.sex,
            rel=rel,
            kids=kids,
            stalking=plan.category == "stalking_harassment",
            breach=breach,
        )

    def _relationship(self, plan: Plan, incident_id: int, victim: int, suspect: int) -> None:
        if plan.dyad is None:
            if plan.category not in ("assault", "public_order"):
                return
            connection, is_former, detail = "not_connected", False, None
        else:
            dyad = plan.dyad
            connection, is_former, detail = dyad.connection, dyad.is_former, dyad.detail
        self.batch.add(
            "incident_relationships",
            (
                self.ids.next("incident_relationships"),
                self.force_id,
                incident_id,
                victim,
                suspect,
                connection,
                is_former,
                detail,
            ),
        )


def _caller_number(caller: Person | None, at: int) -> str | None:
    if caller is None:
        return None
    return caller.phone_on(day_of(at)) or caller.household.landline
