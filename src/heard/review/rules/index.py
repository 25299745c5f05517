"""Lookups over one case history, built once, shared by every rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel

from heard.review.rules.case import (
    Acknowledgement,
    Arrest,
    Attendance,
    Call,
    CaseHistory,
    Grade,
    GradeChange,
    Incident,
    MaracReferral,
    Marker,
    WarningSign,
)
from heard.review.rules.identity import canonical_ids
from heard.review.rules.integrity import COLLECTIONS, event_times

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
T = TypeVar("T")


def records(case: CaseHistory) -> Iterator[BaseModel]:
    for name in COLLECTIONS:
        yield from getattr(case, name)


def latest_time(case: CaseHistory) -> datetime:
    """The latest thing that happened in the history (the default `as_of`).

    Deadlines (`due_at`, `expires_at`) are not things that happened: an order running to 2030
    must not make every clock in the file look overdue.
    """
    return max((at for _, _, at in event_times(case)), default=EPOCH)


class CaseIndex:
    """The case with its records grouped the ways the rules ask for them."""

    def __init__(self, case: CaseHistory, *, same_person_similarity: float | None = 0.85) -> None:
        self.case = case
        self.as_of = case.as_of or latest_time(case)
        self._same = (
            canonical_ids(case.people, similarity=same_person_similarity)
            if same_person_similarity is not None
            else {}
        )
        self.incidents: dict[str, Incident] = {i.id: i for i in case.incidents}
        self.calls: dict[str, Call] = {c.id: c for c in case.calls}
        self.calls_by_incident = _group(case.calls, lambda c: c.incident_id)
        self.signs_by_call: dict[str, list[WarningSign]] = _group(
            case.warning_signs, lambda s: s.call_id
        )
        self.ack_by_sign: dict[str, Acknowledgement] = {
            a.warning_sign_id: a for a in case.acknowledgements
        }
        self.changes_by_call: dict[str, list[GradeChange]] = _group(
            case.grade_changes, lambda g: g.call_id
        )
        self.attendances_by_incident: dict[str, list[Attendance]] = _group(
            case.attendances, lambda a: a.incident_id
        )
        self.arrests_by_incident: dict[str, list[Arrest]] = _group(
            case.arrests, lambda a: a.incident_id
        )
        self.markers_by_person: dict[str, list[Marker]] = _group(
            case.markers, lambda m: self.who(m.person_id)
        )
        self.marac_by_victim: dict[str, list[MaracReferral]] = _group(
            sorted(case.marac_referrals, key=lambda m: (m.referred_at, m.id)),
            lambda m: self.who(m.victim_id),
        )
        self.orders = {o.id: o for o in case.orders}
        self._incidents_of: dict[str, list[Incident]] = defaultdict(list)
        for incident in sorted(case.incidents, key=lambda i: (i.opened_at, i.id)):
            for victim in dict.fromkeys(self.who(v) for v in incident.victim_ids):
                self._incidents_of[victim].append(incident)

    def who(self, person_id: str) -> str:
        """The id standing for everyone recorded with this person's details (identity.py)."""
        return self._same.get(person_id, person_id)

    def among(self, person_id: str, people: Iterable[str]) -> bool:
        return person_id in {self.who(p) for p in people}

    def call_incident(self, call: Call) -> Incident | None:
        return self.incidents.get(call.incident_id) if call.incident_id else None

    def call_victims(self, call: Call) -> tuple[str, ...]:
        if call.victim_ids:
            return call.victim_ids
        incident = self.call_incident(call)
        return incident.victim_ids if incident else ()

    def call_suspects(self, call: Call) -> tuple[str, ...]:
        if call.suspect_ids:
            return call.suspect_ids
        incident = self.call_incident(call)
        return incident.suspect_ids if incident else ()

    def call_is_da(self, call: Call) -> bool:
        incident = self.call_incident(call)
        return call.domestic_abuse or bool(incident and incident.domestic_abuse)

    def call_grade(self, call: Call) -> Grade | None:
        incident = self.call_incident(call)
        return call.grade or (incident.grade if incident else None)

    def incidents_of_victim(self, victim_id: str) -> list[Incident]:
        return list(self._incidents_of.get(self.who(victim_id), ()))

    def victims(self) -> list[str]:
        seen = {v for i in self.case.incidents for v in i.victim_ids}
        seen |= {v for c in self.case.calls for v in c.victim_ids}
        seen |= {r.victim_id for r in self.case.risk_assessments}
        return sorted({self.who(v) for v in seen})

    def suspects(self) -> list[str]:
        return sorted({self.who(s) for i in self.case.incidents for s in i.suspect_ids})

    def incident_arrested(self, incident: Incident) -> bool:
        return incident.arrest_made or bool(self.arrests_by_incident.get(incident.id))


def _group(items: Iterable[T], key: Callable[[T], str | None]) -> dict[str, list[T]]:
    grouped: defaultdict[str, list[T]] = defaultdict(list)
    for item in items:
        found = key(item)
        if found is not None:
            grouped[found].append(item)
    return dict(grouped)
