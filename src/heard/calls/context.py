"""The safeguarding context: for each person on a call, their history, at a glance.

Built from a handful of indexed queries per subject so it stays within milliseconds on a
force-sized store. The reference time is the call's own time, so a replayed call shows what the
handler would have seen then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, Session

from heard.incidents.models import Call, Incident, Involvement, Relationship, Role
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus
from heard.people.models import Location, Marker, PersonRecord, Subject
from heard.risk.models import MaracReferral, RiskAssessment

YEAR = timedelta(days=365)
ACTIVE_ORDER = (OrderStatus.ACTIVE,)


@dataclass
class SubjectFacts:
    subject: Subject
    record_ids: list[int]
    involvements: list[tuple[int, int, Role]]  # incident id, record id, role
    incidents: dict[int, Incident]


_FACTS_CACHE = "heard.subject_facts"
# A change to any of these in the session makes cached facts stale.
_FACT_TYPES = (Subject, PersonRecord, Involvement, Incident)


@event.listens_for(Session, "before_flush")
def _forget_facts_on_change(session: Session, *_: Any) -> None:
    if _FACTS_CACHE in session.info and any(
        isinstance(obj, _FACT_TYPES) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info.pop(_FACTS_CACHE)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_facts_at_transaction_end(session: Session, *_: Any) -> None:
    session.info.pop(_FACTS_CACHE, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_facts_on_bulk_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info.pop(_FACTS_CACHE, None)


def _facts(session: Session, subject_id: int) -> SubjectFacts:
    """A subject's records, involvements and incidents. Kept for the rest of the transaction
    (the call's context and its warning signs read the same subjects) until the session
    changes any of them."""
    cache: dict[int, SubjectFacts] = session.info.setdefault(_FACTS_CACHE, {})
    if subject_id not in cache:
        cache[subject_id] = _read_facts(session, subject_id)
    return cache[subject_id]


def _read_facts(session: Session, subject_id: int) -> SubjectFacts:
    subject = session.get_one(Subject, subject_id)
    record_ids = list(
        session.scalars(select(PersonRecord.id).where(PersonRecord.subject_id == subject_id))
    )
    involvements = (
        [
            (incident_id, record_id, role)
            for incident_id, record_id, role in session.execute(
                select(
                    Involvement.incident_id, Involvement.person_record_id, Involvement.role
                ).where(Involvement.person_record_id.in_(record_ids))
            )
        ]
        if record_ids
        else []
    )
    incident_ids = {i for i, _, _ in involvements}
    incidents = (
        {i.id: i for i in session.scalars(select(Incident).where(Incident.id.in_(incident_ids)))}
        if incident_ids
        else {}
    )
    return SubjectFacts(subject, record_ids, involvements, incidents)


def _call_counts(session: Session, incident_ids: set[int], at: datetime) -> dict[str, int]:
    if not incident_ids:
        return {"calls_24h": 0, "calls_7d": 0, "calls_12m": 0}
    times = list(
        session.scalars(
            select(Call.received_at).where(
                Call.incident_id.in_(incident_ids),
                Call.received_at >= at - YEAR,
                Call.received_at <= at,
            )
        )
    )
    return {
        "calls_24h": sum(t >= at - timedelta(hours=24) for t in times),
        "calls_7d": sum(t >= at - timedelta(days=7) for t in times),
        "calls_12m": len(times),
    }


def _risk(session: Session, record_ids: list[int], at: datetime) -> list[dict[str, Any]]:
    if not record_ids:
        return []
    query = (
        select(RiskAssessment)
        .where(RiskAssessment.victim_record_id.in_(record_ids), RiskAssessment.assessed_at <= at)
        .order_by(RiskAssessment.assessed_at.desc())
        .limit(10)
    )
    return [
        {
            "grade": r.grade.value,
            "assessed_at": r.assessed_at.isoformat(),
            "instrument": r.instrument,
            "lowered": r.grade_lowered,
            "earlier_grade": r.earlier_grade.value if r.earlier_grade else None,
        }
        for r in session.scalars(query)
    ]


def _last_marac(session: Session, record_ids: list[int], at: datetime) -> datetime | None:
    if not record_ids:
        return None
    return session.scalar(
        select(MaracReferral.referred_at)
        .where(MaracReferral.victim_record_id.in_(record_ids), MaracReferral.referred_at <= at)
        .order_by(MaracReferral.referred_at.desc())
        .limit(1)
    )


def _markers(
    session: Session, *, subject_id: int | None = None, location_id: int | None = None, at: datetime
) -> list[dict[str, Any]]:
    query = select(Marker).where(
        or_(Marker.expires_at.is_(None), Marker.expires_at > at), Marker.applied_at <= at
    )
    query = (
        query.where(Marker.subject_id == subject_id)
        if subject_id is not None
        else query.where(Marker.location_id == location_id)
    )
    return [
        {
            "code": m.code.value,
            "source": m.source,
            "applied_at": m.applied_at.isoformat(),
            "expires_at": m.expires_at.isoformat() if m.expires_at else None,
        }
        for m in session.scalars(query)
    ]


ORDER_COLUMNS = (Order.id, Order.order_type, Order.status, Order.made_at, Order.expires_at)


def _orders(session: Session, record_ids: list[int], at: datetime) -> list[dict[str, Any]]:
    if not record_ids:
        return []
    live = [
        Order.made_at <= at,
        or_(Order.expires_at.is_(None), Order.expires_at > at),
        Order.status.in_(ACTIVE_ORDER),
    ]
    as_subject = session.execute(
        select(*ORDER_COLUMNS).where(Order.subject_record_id.in_(record_ids), *live)
    ).all()
    protecting = session.execute(
        select(*ORDER_COLUMNS)
        .join(OrderProtectedPerson, OrderProtectedPerson.order_id == Order.id)
        .where(OrderProtectedPerson.person_record_id.in_(record_ids), *live)
    ).all()
    found = [(o, "subject") for o in as_subject] + [(o, "protected") for o in protecting]
    return [
        {
            "id": o.id,
            "order_type": o.order_type.value,
            "status": o.status.value,
            "made_at": o.made_at,
            "expires_at": o.expires_at,
            "as_role": role,
        }
        for o, role in found
    ]


def _others_in(
    session: Session, incident_ids: set[int], roles: tuple[Role, ...], exclude_subject: int
) -> list[dict[str, Any]]:
    if not incident_ids:
        return []
    rows = session.execute(
        select(
            PersonRecord.subject_id,
            PersonRecord.given_name,
            PersonRecord.family_name,
            Involvement.role,
        )
        .join(Involvement, Involvement.person_record_id == PersonRecord.id)
        .where(
            Involvement.incident_id.in_(incident_ids),
            Involvement.role.in_(roles),
            PersonRecord.subject_id != exclude_subject,
        )
    )
    seen: dict[int, dict[str, Any]] = {}
    for subject_id, given, family, role in rows:
        if subject_id is None:
            continue
        entry = seen.setdefault(
            subject_id,
            {
                "subject_id": subject_id,
                "name": f"{given or ''} {family or ''}".strip(),
                "role": role.value,
                "incidents": 0,
            },
        )
        entry["incidents"] += 1
    return sorted(seen.values(), key=lambda e: -e["incidents"])[:20]


def _relationships(session: Session, record_ids: list[int]) -> list[dict[str, Any]]:
    if not record_ids:
        return []
    rows = session.scalars(
        select(Relationship).where(
            or_(
                Relationship.victim_record_id.in_(record_ids),
                Relationship.suspect_record_id.in_(record_ids),
            )
        )
    )
    mine = set(record_ids)
    others = {
        (rel.suspect_record_id if rel.victim_record_id in mine else rel.victim_record_id): rel
        for rel in rows
    }
    if not others:
        return []
    subject_of = dict(
        session.execute(
            select(PersonRecord.id, PersonRecord.subject_id).where(
                PersonRecord.id.in_(list(others))
            )
        ).all()
    )
    found: dict[int, dict[str, Any]] = {}
    for other, rel in others.items():
        subject_id = subject_of.get(other)
        if subject_id is not None:
            found[subject_id] = {
                "subject_id": subject_id,
                "connection": rel.connection.value,
                "former": rel.is_former,
            }
    return list(found.values())


def subject_summary(
    session: Session, *, subject_id: int, at: datetime, roles_on_call: list[str]
) -> dict[str, Any]:
    facts = _facts(session, subject_id)
    past = {i: inc for i, inc in facts.incidents.items() if inc.opened_at <= at}
    by_year = Counter(str(inc.opened_at.year) for inc in past.values())
    last = max((inc.opened_at for inc in past.values()), default=None)
    da = [inc for inc in past.values() if inc.is_domestic_abuse]
    as_suspect = {i for i, _, role in facts.involvements if role is Role.SUSPECT and i in past}
    involved = set(past)
    last_marac = _last_marac(session, facts.record_ids, at)
    return {
        "subject_id": subject_id,
        "name": f"{facts.subject.given_name} {facts.subject.family_name}".strip(),
        "date_of_birth": facts.subject.date_of_birth.isoformat()
        if facts.subject.date_of_birth
        else None,
        "roles_on_call": roles_on_call,
        "incidents_by_year": dict(sorted(by_year.items())),
        "incidents_total": len(past),
        "da_incidents": len(da),
        "da_incidents_12m": sum(inc.opened_at >= at - YEAR for inc in da),
        **_call_counts(session, involved, at),
        "last_incident_at": last,
        "hours_since_last_incident": round((at - last).total_seconds() / 3600, 1) if last else None,
        "risk_grades": _risk(session, facts.record_ids, at),
        "marac_last_12m": bool(last_marac and last_marac >= at - YEAR),
        "last_marac_at": last_marac,
        "markers": _markers(session, subject_id=subject_id, at=at),
        "orders": _orders(session, facts.record_ids, at),
        "children": _others_in(session, involved, (Role.CHILD_PRESENT,), subject_id),
        "other_victims": _others_in(session, as_suspect, (Role.VICTIM,), subject_id),
        "related_people": _relationships(session, facts.record_ids),
    }


def location_summary(session: Session, *, location_id: int, at: datetime) -> dict[str, Any]:
    location = session.get_one(Location, location_id)
    rows = (
        session.execute(
            select(Incident.is_domestic_abuse).where(
                Incident.location_id == location_id,
                Incident.opened_at >= at - YEAR,
                Incident.opened_at <= at,
            )
        )
        .scalars()
        .all()
    )
    return {
        "location_id": location.id,
        "address": location.address_text,
        "postcode": location.postcode,
        "incidents_12m": len(rows),
        "da_incidents_12m": sum(bool(r) for r in rows),
        "markers": _markers(session, location_id=location_id, at=at),
    }
