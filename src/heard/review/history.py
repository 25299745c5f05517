"""Read models for the console: a dated history timeline and why each person was linked.

The timeline lists the people's recorded incidents, risk assessments, MARAC referrals and
orders, and the incidents at the address, newest first. Reasons for a link compare the call's
record with the person it was linked to, field by field, in words a handler can check aloud.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.incidents.models import Incident, Involvement
from heard.orders.models import Order
from heard.people.models import PersonRecord, Subject
from heard.risk.models import MaracReferral, RiskAssessment

SIMILAR_NAME = 85


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # incident, risk, marac, order, address
    words: str
    domestic_abuse: bool = False


def _records_of(session: Session, subject_ids: list[int]) -> dict[int, int]:
    if not subject_ids:
        return {}
    query = select(PersonRecord.id, PersonRecord.subject_id).where(
        PersonRecord.subject_id.in_(subject_ids)
    )
    return {rid: sid for rid, sid in session.execute(query) if sid is not None}


def _incidents(
    session: Session, records: dict[int, int], names: dict[int, str], at: datetime, limit: int
) -> list[TimelineItem]:
    query = (
        select(Incident, Involvement.role, Involvement.person_record_id)
        .join(Involvement, Involvement.incident_id == Incident.id)
        .where(Involvement.person_record_id.in_(list(records)), Incident.opened_at < at)
        .order_by(Incident.opened_at.desc())
        .limit(limit * 3)
    )
    seen: dict[int, TimelineItem] = {}
    for incident, role, record_id in session.execute(query):
        who = f"{names.get(records[record_id], 'person')} ({role.value.replace('_', ' ')})"
        if incident.id in seen:
            item = seen[incident.id]
            seen[incident.id] = TimelineItem(
                item.at, item.kind, f"{item.words}; {who}", item.domestic_abuse
            )
            continue
        outcome = f", {incident.outcome.value.replace('_', ' ')}" if incident.outcome else ""
        arrest = ", arrest made" if incident.arrest_made else ""
        seen[incident.id] = TimelineItem(
            incident.opened_at,
            "incident",
            f"{incident.category.value.replace('_', ' ').capitalize()}, graded "
            f"{incident.grade.value}{arrest}{outcome}: {who}",
            incident.is_domestic_abuse,
        )
    return list(seen.values())


def _assessments(session: Session, records: list[int], at: datetime) -> list[TimelineItem]:
    risk = session.scalars(
        select(RiskAssessment).where(
            RiskAssessment.victim_record_id.in_(records), RiskAssessment.assessed_at < at
        )
    )
    items = [
        TimelineItem(
            r.assessed_at,
            "risk",
            f"Risk assessed {r.grade.value} ({r.instrument})"
            + (
                f", lowered from {r.earlier_grade.value}"
                if r.grade_lowered and r.earlier_grade
                else ""
            ),
            True,
        )
        for r in risk
    ]
    marac = session.scalars(
        select(MaracReferral).where(
            MaracReferral.victim_record_id.in_(records), MaracReferral.referred_at < at
        )
    )
    items += [TimelineItem(m.referred_at, "marac", "Referred to MARAC", True) for m in marac]
    orders = session.scalars(
        select(Order).where(Order.subject_record_id.in_(records), Order.made_at < at)
    )
    items += [
        TimelineItem(
            o.made_at, "order", f"{o.order_type.value.upper()} made ({o.status.value})", True
        )
        for o in orders
    ]
    return items


def _address(
    session: Session, location_id: int | None, at: datetime, skip: set[str], limit: int
) -> list[TimelineItem]:
    if location_id is None:
        return []
    query = (
        select(Incident)
        .where(Incident.location_id == location_id, Incident.opened_at < at)
        .order_by(Incident.opened_at.desc())
        .limit(limit)
    )
    return [
        TimelineItem(
            i.opened_at,
            "address",
            f"At this address: {i.category.value.replace('_', ' ')}, graded {i.grade.value}",
            i.is_domestic_abuse,
        )
        for i in session.scalars(query)
        if i.reference not in skip
    ]


def timeline(
    session: Session,
    *,
    names: dict[int, str],
    location_id: int | None,
    at: datetime,
    limit: int = 15,
) -> list[TimelineItem]:
    """`names`: subject id -> name for the people on the call."""
    records = _records_of(session, list(names))
    items: list[TimelineItem] = []
    if records:
        items += _incidents(session, records, names, at, limit)
        items += _assessments(session, list(records), at)
    items += _address(session, location_id, at, set(), limit)
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and (a or "").strip().lower() == (b or "").strip().lower()


def link_reasons(session: Session, *, record: PersonRecord) -> list[str] | None:
    """Why this record belongs to its subject: the fields that agree with the subject's earlier
    records. None when there are none: the person was not known before this call."""
    if record.subject_id is None:
        return None
    subject = session.get_one(Subject, record.subject_id)
    others = list(
        session.scalars(
            select(PersonRecord)
            .where(PersonRecord.subject_id == subject.id, PersonRecord.id != record.id)
            .limit(50)
        )
    )
    if not others:
        return None
    reasons: list[str] = []
    if _same(record.family_name, subject.family_name):
        reasons.append("same family name")
    if _same(record.given_name, subject.given_name):
        reasons.append("same given name")
    elif (
        record.given_name
        and fuzz.ratio(record.given_name.lower(), subject.given_name.lower()) >= SIMILAR_NAME
    ):
        reasons.append(f"similar given name ({record.given_name} / {subject.given_name})")
    if record.date_of_birth and record.date_of_birth == subject.date_of_birth:
        reasons.append("same date of birth")
    if record.phone_e164 and any(o.phone_e164 == record.phone_e164 for o in others):
        reasons.append("same phone number as an earlier record")
    if record.location_id and any(o.location_id == record.location_id for o in others):
        reasons.append("same address as an earlier record")
    return reasons
