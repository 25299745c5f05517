"""What the force did after each domestic abuse incident: risk assessment, MARAC referral,
notices and orders, markers. Decided from the dyad's recorded past only, as a force would."""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING, Any

from heard.sim.history import DAY, EPOCH_ORDINAL, Dyad, Plan, day_of

if TYPE_CHECKING:
    from heard.sim.materialise import Materialiser, Written

YEAR = 365 * DAY
LEVELS = ("standard", "medium", "high")
PATTERN_RISK = {"single": 0.0, "repeat": 0.8, "chronic": 1.6, "escalating": 1.6, "stalking": 1.8}


def grade_for(yes_count: int) -> str:
    """The DASH bands: 14 or more "yes" is high, 10 to 13 medium (domain facts §7.1)."""
    return "high" if yes_count >= 14 else "medium" if yes_count >= 10 else "standard"


class Safeguarding:
    def __init__(self, mat: Materialiser) -> None:
        self.m = mat
        self.rng: random.Random = mat.rng
        self.dapo_from = (date.toordinal(mat.rates.dapo_from) - EPOCH_ORDINAL) * DAY

    def after_da_incident(self, plan: Plan, dyad: Dyad, w: Written) -> None:
        assert w.victim_record is not None and w.suspect_record is not None
        dyad.da_times.append(w.at)
        grade = self._assess(plan, dyad, w)
        self._marac(dyad, w, grade)
        self._orders(plan, dyad, w, grade)
        self._markers(dyad, w, grade)

    # --- risk -------------------------------------------------------------------------------

    def _assess(self, plan: Plan, dyad: Dyad, w: Written) -> str:
        rng, m = self.rng, self.m
        if rng.random() > 0.9:
            return "standard"  # no assessment recorded for this incident
        risk = PATTERN_RISK[dyad.pattern]
        if dyad.pattern == "escalating":
            risk += 0.55 * plan.index_in_dyad
        if dyad.victim.sex == "male":
            risk -= 2.0  # men are a small share of high-risk (MARAC) cases: 6.5%
        yes = max(0, min(27, round(rng.gauss(4.5 + 2.3 * risk, 3.2))))
        grade = grade_for(yes)
        if grade != "high" and rng.random() < 0.04:
            grade = LEVELS[LEVELS.index(grade) + 1]  # professional judgement raises, never lowers
        earlier = None
        if grade != "standard" and rng.random() < 0.05:
            earlier, grade = grade, LEVELS[LEVELS.index(grade) - 1]  # lowered on review
        instrument = "dara" if w.at > self._dara_from() and rng.random() < 0.3 else "dash-acpo-27"
        m.batch.add(
            "risk_assessments",
            (
                m.ids.next("risk_assessments"),
                m.force_id,
                instrument,
                grade,
                yes if instrument.startswith("dash") else None,
                m.codec.ts(w.at + 3600),
                w.victim_record,
                w.incident_id,
                earlier is not None,
                earlier,
            ),
        )
        if plan.category == "stalking_harassment" and rng.random() < 0.5:
            m.batch.add(
                "risk_assessments",
                (
                    m.ids.next("risk_assessments"),
                    m.force_id,
                    "s-dash-11",
                    grade,
                    min(11, max(0, round(rng.gauss(6, 2)))),
                    m.codec.ts(w.at + 5400),
                    w.victim_record,
                    w.incident_id,
                    False,
                    None,
                ),
            )
        return grade

    def _dara_from(self) -> int:
        return (date(2023, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY

    # --- MARAC ------------------------------------------------------------------------------

    def _marac(self, dyad: Dyad, w: Written, grade: str) -> None:
        rng = self.rng
        recent = [t for t in dyad.da_times if t > w.at - YEAR]
        if dyad.last_marac is not None and dyad.last_marac > w.at - YEAR:
            criteria, chance = ["repeat"], 0.18
        elif grade == "high":
            criteria, chance = ["visible_high_risk"], 0.85
        elif len(recent) >= 3:
            criteria, chance = ["potential_escalation"], 0.05
        else:
            return
        if rng.random() > chance:
            return
        m = self.m
        referred = w.at + rng.randint(1, 5) * DAY
        if referred > self.m.end:
            return
        meeting = day_of(referred) + rng.randint(7, 28)
        held = (meeting - EPOCH_ORDINAL) * DAY < m.end
        roll = rng.random()
        outcome = (
            "pending"
            if not held
            else "action_plan_agreed"
            if roll < 0.85
            else "information_shared"
            if roll < 0.97
            else "not_heard"
        )
        m.batch.add(
            "marac_referrals",
            (
                m.ids.next("marac_referrals"),
                m.force_id,
                w.victim_record,
                w.incident_id,
                m.codec.ts(referred),
                m.codec.json(criteria),
                m.codec.day(meeting),
                outcome,
            ),
        )
        dyad.last_marac = referred
        if dyad.victim.subject_id is not None:
            self._marker(dyad.victim.subject_id, None, "marac", "MARAC", referred, referred + YEAR)

    # --- orders -----------------------------------------------------------------------------

    def _orders(self, plan: Plan, dyad: Dyad, w: Written, grade: str) -> None:
        rng = self.rng
        if w.arrest and rng.random() < 0.45:
            self._order(
                w,
                dyad,
                "bail_conditions",
                w.at + 6 * 3600,
                28 * DAY,
                "Custody sergeant",
                {"no_contact": {"direct": True, "indirect": True}},
            )
        notice_chance = 0.09 if grade == "high" else 0.012
        if rng.random() < notice_chance:
            self._notice(dyad, w)
        separated = dyad.separated_at is not None and w.at > dyad.separated_at
        if rng.random() < (0.25 if separated else 0.02):
            self._order(
                w,
                dyad,
                "non_molestation",
                w.at + rng.randint(3, 20) * DAY,
                rng.choice((183, 365)) * DAY,
                "Family court",
                {"no_contact": {"direct": True, "indirect": True, "online": True}},
            )
        if separated and rng.random() < 0.04:
            self._order(
                w,
                dyad,
                "stalking_protection",
                w.at + 10 * DAY,
                2 * YEAR,
                "Magistrates' court",
                {"no_contact": {"direct": True, "online": True}, "notification_duty": True},
            )
        if w.charged and rng.random() < 0.45:
            self._order(
                w,
                dyad,
                "restraining",
                w.at + rng.randint(40, 150) * DAY,
                None if rng.random() < 0.3 else 2 * YEAR,
                "Crown court",
                {"no_contact": {"direct": True, "indirect": True}},
            )

    def _notice(self, dyad: Dyad, w: Written) -> None:
        rng = self.rng
        zone = self._zone(dyad, w)
        if w.at >= self.dapo_from:
            self._order(w, dyad, "dapn", w.at + 3 * 3600, 2 * DAY, "Inspector", zone)
            if rng.random() < 0.9:
                conditions = {**zone, "notification_duty": True}
                if rng.random() < 0.15:
                    conditions["electronic_monitoring"] = {"type": "gps"}
                length = None if rng.random() < 0.45 else rng.choice((183, 365, 730)) * DAY
                self._order(
                    w, dyad, "dapo", w.at + 2 * DAY, length, "Magistrates' court", conditions
                )
            return
        self._order(w, dyad, "dvpn", w.at + 3 * 3600, 2 * DAY, "Superintendent", zone)
        granted = rng.random() < self.m.rates.dvpo_granted
        self._order(
            w,
            dyad,
            "dvpo",
            w.at + 2 * DAY,
            rng.randint(14, 28) * DAY,
            "Magistrates' court",
            zone,
            refused=not granted,
        )

    def _zone(self, dyad: Dyad, w: Written) -> dict[str, Any]:
        home = dyad.victim.household.address_on(day_of(w.at))
        return {
            "no_contact": {"direct": True, "indirect": True},
            "exclusion_zones": [
                {
                    "kind": "circle",
                    "lat": home.latitude,
                    "lon": home.longitude,
                    "radius_m": self.rng.choice((100, 200, 500)),
                }
            ],
        }

    def _order(
        self,
        w: Written,
        dyad: Dyad,
        kind: str,
        made: int,
        length: int | None,
        issued_by: str,
        conditions: dict[str, Any],
        *,
        refused: bool = False,
    ) -> None:
        m, c = self.m, self.m.codec
        if made > m.end:
            return  # not made yet on the reference date
        expires = None if length is None else made + length
        served = None if refused else made + self.rng.randint(0, 3) * 3600
        order_id = m.ids.next("orders")
        assert w.suspect_record is not None and w.victim_record is not None
        status = self._status(expires, refused=refused)
        m.batch.add(
            "orders",
            (
                order_id,
                m.force_id,
                1,
                kind,
                status,
                w.suspect_record,
                w.incident_id,
                issued_by,
                c.ts(made),
                c.ts(served),
                c.ts(expires),
                c.json(conditions),
            ),
        )
        protected = [w.victim_record]
        if kind in ("dapo", "non_molestation"):
            protected += w.child_records
        for record_id in protected:
            row = (m.ids.next("order_protected_persons"), m.force_id, order_id, record_id)
            m.batch.add("order_protected_persons", row)
        if not refused and kind != "bail_conditions":
            end = expires if expires is not None else made + 5 * YEAR
            dyad.order_until = max(dyad.order_until or 0, end)

    def _status(self, expires: int | None, *, refused: bool) -> str:
        if refused:
            return "refused"
        if expires is not None and expires <= self.m.end:
            return "expired"
        return "discharged" if self.rng.random() < 0.03 else "active"

    # --- markers ----------------------------------------------------------------------------

    def _markers(self, dyad: Dyad, w: Written, grade: str) -> None:
        rng = self.rng
        suspect_subject = dyad.suspect.subject_id
        if w.crime and suspect_subject is not None and len(dyad.da_times) == 1:
            self._marker(suspect_subject, None, "da_history", "Force intelligence", w.at, None)
        if suspect_subject is not None and rng.random() < 0.03:
            self._marker(suspect_subject, None, "weapons", "Force intelligence", w.at, None)
        if grade == "high" and rng.random() < 0.5:
            home = dyad.victim.household.address_on(day_of(w.at))
            self._marker(None, home.id, "da_history", "Risk assessment", w.at, w.at + 2 * YEAR)
        if w.child_records and rng.random() < 0.3:
            home = dyad.victim.household.address_on(day_of(w.at))
            self._marker(None, home.id, "children_at_address", "Attending officer", w.at, None)

    def _marker(
        self,
        subject_id: int | None,
        location_id: int | None,
        code: str,
        source: str,
        at: int,
        expires: int | None,
    ) -> None:
        m = self.m
        m.batch.add(
            "markers",
            (
                m.ids.next("markers"),
                m.force_id,
                subject_id,
                location_id,
                code,
                source,
                m.codec.ts(at),
                m.codec.ts(expires),
            ),
        )
