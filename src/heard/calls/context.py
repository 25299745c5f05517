"""The safeguarding context: for each person on a call, their history, at a glance.

Built from a handful of indexed queries for all the call's subjects together
(`heard.calls.context_queries`), so it stays within milliseconds on a force-sized store. The
reference time is the call's own time, so a replayed call shows what the handler would have
seen then.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import ORMExecuteState, Session

from heard.calls import context_queries as q
from heard.incidents.models import Incident, Involvement, Role
from heard.people.models import Location, Marker, PersonRecord, Subject

YEAR = timedelta(days=365)
ACTIVE_ORDER = q.ACTIVE_ORDER
LATEST_ASSESSMENTS = 10

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
    """A subject's records, involvements and incidents (see `facts_of`)."""
    return facts_of(session, [subject_id])[subject_id]


def facts_of(session: Session, subject_ids: Iterable[int]) -> dict[int, SubjectFacts]:
    """Subjects' records, involvements and incidents, read together for those not read yet.
    Kept for the rest of the transaction (the call's context and its warning signs read the
    same subjects) until the session changes any of them."""
    _forget_facts_on_change(session)  # changes not flushed yet, which a query would flush
    cache: dict[int, SubjectFacts] = session.info.setdefault(_FACTS_CACHE, {})
    wanted = list(dict.fromkeys(subject_ids))
    missing = [s for s in wanted if s not in cache]
    if missing:
        cache.update(_read_facts(session, missing))
    return {s: cache[s] for s in wanted}


def _read_facts(session: Session, subject_ids: list[int]) -> dict[int, SubjectFacts]:
    subjects = {s.id: s for s in session.scalars(q.SUBJECTS, {"subject_ids": subject_ids})}
    records: dict[int, list[int]] = {s: [] for s in subject_ids}
    involvements: dict[int, list[tuple[int, int, Role]]] = {s: [] for s in subject_ids}
    rows = session.execute(q.RECORD_INVOLVEMENTS, {"subject_ids": subject_ids})
    for subject_id, record_id, incident_id, role in rows:
        held = records[cast(int, subject_id)]  # the statement asks for these subjects only
        if not held or held[-1] != record_id:
            held.append(record_id)
        if incident_id is not None:
            involvements[cast(int, subject_id)].append((incident_id, record_id, role))
    incident_ids = list({i for found in involvements.values() for i, _, _ in found})
    incidents = (
        {i.id: i for i in session.scalars(q.INCIDENTS, {"incident_ids": incident_ids})}
        if incident_ids
        else {}
    )
    found = {}
    for s in subject_ids:
        if s not in subjects:
            raise NoResultFound(f"no subject {s}")
        mine = {i: incidents[i] for i, _, _ in involvements[s] if i in incidents}
        found[s] = SubjectFacts(subjects[s], records[s], involvements[s], mine)
    return found


def _by_subject(record_subject: dict[int, int], rows: Iterable[Any]) -> dict[int, list[Any]]:
    """Rows whose first column is a record id, sorted to that record's subject, in order."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[record_subject[row[0]]].append(row)
    return grouped


def _call_counts(times: list[datetime], at: datetime) -> dict[str, int]:
    return {
        "calls_24h": sum(t >= at - timedelta(hours=24) for t in times),
        "calls_7d": sum(t >= at - timedelta(days=7) for t in times),
        "calls_12m": len(times),
    }


def _risk(assessments: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "grade": r.grade.value,
            "assessed_at": r.assessed_at.isoformat(),
            "instrument": r.instrument,
            "lowered": r.grade_lowered,
            "earlier_grade": r.earlier_grade.value if r.earlier_grade else None,
        }
        for r in assessments[:LATEST_ASSESSMENTS]
    ]


def _marker_views(markers: Iterable[Marker]) -> list[dict[str, Any]]:
    return [
        {
            "code": m.code.value,
            "source": m.source,
            "applied_at": m.applied_at.isoformat(),
            "expires_at": m.expires_at.isoformat() if m.expires_at else None,
        }
        for m in markers
    ]


def _order_views(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": o.id,
            "order_type": o.order_type.value,
            "status": o.status.value,
            "made_at": o.made_at,
            "expires_at": o.expires_at,
            "as_role": o.as_role,
        }
        for o in rows
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


def _people_in(session: Session, incident_ids: Collection[int]) -> dict[int, list[_Person]]:
    """Everyone on these incidents. Kept for the transaction like the facts: a subject's
    children and other victims, and the warning signs after them, read the same incidents."""
    _forget_facts_on_change(session)
    cache: dict[int, list[_Person]] = session.info.setdefault(_PEOPLE_CACHE, {})
    missing = [i for i in incident_ids if i not in cache]
    if missing:
        for i in missing:
            cache[i] = []
        rows = session.execute(q.PEOPLE_IN, {"incident_ids": missing})
        for incident_id, subject_id, given, family, role in rows:
            cache[incident_id].append((subject_id, given, family, role))
    return cache


def _related(session: Session, facts: dict[int, SubjectFacts]) -> dict[int, list[dict[str, Any]]]:
    """Each subject's related people: the other party of every relationship on their records."""
    all_records = [r for f in facts.values() for r in f.record_ids]
    rows = (
        list(session.scalars(q.RELATIONSHIPS, {"record_ids": all_records})) if all_records else []
    )
    others_of: dict[int, dict[int, Any]] = {}
    for subject_id, f in facts.items():
        mine = set(f.record_ids)
        others_of[subject_id] = {
            (rel.suspect_record_id if rel.victim_record_id in mine else rel.victim_record_id): rel
            for rel in rows
            if rel.victim_record_id in mine or rel.suspect_record_id in mine
        }
    wanted = list({other for others in others_of.values() for other in others})
    subject_of = (
        dict(session.execute(q.SUBJECTS_OF_RECORDS, {"record_ids": wanted}).all()) if wanted else {}
    )
    related: dict[int, list[dict[str, Any]]] = {}
    for subject_id, others in others_of.items():
        found: dict[int, dict[str, Any]] = {}
        for other, rel in others.items():
            other_subject = subject_of.get(other)
            if other_subject is not None:
                found[other_subject] = {
                    "subject_id": other_subject,
                    "connection": rel.connection.value,
                    "former": rel.is_former,
                }
        related[subject_id] = list(found.values())
    return related


