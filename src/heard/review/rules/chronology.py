"""A chronology for a victim, a suspect or a victim-suspect pair: every record, in time order.

A record tied to an incident belongs when the incident does (the person took part, or for a pair,
the victim and the suspect are both in it); a record about a person alone (an assessment, a
referral, a marker) belongs when it is about the person in focus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from heard.review.rules.case import CaseHistory, Incident
from heard.review.rules.findings import Finding


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    record_id: str
    summary: str
    by: str | None = None


@dataclass(frozen=True)
class Focus:
    victim: str | None = None
    suspect: str | None = None

    def people(self) -> set[str]:
        return {p for p in (self.victim, self.suspect) if p}

    def takes_part(self, incident: Incident) -> bool:
        if self.victim and self.suspect:
            return self.victim in incident.victim_ids and self.suspect in incident.suspect_ids
        everyone = {*incident.victim_ids, *incident.suspect_ids, *incident.child_ids}
        return bool(self.people() & everyone)

    def about(self, *people: str | None) -> bool:
        named = {p for p in people if p}
        if self.victim and self.suspect:
            return self.people() <= named or (self.victim in named and not named - {self.victim})
        return bool(self.people() & named)


def _incident_entries(case: CaseHistory, focus: Focus) -> Iterator[Entry]:
    incidents = {i.id for i in case.incidents if focus.takes_part(i)}
    calls = {
        c.id
        for c in case.calls
        if c.incident_id in incidents
        or (c.incident_id is None and focus.about(c.caller_id, *c.victim_ids, *c.suspect_ids))
    }
    for i in case.incidents:
        if i.id in incidents:
            kind = "domestic abuse incident" if i.domestic_abuse else f"incident ({i.category})"
            yield Entry(i.opened_at, "incident", i.id, f"{kind} opened, grade {i.grade}")
            if i.closed_at:
                arrest = "arrest made" if i.arrest_made else f"no arrest ({i.no_arrest_reason})"
                yield Entry(i.closed_at, "incident", i.id, f"closed: {arrest}", i.closed_by)
    for c in case.calls:
        if c.id in calls:
            yield Entry(c.received_at, "call", c.id, f"{c.channel} call, grade {c.grade}")
            if c.closed_at:
                yield Entry(c.closed_at, "call", c.id, f"call closed ({c.disposition})", c.handler)
    yield from _call_entries(case, calls)
    for a in case.attendances:
        if a.incident_id in incidents:
            if a.dispatched_at:
                yield Entry(a.dispatched_at, "attendance", a.id, "officers dispatched", a.by)
            if a.arrived_at:
                yield Entry(a.arrived_at, "attendance", a.id, "officers arrived", a.by)
    for held in case.arrests:
        if held.incident_id in incidents or (
            held.incident_id is None and focus.about(held.person_id)
        ):
            yield Entry(held.at, "arrest", held.id, f"arrest ({held.outcome})")
    yield from _person_entries(case, focus, incidents)


def _call_entries(case: CaseHistory, calls: set[str]) -> Iterator[Entry]:
    signs = {s.id for s in case.warning_signs if s.call_id in calls}
    for g in case.grade_changes:
        if g.call_id in calls:
            what = "call-back promised" if g.kind.value == "call_back" else f"grade {g.grade}"
            text = f"{what} (was {g.previous_grade}; {g.status}): {g.reason or 'no reason'}"
            yield Entry(g.at, "grade", g.id, text, g.by)
            if g.signed_off_at:
                yield Entry(g.signed_off_at, "grade", g.id, "signed off", g.signed_off_by)
    for s in case.warning_signs:
        if s.id in signs:
            yield Entry(s.raised_at, "warning sign", s.id, f"{s.code} ({s.severity})")
    for a in case.acknowledgements:
        if a.warning_sign_id in signs:
            text = f"acknowledged: {a.action}" + (f" ({a.reason})" if a.reason else "")
            yield Entry(a.at, "acknowledgement", a.id, text, a.by)


def _person_entries(case: CaseHistory, focus: Focus, incidents: set[str]) -> Iterator[Entry]:
    def belongs(incident_id: str | None, *people: str | None) -> bool:
        return incident_id in incidents if incident_id else focus.about(*people)

    for r in case.risk_assessments:
        if belongs(r.incident_id, r.victim_id):
            yield Entry(r.assessed_at, "risk assessment", r.id, f"{r.level} risk", r.by)
    for m in case.marac_referrals:
        if belongs(m.incident_id, m.victim_id):
            text = "MARAC referral: " + (", ".join(m.criteria) or "criteria not recorded")
            yield Entry(m.referred_at, "marac referral", m.id, text, m.by)
    for ref in case.referrals:
        if belongs(ref.incident_id, ref.subject_id, ref.victim_id):
            yield Entry(ref.created_at, "referral", ref.id, f"{ref.kind} referral made", ref.by)
            if ref.delivered_at:
                yield Entry(ref.delivered_at, "referral", ref.id, f"{ref.kind} referral delivered")
    orders = {o.id for o in case.orders if focus.about(o.subject_id, *o.protected_ids)}
    for o in case.orders:
        if o.id in orders:
            yield Entry(o.made_at, "order", o.id, f"{o.type} made")
    for d in case.order_duties:
        if d.order_id in orders:
            done = f"done {d.done_at.isoformat()}" if d.done_at else "not done"
            yield Entry(d.due_at, "order duty", d.id, f"{d.kind} due ({done})")
    for b in case.breaches:
        if b.order_id in orders:
            yield Entry(b.alert_at, "breach", b.id, f"breach alert ({b.kind}): {b.outcome}")
    for mk in case.markers:
        if focus.about(mk.person_id):
            yield Entry(mk.applied_at, "marker", mk.id, f"marker {mk.code}")


def chronology(
    case: CaseHistory,
    focus: Focus,
    *,
    findings: Iterable[Finding] = (),
    kinds: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Entry]:
    """The focus's records (and the findings resting on them), filtered, in time order."""
    entries = list(_incident_entries(case, focus))
    shown = {e.record_id for e in entries}
    entries += [
        Entry(f.at, "finding", f.fingerprint, f"{f.rule} ({f.severity}): {f.summary}")
        for f in findings
        if shown & set(f.evidence)
    ]
    wanted = set(kinds) if kinds is not None else None
    return sorted(
        (
            e
            for e in entries
            if (wanted is None or e.kind in wanted)
            and (since is None or e.at >= since)
            and (until is None or e.at <= until)
        ),
        key=lambda e: (e.at, e.kind, e.record_id),
    )
