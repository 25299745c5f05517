"""The safeguarding context: for each person on a call, their history, at a glance.

Built from a handful of indexed queries per subject so it stays within milliseconds on a
force-sized store. The reference time is the call's own time, so a replayed call shows what the
handler would have seen then. The queries are built once, here, with placeholders: building a
select() and its cache key on every execution cost more than SQLite running it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, column, event, literal, or_, select, union_all
from sqlalchemy.orm import ORMExecuteState, Session

from heard.db.base import id_list
from heard.incidents.models import Call, Incident, Involvement, Relationship, Role
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus
from heard.people.models import Location, Marker, PersonRecord, Subject
from heard.risk.history import ASSESSMENTS_OF_VICTIM
from heard.risk.models import MaracReferral

YEAR = timedelta(days=365)
ACTIVE_ORDER = (OrderStatus.ACTIVE,)


# A subject's records, with each record's involvements (a record with none gives one row of None).
_RECORD_INVOLVEMENTS = (
    select(PersonRecord.id, Involvement.incident_id, Involvement.role)
    .outerjoin(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(PersonRecord.subject_id == bindparam("subject_id"))
    .order_by(PersonRecord.id, Involvement.id)
)
_INCIDENTS = select(Incident).where(Incident.id.in_(id_list("incident_ids")))
_CALL_TIMES = select(Call.received_at).where(
    Call.incident_id.in_(id_list("incident_ids")),
    Call.received_at >= bindparam("since"),
    Call.received_at <= bindparam("at"),
)
_LATEST_ASSESSMENTS = ASSESSMENTS_OF_VICTIM.limit(10)
_LAST_MARAC = (
    select(MaracReferral.referred_at)
    .where(
        MaracReferral.victim_record_id.in_(id_list("record_ids")),
        MaracReferral.referred_at <= bindparam("at"),
    )
    .order_by(MaracReferral.referred_at.desc())
    .limit(1)
)
_LIVE_MARKERS = select(Marker).where(
    or_(Marker.expires_at.is_(None), Marker.expires_at > bindparam("at")),
    Marker.applied_at <= bindparam("at"),
)
_MARKERS_OF_SUBJECT = _LIVE_MARKERS.where(Marker.subject_id == bindparam("subject_id"))
_MARKERS_AT_LOCATION = _LIVE_MARKERS.where(Marker.location_id == bindparam("location_id"))
ORDER_COLUMNS = (Order.id, Order.order_type, Order.status, Order.made_at, Order.expires_at)
_LIVE_ORDER = (
    Order.made_at <= bindparam("at"),
    or_(Order.expires_at.is_(None), Order.expires_at > bindparam("at")),
    Order.status.in_(ACTIVE_ORDER),
)
# A subject's live orders, as the person the order is against and as a person it protects:
# one statement, those against them first.
_AS_ROLE = "as_role"
_ORDERS_OF_RECORDS = union_all(
    select(*ORDER_COLUMNS, literal("subject").label(_AS_ROLE)).where(
        Order.subject_record_id.in_(id_list("record_ids")), *_LIVE_ORDER
    ),
    select(*ORDER_COLUMNS, literal("protected").label(_AS_ROLE))
    .join(OrderProtectedPerson, OrderProtectedPerson.order_id == Order.id)
    .where(OrderProtectedPerson.person_record_id.in_(id_list("record_ids")), *_LIVE_ORDER),
).order_by(column(_AS_ROLE).desc(), column("id"))
# Everyone on the given incidents, in a fixed order (incident, then involvement).
_PEOPLE_IN = (
    select(
        Involvement.incident_id,
        PersonRecord.subject_id,
        PersonRecord.given_name,
        PersonRecord.family_name,
        Involvement.role,
    )
    .join(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(Involvement.incident_id.in_(id_list("incident_ids")))
    .order_by(Involvement.incident_id, Involvement.id)
)
_RELATIONSHIPS = select(Relationship).where(
    or_(
        Relationship.victim_record_id.in_(id_list("record_ids")),
        Relationship.suspect_record_id.in_(id_list("record_ids")),
    )
)
_SUBJECTS_OF_RECORDS = select(PersonRecord.id, PersonRecord.subject_id).where(
    PersonRecord.id.in_(id_list("record_ids"))
)
_LOCATION_INCIDENTS = select(Incident.is_domestic_abuse).where(
    Incident.location_id == bindparam("location_id"),
    Incident.opened_at >= bindparam("since"),
    Incident.opened_at <= bindparam("at"),
)


_Person = tuple[int | None, str | None, str | None, Role]


@dataclass
class SubjectFacts:
    subject: Subject
    record_ids: list[int]
    involvements: list[tuple[int, int, Role]]  # incident id, record id, role
    incidents: dict[int, Incident]


_FACTS_CACHE = "heard.subject_facts"
# incident id -> (subject id, given name, family name, role) of everyone on it, in a fixed order.
_PEOPLE_CACHE = "heard.people_in_incidents"
_CACHES = (_FACTS_CACHE, _PEOPLE_CACHE)
# A change to any of these in the session makes cached facts stale.
_FACT_TYPES = (Subject, PersonRecord, Involvement, Incident)
_FACT_TABLES: frozenset[str | None] = frozenset(
    [None, *(str(kind.__tablename__) for kind in _FACT_TYPES)]
)


def _forget(info: dict[Any, Any]) -> None:
    for key in _CACHES:
        info.pop(key, None)


@event.listens_for(Session, "before_flush")
def _forget_facts_on_change(session: Session, *_: Any) -> None:
    if any(key in session.info for key in _CACHES) and any(
        isinstance(obj, _FACT_TYPES) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        _forget(session.info)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_facts_at_transaction_end(session: Session, *_: Any) -> None:
    _forget(session.info)


@event.listens_for(Session, "do_orm_execute")
def _forget_facts_on_bulk_write(state: ORMExecuteState) -> None:
    # Audit entries, jobs and live messages are written in bulk between the context and the
    # warning signs; only a write to a table the facts come from (or to one not named) matters.
    # None (a statement naming no table) counts as one of them.
    if not state.is_select and _target_table(state) in _FACT_TABLES:
        _forget(state.session.info)


def _target_table(state: ORMExecuteState) -> str | None:
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    return name if isinstance(name, str) else None


def _facts(session: Session, subject_id: int) -> SubjectFacts:
    """A subject's records, involvements and incidents. Kept for the rest of the transaction
    (the call's context and its warning signs read the same subjects) until the session
    changes any of them."""
    _forget_facts_on_change(session)  # changes not flushed yet, which a query would flush
    cache: dict[int, SubjectFacts] = session.info.setdefault(_FACTS_CACHE, {})
    if subject_id not in cache:
        cache[subject_id] = _read_facts(session, subject_id)
    return cache[subject_id]


def _read_facts(session: Session, subject_id: int) -> SubjectFacts:
    subject = session.get_one(Subject, subject_id)
    record_ids: list[int] = []
    involvements: list[tuple[int, int, Role]] = []
    for record_id, incident_id, role in session.execute(
        _RECORD_INVOLVEMENTS, {"subject_id": subject_id}
    ):
        if not record_ids or record_ids[-1] != record_id:
            record_ids.append(record_id)
        if incident_id is not None:
            involvements.append((incident_id, record_id, role))
    incident_ids = list({i for i, _, _ in involvements})
    incidents = (
        {i.id: i for i in session.scalars(_INCIDENTS, {"incident_ids": incident_ids})}
        if incident_ids
        else {}
    )
    return SubjectFacts(subject, record_ids, involvements, incidents)


def _call_counts(session: Session, incident_ids: set[int], at: datetime) -> dict[str, int]:
    if not incident_ids:
        return {"calls_24h": 0, "calls_7d": 0, "calls_12m": 0}
    times = list(
        session.scalars(
            _CALL_TIMES, {"incident_ids": list(incident_ids), "since": at - YEAR, "at": at}
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
    return [
        {
            "grade": r.grade.value,
            "assessed_at": r.assessed_at.isoformat(),
            "instrument": r.instrument,
            "lowered": r.grade_lowered,
            "earlier_grade": r.earlier_grade.value if r.earlier_grade else None,
        }
        for r in session.scalars(_LATEST_ASSESSMENTS, {"record_ids": record_ids, "at": at})
    ]


def _last_marac(session: Session, record_ids: list[int], at: datetime) -> datetime | None:
    if not record_ids:
        return None
    return session.scalar(_LAST_MARAC, {"record_ids": record_ids, "at": at})


def _markers(
    session: Session, *, subject_id: int | None = None, location_id: int | None = None, at: datetime
) -> list[dict[str, Any]]:
    found = (
        session.scalars(_MARKERS_OF_SUBJECT, {"subject_id": subject_id, "at": at})
        if subject_id is not None
        else session.scalars(_MARKERS_AT_LOCATION, {"location_id": location_id, "at": at})
    )
    return [
        {
            "code": m.code.value,
            "source": m.source,
            "applied_at": m.applied_at.isoformat(),
            "expires_at": m.expires_at.isoformat() if m.expires_at else None,
        }
        for m in found
    ]


def _orders(session: Session, record_ids: list[int], at: datetime) -> list[dict[str, Any]]:
    if not record_ids:
        return []
    found = session.execute(_ORDERS_OF_RECORDS, {"record_ids": record_ids, "at": at})
    return [
        {
            "id": o.id,
            "order_type": o.order_type.value,
            "status": o.status.value,
            "made_at": o.made_at,
            "expires_at": o.expires_at,
            "as_role": o.as_role,
        }
        for o in found
    ]


def _others_in(
    session: Session, incident_ids: set[int], roles: tuple[Role, ...], exclude_subject: int
) -> list[dict[str, Any]]:
    if not incident_ids:
        return []
    people = _people_in(session, incident_ids)
    seen: dict[int, dict[str, Any]] = {}
    for subject_id, given, family, role in (
        person for incident_id in sorted(incident_ids) for person in people[incident_id]
    ):
        if subject_id is None or subject_id == exclude_subject or role not in roles:
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


def _people_in(session: Session, incident_ids: set[int]) -> dict[int, list[_Person]]:
    """Everyone on these incidents. Kept for the transaction like the facts: a subject's
    children and other victims, and the warning signs after them, read the same incidents."""
    _forget_facts_on_change(session)
    cache: dict[int, list[_Person]] = session.info.setdefault(_PEOPLE_CACHE, {})
    missing = [i for i in incident_ids if i not in cache]
    if missing:
        for i in missing:
            cache[i] = []
        rows = session.execute(_PEOPLE_IN, {"incident_ids": missing})
        for incident_id, subject_id, given, family, role in rows:
            cache[incident_id].append((subject_id, given, family, role))
    return cache


def _relationships(session: Session, record_ids: list[int]) -> list[dict[str, Any]]:
    if not record_ids:
        return []
    rows = session.scalars(_RELATIONSHIPS, {"record_ids": record_ids})
    mine = set(record_ids)
    others = {
        (rel.suspect_record_id if rel.victim_record_id in mine else rel.victim_record_id): rel
        for rel in rows
    }
    if not others:
        return []
    subject_of = dict(session.execute(_SUBJECTS_OF_RECORDS, {"record_ids": list(others)}).all())
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
    rows = session.scalars(
        _LOCATION_INCIDENTS, {"location_id": location_id, "since": at - YEAR, "at": at}
    ).all()
    return {
        "location_id": location.id,
        "address": location.address_text,
        "postcode": location.postcode,
        "incidents_12m": len(rows),
        "da_incidents_12m": sum(bool(r) for r in rows),
        "markers": _markers(session, location_id=location_id, at=at),
    }
