"""What the attending officer's page shows: safety information first, then the advice.

Only incidents the officer was sent to exist for them; every person shown is an audited read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.auth.principal import Principal
from heard.calls import context
from heard.calls import service as calls
from heard.incidents.models import Call, Incident, Role
from heard.review import advice, officers
from heard.review.models import Audience
from heard.signals.catalogue import cue_words
from heard.signals.models import CallCue

VIOLENT_MARKERS = {"violence", "stalking"}


@dataclass
class Safety:
    weapons: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    suspects: list[dict[str, Any]] = field(default_factory=list)
    violence: list[str] = field(default_factory=list)  # earlier, from the records
    threats: list[str] = field(default_factory=list)  # said on this incident's calls
    suspect_now: list[str] = field(default_factory=list)


def incidents(session: Session, *, principal: Principal) -> dict[str, Any]:
    rows = officers.assignments_of(session, officer_user_id=principal.id)
    return {"assignments": rows}


def _people(session: Session, call: Call) -> list[tuple[Any, Role, dict[str, Any] | None]]:
    """Each person on the call with their history up to just before this call, so what the
    officer reads as "earlier" never counts the incident they are going to."""
    before = call.received_at - timedelta(microseconds=1)
    found = []
    for record, role, _ in calls.people_on_call(session, call=call):
        summary = (
            context.subject_summary(
                session,
                subject_id=record.subject_id,
                at=before,
                roles_on_call=[role.value],
            )
            if record.subject_id
            else None
        )
        found.append((record, role, summary))
    return found


def _name(record: Any, summary: dict[str, Any] | None) -> str:
    return str(record.name_raw or (summary or {}).get("name") or "name not given")


def _suspect(record: Any, summary: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "name": _name(record, summary),
        "age": record.age_years,
        "born": record.date_of_birth,
        "sex": record.sex.value if record.sex.value != "unknown" else "sex not recorded",
        "markers": [m["code"] for m in (summary or {}).get("markers", [])],
    }


ORDER_ROLE = {"subject": "the person it restricts", "protected": "the person it protects"}


def _person_safety(found: Safety, record: Any, role: Role, summary: dict[str, Any] | None) -> None:
    name = _name(record, summary)
    facts = summary or {}
    codes = {m["code"] for m in facts.get("markers", [])}
    if "weapons" in codes:
        found.weapons.append(f"Weapons marker on {name} ({role.value})")
    found.violence += [
        f"{code.capitalize()} marker on {name}" for code in sorted(codes & VIOLENT_MARKERS)
    ]
    found.orders += [
        f"{o['order_type'].upper()}: {name} is {ORDER_ROLE.get(o['as_role'], o['as_role'])}"
        for o in facts.get("orders", [])
    ]
    found.children += [f"{c['name']} (linked to {name})" for c in facts.get("children", [])]
    if role is Role.CHILD_PRESENT:
        found.children.append(f"{name}, named on this call")
    if role is Role.SUSPECT:
        found.suspects.append(_suspect(record, summary))
        if facts.get("da_incidents"):
            found.violence.append(
                f"{name}: {facts['da_incidents']} earlier domestic abuse incidents"
            )
        if others := facts.get("other_victims"):
            found.violence.append(f"{name}: domestic abuse with {len(others)} other victim(s)")
    high = [r for r in facts.get("risk_grades", []) if r.get("grade") == "high"]
    if high and role is Role.VICTIM:
        found.violence.append(f"{name} was assessed high risk on {high[0]['assessed_at'][:10]}")


# Cues heard on the incident's calls, by the heading the officer reads them under.
CUE_HEADINGS = {
    "WEAPON": "weapons",
    "CHILDREN_PRESENT": "children",
    "CHILDREN_AT_RISK": "children",
    "THREAT_TO_KILL": "threats",
    "STRANGULATION": "threats",
    "ONGOING_ASSAULT": "threats",
    "INJURY": "threats",
    "SUSPECT_PRESENT": "suspect_now",
    "ORDER_BREACH": "orders",
}


def _heard(session: Session, found: Safety, call_ids: list[int]) -> None:
    cues = session.scalars(
        select(CallCue).where(CallCue.call_id.in_(call_ids)).order_by(CallCue.first_seen_at)
    )
    for cue in cues:
        heading = CUE_HEADINGS.get(cue.code)
        if heading is None:
            continue
        quotes = [str(e.get("text")) for e in cue.evidence or [] if e.get("text")][:2]
        said = (": " + ", ".join(f"“{q}”" for q in quotes)) if quotes else ""
        line = f"Said on the call: {cue_words(cue.code)}{said}"
        getattr(found, heading).append(line)


def safety(
    session: Session,
    call: Call,
    people: list[tuple[Any, Role, dict[str, Any] | None]],
    call_ids: list[int],
) -> Safety:
    found = Safety()
    _heard(session, found, call_ids)
    for record, role, summary in people:
        _person_safety(found, record, role, summary)
    if call.location_id:
        place = context.location_summary(session, location_id=call.location_id, at=call.received_at)
        codes = {m["code"] for m in place["markers"]}
        if "weapons" in codes:
            found.weapons.append("Weapons marker at the address")
        if "children_at_address" in codes:
            found.children.append("Children recorded at the address")
    return found


def advice_for(session: Session, *, principal: Principal, incident_id: int) -> dict[str, Any]:
    assignment = officers.assignment_for(
        session, force_id=principal.force_id, incident_id=incident_id, officer_user_id=principal.id
    )
    messages = advice.for_incident(session, incident_id=incident_id, audience=Audience.OFFICERS)
    return {
        "assignment": assignment,
        "advice": [(m, any(a.user_id == principal.id for a in acks)) for m, acks in messages],
    }


def incident(session: Session, *, principal: Principal, incident_id: int) -> dict[str, Any]:
    data = advice_for(session, principal=principal, incident_id=incident_id)
    assignment = data["assignment"]
    call = session.get_one(Call, assignment.call_id)
    people = _people(session, call)
    for record, _, summary in people:
        if summary is not None:
            audit.record(
                session,
                actor=principal.actor(),
                action="person.view",
                record_type="subject",
                record_id=record.subject_id,
                reason=f"attending incident {incident_id}",
            )
    on_incident = list(
        session.scalars(
            select(Call).where(Call.incident_id == incident_id).order_by(Call.received_at)
        )
    )
    return {
        **data,
        "incident": session.get_one(Incident, incident_id),
        "call": call,
        "calls": on_incident,
        "safety": safety(session, call, people, [c.id for c in on_incident]),
        "people": people,
    }
