"""Signals from history: what the force already knows about the people and the place on a call.

Every signal is evaluated as at the call's own time (`call.received_at`), like the safeguarding
context in `heard.calls.context`, whose per-subject facts it reuses. Each carries the records
behind it as evidence, so the same facts always give the same signal (and the ledger raises it
once), while a new fact gives a new one.

Who is who on a call: victims are the people named as victims; when none is named, the caller
stands in (a caller about themselves is the usual case). Suspects are the people named as suspects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select
from sqlalchemy.orm import Session

from heard.calls import context
from heard.calls.context import SubjectFacts
from heard.incidents.models import Call, Incident, Relationship, Role
from heard.orders.models import Order
from heard.orders.monitoring.geo import CircleZone, PolygonZone, ZoneError
from heard.people.models import Location, MarkerCode
from heard.risk.history import ASSESSMENTS_OF_VICTIM
from heard.risk.instruments.marac import REPEAT_WINDOW_MONTHS, within_months_before
from heard.risk.models import RiskAssessment, RiskGrade
from heard.signals import history_queries as q
from heard.signals.catalogue import SignalCode, ordinal
from heard.signals.config import SignalSettings
from heard.signals.cues import CueCode
from heard.signals.grading import below
from heard.signals.history_queries import MAX_EVIDENCE
from heard.signals.models import GradeChange, Severity

LONDON = ZoneInfo("Europe/London")
_PRESENT_CUES = frozenset({CueCode.SUSPECT_PRESENT.value, CueCode.ORDER_BREACH.value})


@dataclass(frozen=True)
class Evidence:
    type: str
    id: int
    label: str
    at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "id": self.id, "label": self.label}
        if self.at is not None:
            out["at"] = self.at.isoformat()
        href = _HREF.get(self.type)
        if href:
            out["href"] = href.format(id=self.id)
        return out


_HREF = {"call": "/api/v1/calls/{id}", "subject": "/api/v1/subjects/{id}"}


def _incident(inc: Incident) -> Evidence:
    return Evidence(
        "incident", inc.id, f"incident {inc.reference} on {_day(inc.opened_at)}", inc.opened_at
    )


@dataclass
class ComputedSignal:
    code: SignalCode
    severity: Severity
    words: str
    evidence: list[Evidence]
    subject_id: int | None = None

    @property
    def evidence_key(self) -> str:
        refs = sorted({f"{e.type}:{e.id}" for e in self.evidence})
        basis = f"{self.subject_id}|" + "|".join(refs)
        return hashlib.sha256(basis.encode()).hexdigest()[:32]


@dataclass
class HistoryResult:
    signals: list[ComputedSignal] = field(default_factory=list)
    pair_da_history: bool = False
    hours_since_previous_call: float | None = None
    number_da_history: bool = False

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(s.code.value for s in self.signals)


def _day(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local.day} {local:%b %Y}"


def _time(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local:%H:%M} on {local.day} {local:%b}"


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} hours" if hours >= 2 else f"{delta.total_seconds() / 60:.0f} minutes"


def _window_words(hours: float, tonight: float) -> str:
    if hours <= tonight:
        return "tonight"
    if hours % 24 == 0:
        days = int(hours // 24)
        return f"in {days} days" if days != 1 else "in 24 hours"
    return f"in {hours:g} hours"


@dataclass
class _Party:
    subject_id: int
    name: str
    facts: SubjectFacts
    roles: set[Role]


class HistoryReader:
    """Computes one call's history signals; holds the per-subject facts it reads once."""

    def __init__(
        self,
        session: Session,
        *,
        call: Call,
        settings: SignalSettings,
        cue_codes: Iterable[str] = (),
    ) -> None:
        self.session = session
        self.call = call
        self.at = call.received_at
        self.settings = settings
        self.cue_codes = frozenset(cue_codes)
        self._facts: dict[int, SubjectFacts] = {}
        self._assessed: dict[int, list[RiskAssessment]] = {}
        self.parties = self._parties()
        victims = [p for p in self.parties.values() if Role.VICTIM in p.roles]
        if not victims:
            victims = [p for p in self.parties.values() if Role.CALLER in p.roles]
        self.victims = victims
        victim_ids = {p.subject_id for p in victims}
        self.suspects = [
            p
            for p in self.parties.values()
            if Role.SUSPECT in p.roles and p.subject_id not in victim_ids
        ]
        self.children_on_call = [p for p in self.parties.values() if Role.CHILD_PRESENT in p.roles]

    # --- who is on the call ------------------------------------------------------------------

    def _parties(self) -> dict[int, _Party]:
        rows = self.session.execute(q.PARTIES_ON_CALL, {"call_id": self.call.id}).all()
        parties: dict[int, _Party] = {}
        for subject_id, role in rows:
            if subject_id is None:
                continue
            if subject_id not in parties:
                facts = context._facts(self.session, subject_id)
                name = f"{facts.subject.given_name} {facts.subject.family_name}".strip()
                parties[subject_id] = _Party(subject_id, name or "someone unnamed", facts, set())
            parties[subject_id].roles.add(role)
        return parties

    def _earlier_incidents(self, party: _Party) -> dict[int, Incident]:
        return {
            i: inc
            for i, inc in party.facts.incidents.items()
            if inc.opened_at <= self.at and i != self.call.incident_id
        }

    def _incident_ids_as(self, party: _Party, role: Role) -> set[int]:
        return {i for i, _, r in party.facts.involvements if r is role}

    # --- the signals ---------------------------------------------------------------------------

    def read(self) -> HistoryResult:
        result = HistoryResult()
        gaps: list[float] = []
        for party in self.victims:
            self._repeat_calls(result, party, SignalCode.REPEAT_CALLS_VICTIM, gaps)
            self._high_risk(result, party)
            self._lowered(result, party)
            self._marac(result, party)
            self._call_backs(result, party)
            self._short_gap(result, party)
            for suspect in self.suspects:
                self._pair(result, party, suspect)
        for party in self.suspects:
            self._repeat_calls(result, party, SignalCode.REPEAT_CALLS_SUSPECT, gaps)
            self._other_victims(result, party)
        self._address_calls(result, gaps)
        self._orders(result)
        self._markers(result)
        self._children(result)
        self._number(result)
        result.hours_since_previous_call = min(gaps, default=None)
        return result

    def _earlier_calls(self, query: Select[Call], **params: Any) -> list[Call]:
        """Earlier calls by `query` (one of `history_queries.EARLIER_CALLS_*`), which keeps to
        the force by itself (through the force's incidents or records): a `force_id` filter
        would lead SQLite, which has no statistics, to walk every call of the force instead of
        using the selective index."""
        widest = timedelta(hours=max(self.settings.repeat_windows_hours))
        window = {"call_id": self.call.id, "at": self.at, "since": self.at - widest}
        return list(self.session.scalars(query, {**window, **params}))

    def _repeat_from(self, calls: list[Call], gaps: list[float]) -> tuple[float, list[Call]] | None:
        if not calls:
            return None
        gaps.append((self.at - calls[0].received_at).total_seconds() / 3600)
        for hours in self.settings.repeat_windows_hours:
            inside = [c for c in calls if c.received_at >= self.at - timedelta(hours=hours)]
            if inside:
                return hours, inside
        return None

    def _repeat_severity(self, hours: float) -> Severity:
        if hours <= self.settings.tonight_hours:
            return Severity.HIGH
        return Severity.MEDIUM if hours <= 24 * 7 else Severity.LOW

    def _call_evidence(self, calls: list[Call]) -> list[Evidence]:
        return [
            Evidence("call", c.id, f"call {c.source_ref} at {_time(c.received_at)}", c.received_at)
            for c in calls[:MAX_EVIDENCE]
        ]

    def _covered(self, result: HistoryResult) -> set[int]:
        """Calls already shown as repeats about a person: a second sign for them adds nothing."""
        return {
            e.id
            for s in result.signals
            if s.code in (SignalCode.REPEAT_CALLS_VICTIM, SignalCode.REPEAT_CALLS_SUSPECT)
            for e in s.evidence
        }

    def _repeat_calls(
        self, result: HistoryResult, party: _Party, code: SignalCode, gaps: list[float]
    ) -> None:
        calls = self._earlier_calls(
            q.EARLIER_CALLS_ABOUT_PERSON,
            incident_ids=list(party.facts.incidents),
            record_ids=list(party.facts.record_ids),
        )
        found = self._repeat_from(calls, gaps)
        if found is None or {c.id for c in found[1]} <= self._covered(result):
            return
        hours, calls = found
        who = "victim" if code is SignalCode.REPEAT_CALLS_VICTIM else "suspect"
        words = (
            f"{ordinal(len(calls) + 1)} call {_window_words(hours, self.settings.tonight_hours)} "
            f"about {party.name} ({who})"
        )
        result.signals.append(
            ComputedSignal(
                code,
                self._repeat_severity(hours),
                words,
                self._call_evidence(calls),
                party.subject_id,
            )
        )

    def _address_calls(self, result: HistoryResult, gaps: list[float]) -> None:
        location_id = self.call.location_id
        if location_id is None:
            return
        # Through the incidents at the place (indexed); intake gives a new incident the call's
        # place, so every call from or about the address is found this way.
        calls = self._earlier_calls(q.EARLIER_CALLS_AT_PLACE, location_id=location_id)
        found = self._repeat_from(calls, gaps)
        if found is None or {c.id for c in found[1]} <= self._covered(result):
            return
        hours, calls = found
        place = self.session.get_one(Location, location_id)
        words = (
            f"{ordinal(len(calls) + 1)} call {_window_words(hours, self.settings.tonight_hours)} "
            f"from or about {place.address_text}"
        )
        evidence = [*self._call_evidence(calls), Evidence("location", place.id, place.address_text)]
        result.signals.append(
            ComputedSignal(
                SignalCode.REPEAT_CALLS_ADDRESS, self._repeat_severity(hours), words, evidence
            )
        )

    def _pair(self, result: HistoryResult, victim: _Party, suspect: _Party) -> None:
        as_victim = self._incident_ids_as(victim, Role.VICTIM)
        as_suspect = self._incident_ids_as(suspect, Role.SUSPECT)
        shared = {
            i: inc
            for i, inc in victim.facts.incidents.items()
            if i in as_victim
            and i in as_suspect
            and inc.is_domestic_abuse
            and inc.opened_at <= self.at
        }
        earlier = {i: inc for i, inc in shared.items() if i != self.call.incident_id}
        if not earlier:
            return
        result.pair_da_history = True
        rule = self.settings.marac_escalation
        as_of = self.at.astimezone(LONDON).date()
        in_window = sorted(
            (
                inc
                for inc in shared.values()
                if within_months_before(inc.opened_at.astimezone(LONDON).date(), as_of, rule.months)
            ),
            key=lambda inc: inc.opened_at,
            reverse=True,
        )
        if self.call.incident_id is not None and self.call.incident_id not in shared:
            # This call's own incident counts as one more, as in the MARAC escalation criterion.
            count = len(in_window) + 1
        else:
            count = len(in_window)
        met = count >= rule.incidents
        words = (
            f"{count} domestic abuse incidents between {victim.name} and {suspect.name} in "
            f"{rule.months} months (this call included); MARAC threshold {rule.incidents} in "
            f"{rule.months} months {'met' if met else 'not met'}; {len(earlier)} on record in all"
        )
        latest = sorted(earlier.values(), key=lambda i: i.opened_at, reverse=True)
        evidence = [_incident(inc) for inc in latest[:MAX_EVIDENCE]]
        evidence.append(Evidence("subject", suspect.subject_id, suspect.name))
        result.signals.append(
            ComputedSignal(
                SignalCode.DA_INCIDENTS_PAIR,
                Severity.HIGH if met else Severity.MEDIUM,
                words,
                evidence,
                victim.subject_id,
            )
        )
        self._separation(result, victim, suspect)

    def _separation(self, result: HistoryResult, victim: _Party, suspect: _Party) -> None:
        params = {
            "incident_ids": list(victim.facts.incidents),
            "victim_record_ids": list(victim.facts.record_ids),
            "suspect_record_ids": list(suspect.facts.record_ids),
            "since": self.at - timedelta(days=365),
            "at": self.at,
        }
        rows: list[tuple[Relationship, datetime]] = [
            (rel, at) for rel, at in self.session.execute(q.FORMER_PARTNERS_SINCE, params)
        ]
        if not rows:
            return
        evidence = [
            Evidence(
                "relationship",
                rel.id,
                f"recorded as former {rel.connection.value.replace('_', ' ')} on {_day(at)}",
                at,
            )
            for rel, at in rows[:MAX_EVIDENCE]
        ]
        result.signals.append(
            ComputedSignal(
                SignalCode.RECENT_SEPARATION,
                Severity.MEDIUM,
                f"{victim.name} and {suspect.name} recorded as separated in the last year",
                evidence,
                victim.subject_id,
            )
        )

    def _high_risk(self, result: HistoryResult, party: _Party) -> None:
        rows = [r for r in self._assessments(party) if r.grade == RiskGrade.HIGH][:MAX_EVIDENCE]
        if not rows:
            return
        latest = rows[0]
        words = (
            f"{party.name} was assessed high risk on {_day(latest.assessed_at)} "
            f"({latest.instrument})"
            + (f" and {len(rows) - 1} more time(s)" if len(rows) > 1 else "")
        )
        evidence = [
            Evidence(
                "risk_assessment",
                r.id,
                f"{r.instrument} high on {_day(r.assessed_at)}",
                r.assessed_at,
            )
            for r in rows
        ]
        result.signals.append(
            ComputedSignal(
                SignalCode.EARLIER_HIGH_RISK, Severity.HIGH, words, evidence, party.subject_id
            )
        )

    def _assessments(self, party: _Party) -> list[RiskAssessment]:
        """The victim's assessments up to the call, latest first; read once for both the
        high-risk and the lowered-grade signs."""
        if not party.facts.record_ids:
            return []
        if party.subject_id not in self._assessed:
            params = {"record_ids": list(party.facts.record_ids), "at": self.at}
            self._assessed[party.subject_id] = list(
                self.session.scalars(ASSESSMENTS_OF_VICTIM, params)
            )
        return self._assessed[party.subject_id]

    def _lowered(self, result: HistoryResult, party: _Party) -> None:
        evidence = [
            Evidence(
                "risk_assessment",
                r.id,
                f"risk grade lowered from {r.earlier_grade.value if r.earlier_grade else '?'} "
                f"to {r.grade.value} on {_day(r.assessed_at)}",
                r.assessed_at,
            )
            for r in [r for r in self._assessments(party) if r.grade_lowered][:MAX_EVIDENCE]
        ]
        evidence += self._lowered_call_grades(party)
        if not evidence:
            return
        evidence.sort(key=lambda e: e.at or self.at, reverse=True)
        latest = evidence[0]
        words = f"An earlier grade for {party.name} was lowered: {latest.label}"
        if len(evidence) > 1:
            words += f" ({len(evidence)} lowered grades on record)"
        result.signals.append(
            ComputedSignal(
                SignalCode.EARLIER_GRADE_LOWERED, Severity.HIGH, words, evidence, party.subject_id
            )
        )

    def _lowered_call_grades(self, party: _Party) -> list[Evidence]:
        """Call grades set below Heard's suggestion, or lowered, on earlier calls about them."""
        incidents = set(party.facts.incidents)
        if not incidents:
            return []
        params = {"incident_ids": list(incidents), "call_id": self.call.id, "at": self.at}
        rows: Iterable[GradeChange] = self.session.scalars(q.GRADES_SET_ON_EARLIER_CALLS, params)
        found = []
        for change in rows:
            if change.grade is None:
                continue
            if below(change.grade, change.previous_grade) or below(
                change.grade, change.suggested_grade
            ):
                was = change.previous_grade or change.suggested_grade
                found.append(
                    Evidence(
                        "grade_change",
                        change.id,
                        f"call grade set to {change.grade.value} below "
                        f"{was.value if was else '?'} on {_day(change.at)}",
                        change.at,
                    )
                )
        return found[:MAX_EVIDENCE]

    def _marac(self, result: HistoryResult, party: _Party) -> None:
        if not party.facts.record_ids:
            return
        as_of = self.at.astimezone(LONDON).date()
        params = {
            "record_ids": list(party.facts.record_ids),
            "at": self.at,
            "since": self.at - timedelta(days=372),
        }
        rows = [
            m
            for m in self.session.scalars(q.MARAC_REFERRALS_SINCE, params)
            if within_months_before(
                m.referred_at.astimezone(LONDON).date(), as_of, REPEAT_WINDOW_MONTHS
            )
        ]
        if not rows:
            return
        words = (
            f"{party.name} was referred to MARAC on {_day(rows[0].referred_at)}: this is a repeat "
            "and must go back to MARAC"
        )
        evidence = [
            Evidence(
                "marac_referral", m.id, f"MARAC referral on {_day(m.referred_at)}", m.referred_at
            )
            for m in rows
        ]
        result.signals.append(
            ComputedSignal(
                SignalCode.MARAC_LAST_12_MONTHS, Severity.HIGH, words, evidence, party.subject_id
            )
        )

    def _call_backs(self, result: HistoryResult, party: _Party) -> None:
        incidents = set(party.facts.incidents)
        if not incidents:
            return
        params = {
            "incident_ids": list(incidents),
            "call_id": self.call.id,
            "at": self.at,
            "dispositions": list(self.settings.call_back_dispositions),
        }
        calls = list(self.session.scalars(q.CALL_BACKS_ON_INCIDENTS, params))
        if not calls:
            return
        words = (
            f"An earlier call about {party.name} ({_time(calls[0].received_at)}) was promised a "
            "call-back instead of attendance"
        )
        result.signals.append(
            ComputedSignal(
                SignalCode.EARLIER_CALL_BACK,
                Severity.HIGH,
                words,
                self._call_evidence(calls),
                party.subject_id,
            )
        )

    def _short_gap(self, result: HistoryResult, party: _Party) -> None:
        earlier = self._earlier_incidents(party)
        if not earlier:
            return
        last = max(earlier.values(), key=lambda inc: inc.opened_at)
        gap = self.at - last.opened_at
        if gap > timedelta(hours=self.settings.short_gap_hours):
            return
        words = (
            f"{party.name}'s last incident was {_hours(gap)} before this call ({last.reference})"
        )
        result.signals.append(
            ComputedSignal(
                SignalCode.SHORT_GAP_SINCE_LAST_INCIDENT,
                Severity.HIGH if gap <= timedelta(hours=24) else Severity.MEDIUM,
                words,
                [_incident(last)],
                party.subject_id,
            )
        )

    def _other_victims(self, result: HistoryResult, suspect: _Party) -> None:
        da_as_suspect = {
            i
            for i in self._incident_ids_as(suspect, Role.SUSPECT)
            if (inc := suspect.facts.incidents.get(i)) is not None
            and inc.is_domestic_abuse
            and inc.opened_at <= self.at
        }
        on_call = {p.subject_id for p in self.victims}
        others = [
            o
            for o in context._others_in(
                self.session, da_as_suspect, (Role.VICTIM,), suspect.subject_id
            )
            if o["subject_id"] not in on_call
        ]
        if not others:
            return
        names = ", ".join(o["name"] or "unnamed" for o in others[:3])
        words = (
            f"{suspect.name} has domestic abuse history against {len(others)} other "
            f"victim(s): {names}"
        )
        evidence = [
            Evidence("subject", o["subject_id"], f"{o['name']} ({o['incidents']} incident(s))")
            for o in others
        ]
        result.signals.append(
            ComputedSignal(
                SignalCode.SUSPECT_OTHER_VICTIMS, Severity.HIGH, words, evidence, suspect.subject_id
            )
        )

    # --- orders ----------------------------------------------------------------------------

    def _live_orders(self, record_ids: list[int]) -> list[Order]:
        if not record_ids:
            return []
        params = {"at": self.at, "record_ids": record_ids, "protected_ids": record_ids}
        return list(self.session.scalars(q.LIVE_ORDERS_OF_RECORDS, params))

    def _orders(self, result: HistoryResult) -> None:
        parties = [*self.victims, *self.suspects]
        record_ids = [r for p in parties for r in p.facts.record_ids]
        orders = self._live_orders(record_ids)
        if not orders:
            return
        records = list({o.subject_record_id for o in orders})
        subject_of = dict(
            self.session.execute(q.SUBJECTS_OF_RECORDS, {"record_ids": records}).all()
        )
        for order in orders:
            order_subject = subject_of.get(order.subject_record_id)
            subject = self.parties.get(order_subject) if order_subject is not None else None
            kind = order.order_type.value.replace("_", "-")
            about = subject.name if subject else "a person on this call"
            made = _day(order.made_at)
            words = f"Active {kind} order (made {made}) on {about}"
            if order.expires_at:
                words += f", until {_day(order.expires_at)}"
            evidence = [Evidence("order", order.id, f"{kind} order made {made}", order.made_at)]
            result.signals.append(
                ComputedSignal(
                    SignalCode.ACTIVE_ORDER, Severity.HIGH, words, evidence, order_subject
                )
            )
            self._breach(result, order, order_subject, subject)

    def _breach(
        self, result: HistoryResult, order: Order, order_subject: int | None, subject: _Party | None
    ) -> None:
        named = subject is not None
        said_present = bool(self.cue_codes & _PRESENT_CUES)
        if not (named or said_present):
            return
        place = self._protected_place(order)
        if place is None:
            return
        kind = order.order_type.value.replace("_", "-")
        who = subject.name if subject else "the order's subject"
        how = "is named on this call" if named else "is said to be there"
        if named and said_present:
            how = "is named on this call and said to be there"
        words = f"Possible breach of the {kind} order: {who} {how}, and {place}"
        evidence = [
            Evidence("order", order.id, f"{kind} order made {_day(order.made_at)}", order.made_at)
        ]
        if order_subject is not None:
            evidence.append(Evidence("subject", order_subject, who))
        result.signals.append(
            ComputedSignal(
                SignalCode.POSSIBLE_BREACH, Severity.CRITICAL, words, evidence, order_subject
            )
        )

    def _protected_place(self, order: Order) -> str | None:
        """How this call is from or about a place the order protects, or None."""
        location = (
            self.session.get(Location, self.call.location_id) if self.call.location_id else None
        )
        homes = set(self.session.scalars(q.PROTECTED_HOMES, {"order_id": order.id}))
        if location is not None and location.id in homes:
            return f"the call is about {location.address_text}, the protected person's address"
        points = []
        if (
            location is not None
            and location.latitude is not None
            and location.longitude is not None
        ):
            points.append((location.latitude, location.longitude, location.address_text))
        if self.call.aml_latitude is not None and self.call.aml_longitude is not None:
            points.append(
                (self.call.aml_latitude, self.call.aml_longitude, "the caller's location")
            )
        for zone in _zones(order.conditions):
            for lat, lon, label in points:
                depth = zone.depth(lat, lon, 0.0)
                if depth is not None and depth >= 0:
                    return f"{label} is inside the order's exclusion zone"
        return None

    # --- markers, children, number ---------------------------------------------------------

    def _markers(self, result: HistoryResult) -> None:
        subjects = {p.subject_id: p.name for p in [*self.victims, *self.suspects]}
        wanted = {
            MarkerCode.WEAPONS: SignalCode.MARKER_WEAPONS,
            MarkerCode.VIOLENCE: SignalCode.MARKER_VIOLENCE,
        }
        location_id = self.call.location_id
        variant = (bool(subjects), location_id is not None)
        if variant not in q.RISK_MARKERS:
            return
        params = {"at": self.at, "subject_ids": list(subjects), "location_id": location_id}
        for marker in self.session.scalars(q.RISK_MARKERS[variant], params):
            on = subjects.get(marker.subject_id or -1, "this address")
            what = marker.code.value
            applied = _day(marker.applied_at)
            words = f"{what.capitalize()} marker on {on} (applied {applied}, {marker.source})"
            result.signals.append(
                ComputedSignal(
                    wanted[marker.code],
                    Severity.HIGH,
                    words,
                    [Evidence("marker", marker.id, f"{what} marker", marker.applied_at)],
                    marker.subject_id,
                )
            )

    def _children(self, result: HistoryResult) -> None:
        evidence: dict[tuple[str, int], Evidence] = {}
        for party in self.children_on_call:
            evidence[("subject", party.subject_id)] = Evidence(
                "subject", party.subject_id, f"{party.name} (on this call)"
            )
        for party in [*self.victims, *self.suspects]:
            incidents = {i for i, inc in party.facts.incidents.items() if inc.opened_at <= self.at}
            for child in context._others_in(
                self.session, incidents, (Role.CHILD_PRESENT,), party.subject_id
            ):
                key = ("subject", child["subject_id"])
                evidence.setdefault(
                    key, Evidence("subject", child["subject_id"], child["name"] or "a child")
                )
        if self.call.location_id is not None:
            params = {"location_id": self.call.location_id, "at": self.at}
            for marker in self.session.scalars(q.CHILDREN_MARKERS_AT_PLACE, params):
                evidence[("marker", marker.id)] = Evidence(
                    "marker", marker.id, "children-at-address marker"
                )
        if not evidence:
            return
        children = [e for e in evidence.values() if e.type == "subject"]
        names = ", ".join(e.label for e in children[:4])
        words = (
            f"Children linked to the household: {names}"
            if children
            else "Children recorded at this address"
        )
        result.signals.append(
            ComputedSignal(
                SignalCode.CHILDREN_LINKED,
                Severity.MEDIUM,
                words,
                list(evidence.values())[:MAX_EVIDENCE],
            )
        )

    def _number(self, result: HistoryResult) -> None:
        number = self.call.caller_number_e164
        if not number:
            return
        # The number's own calls (indexed), and the history of whoever on this call has the
        # number: the linker already matched them by phone, so their facts are at hand.
        params = {"number": number, "call_id": self.call.id, "at": self.at}
        # The force is checked on the few rows found, not in SQL (see _earlier_calls).
        found = {
            inc.id: inc
            for inc in self.session.scalars(q.DA_INCIDENTS_OF_NUMBER, params)
            if inc.force_id == self.call.force_id
        }
        holders = set(self.session.scalars(q.SUBJECTS_WITH_NUMBER_ON_CALL, params))
        for subject_id in holders:
            party = self.parties.get(subject_id) if subject_id is not None else None
            if party is not None:
                for i, inc in self._earlier_incidents(party).items():
                    if inc.is_domestic_abuse:
                        found.setdefault(i, inc)
        found.pop(self.call.incident_id or -1, None)
        if not found:
            return
        result.number_da_history = True
        incidents = sorted(found.values(), key=lambda inc: inc.opened_at, reverse=True)
        words = (
            f"The calling number {self.call.caller_number or number} is on {len(incidents)} "
            "earlier domestic abuse incident(s)"
        )
        evidence = [_incident(inc) for inc in incidents[:MAX_EVIDENCE]]
        result.signals.append(
            ComputedSignal(SignalCode.NUMBER_DA_HISTORY, Severity.MEDIUM, words, evidence)
        )


def _zones(conditions: dict[str, Any] | None) -> list[CircleZone | PolygonZone]:
    zones: list[CircleZone | PolygonZone] = []
    for n, raw in enumerate((conditions or {}).get("exclusion_zones") or []):
        if not isinstance(raw, dict):
            continue
        try:
            if raw.get("kind") == "circle":
                zones.append(
                    CircleZone(str(n), float(raw["lat"]), float(raw["lon"]), float(raw["radius_m"]))
                )
            elif raw.get("kind") == "polygon":
                zones.append(PolygonZone(str(n), raw["coords"]))
        except (KeyError, TypeError, ValueError, ZoneError):
            continue  # an unreadable zone cannot place the call; the order sign still shows
    return zones


def read_history(
    session: Session, *, call: Call, settings: SignalSettings, cue_codes: Iterable[str] = ()
) -> HistoryResult:
    return HistoryReader(session, call=call, settings=settings, cue_codes=cue_codes).read()