@dataclass
class _Read:
    """What the statements of `context_queries` found for all the subjects, by subject."""

    call_times: dict[int, list[datetime]]
    assessments: dict[int, list[Any]]
    marac_times: dict[int, list[datetime]]
    markers: dict[int, list[Marker]]
    orders: dict[int, list[Any]]
    related: dict[int, list[dict[str, Any]]]


def _read_all(session: Session, facts: dict[int, SubjectFacts], at: datetime) -> _Read:
    record_subject = {r: s for s, f in facts.items() for r in f.record_ids}
    records = list(record_subject)
    incident_subjects: dict[int, set[int]] = defaultdict(set)
    for s, f in facts.items():
        for i, inc in f.incidents.items():
            if inc.opened_at <= at:
                incident_subjects[i].add(s)
    call_times: dict[int, list[datetime]] = defaultdict(list)
    if incident_subjects:
        params = {"incident_ids": list(incident_subjects), "since": at - YEAR, "at": at}
        for incident_id, received_at in session.execute(q.CALL_TIMES, params):
            for s in incident_subjects[cast(int, incident_id)]:
                call_times[s].append(received_at)
    by_record = {"record_ids": records, "at": at}
    assessments = defaultdict(list)
    for a in session.scalars(q.ASSESSMENTS, by_record) if records else ():
        assessments[record_subject[a.victim_record_id]].append(a)
    marac = _by_subject(
        record_subject, session.execute(q.MARAC_TIMES, by_record) if records else []
    )
    markers: dict[int, list[Marker]] = defaultdict(list)
    for m in session.scalars(q.MARKERS_OF_SUBJECTS, {"subject_ids": list(facts), "at": at}):
        if m.subject_id is not None:
            markers[m.subject_id].append(m)
    orders: dict[int, list[Any]] = defaultdict(list)
    for o in session.execute(q.ORDERS_OF_RECORDS, by_record) if records else ():
        orders[record_subject[o.record_id]].append(o)
    return _Read(
        call_times,
        assessments,
        {s: [t for _, t in rows] for s, rows in marac.items()},
        markers,
        orders,
        _related(session, facts),
    )


def subject_summaries(
    session: Session, *, roles: dict[int, list[str]], at: datetime
) -> list[dict[str, Any]]:
    """The history of each subject (with their roles on the call), in the order given."""
    facts = facts_of(session, roles)
    past = {
        s: {i: inc for i, inc in f.incidents.items() if inc.opened_at <= at}
        for s, f in facts.items()
    }
    as_suspect = {
        s: {i for i, _, role in f.involvements if role is Role.SUSPECT and i in past[s]}
        for s, f in facts.items()
    }
    _people_in(session, {i for s in facts for i in past[s]})  # children and other victims
    read = _read_all(session, facts, at)
    return [
        _summary(facts[s], past[s], as_suspect[s], read, at, roles_on_call, session)
        for s, roles_on_call in roles.items()
    ]


def _summary(
    facts: SubjectFacts,
    past: dict[int, Incident],
    as_suspect: set[int],
    read: _Read,
    at: datetime,
    roles_on_call: list[str],
    session: Session,
) -> dict[str, Any]:
    subject_id = facts.subject.id
    by_year = Counter(str(inc.opened_at.year) for inc in past.values())
    last = max((inc.opened_at for inc in past.values()), default=None)
    da = [inc for inc in past.values() if inc.is_domestic_abuse]
    last_marac = max(read.marac_times.get(subject_id, []), default=None)
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
        **_call_counts(read.call_times.get(subject_id, []), at),
        "last_incident_at": last,
        "hours_since_last_incident": round((at - last).total_seconds() / 3600, 1) if last else None,
        "risk_grades": _risk(read.assessments.get(subject_id, [])),
        "marac_last_12m": bool(last_marac and last_marac >= at - YEAR),
        "last_marac_at": last_marac,
        "markers": _marker_views(read.markers.get(subject_id, [])),
        "orders": _order_views(read.orders.get(subject_id, [])),
        "children": _others_in(session, set(past), (Role.CHILD_PRESENT,), subject_id),
        "other_victims": _others_in(session, as_suspect, (Role.VICTIM,), subject_id),
        "related_people": read.related.get(subject_id, []),
    }


def subject_summary(
    session: Session, *, subject_id: int, at: datetime, roles_on_call: list[str]
) -> dict[str, Any]:
    return subject_summaries(session, roles={subject_id: roles_on_call}, at=at)[0]


def location_summary(session: Session, *, location_id: int, at: datetime) -> dict[str, Any]:
    location = session.get_one(Location, location_id)
    rows = session.scalars(
        q.LOCATION_INCIDENTS, {"location_id": location_id, "since": at - YEAR, "at": at}
    ).all()
    markers = session.scalars(q.MARKERS_AT_LOCATION, {"location_id": location_id, "at": at})
    return {
        "location_id": location.id,
        "address": location.address_text,
        "postcode": location.postcode,
        "incidents_12m": len(rows),
        "da_incidents_12m": sum(bool(r) for r in rows),
        "markers": _marker_views(markers),
    }
