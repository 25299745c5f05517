"""Case histories from a force's tables, one per group of connected victims and suspects.

People are identified as the force resolved them: `subject:ID`, or `record:ID` for a person record
not yet linked to a subject. Victims, suspects and children of one domestic abuse incident, and
the subject and protected people of one order, are joined into one group; each group's case holds
every incident any of them took part in, with its calls, and everything about them (assessments,
MARAC and other referrals, orders, markers). Record ids are `incident:12`, `call:40`, `risk:7`, ...
so a finding's evidence points straight back at the rows.

Loaded: incidents, calls (with the grade a person set and the domestic abuse decision), warning
signs, acknowledgements, grade changes (and call-backs), violent cues, involvements, person
records, markers, risk assessments, MARAC referrals, referrals (support, MARAC packs, Operation
Encompass), orders with protected persons, duties and breaches. Not loaded: officers' arrival
times (the schema records none yet), so attendance and Operation Encompass cannot be judged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from heard.incidents.models import Call, Category, Incident, Involvement, Role
from heard.orders.models import Order, OrderProtectedPerson
from heard.people.models import Marker, PersonRecord
from heard.referrals.models import Referral
from heard.review.findings import loader_landed as landed_
from heard.risk.models import MaracReferral, RiskAssessment

# The schema has no "violence found" flag: an assault, or a violent cue on a call, says so.
VIOLENT_CATEGORIES = frozenset({Category.ASSAULT})
MAX_OTHER_NAMES = 10
PARTY_ROLES = {
    Role.VICTIM: "victim_ids",
    Role.SUSPECT: "suspect_ids",
    Role.CHILD_PRESENT: "child_ids",
}


def person_key(record_id: int, subject_id: int | None) -> str:
    return f"subject:{subject_id}" if subject_id is not None else f"record:{record_id}"


@dataclass(frozen=True)
class Scope:
    """Only these rows (a chronology's people), instead of the whole force (a sweep)."""

    records: frozenset[int]  # every person record to load
    focus_records: frozenset[int]  # the people in focus: their assessments, referrals, markers
    subjects: frozenset[int]
    incidents: frozenset[int]
    orders: frozenset[int]


@dataclass
class ForceRecords:
    """Everything the rules read for one force, loaded with one query per table."""

    keys: dict[int, str] = field(default_factory=dict)  # person record id -> person key
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    incidents: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    incidents_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    about: dict[str, list[tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    links: list[set[str]] = field(default_factory=list)
    scope: Scope | None = None
    call_docs: dict[int, dict[str, Any]] = field(default_factory=dict)
    call_incident: dict[int, int] = field(default_factory=dict)
    # Records filed under an incident (signs, acknowledgements, grade changes) or an order.
    by_incident: dict[int, list[tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_order: dict[str, list[tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _people(session: Session, force_id: int, out: ForceRecords) -> None:
    # Names and dates of birth stay in memory: the rules use them only to tell whether two ids
    # are one person recorded twice (heard.review.rules.identity); findings never store them.
    rows = session.execute(
        select(
            PersonRecord.id,
            PersonRecord.subject_id,
            PersonRecord.given_name,
            PersonRecord.family_name,
            PersonRecord.date_of_birth,
            PersonRecord.age_years,
        ).where(PersonRecord.force_id == force_id, *_within(out, PersonRecord.id, "records"))
    )
    for record_id, subject_id, given, family, born, age in rows:
        key = person_key(record_id, subject_id)
        out.keys[record_id] = key
        known = out.people.setdefault(key, {"id": key})
        name = " ".join(part for part in (given, family) if part)[:200]
        if name and "name" not in known:
            known["name"] = name
        elif name and name != known.get("name"):
            others = known.setdefault("other_names", [])
            if name not in others and len(others) < MAX_OTHER_NAMES:
                others.append(name)
        if born is not None and "date_of_birth" not in known:
            known["date_of_birth"] = born
        elif age is not None and "date_of_birth" not in known:
            known.setdefault("age_years", age)


def _incidents(session: Session, force_id: int, out: ForceRecords) -> None:
    columns = (
        Incident.id,
        Incident.opened_at,
        Incident.closed_at,
        Incident.category,
        Incident.is_domestic_abuse,
        Incident.grade,
        Incident.arrest_made,
        Incident.outcome,
    )
    for iid, opened, closed, category, da, grade, arrested, outcome in session.execute(
        select(*columns).where(
            Incident.force_id == force_id, *_within(out, Incident.id, "incidents")
        )
    ):
        out.incidents[iid] = {
            "id": f"incident:{iid}",
            "opened_at": opened,
            "closed_at": closed,
            "category": category.value,
            "domestic_abuse": da,
            "violence": category in VIOLENT_CATEGORIES,
            "grade": grade.value,
            "arrest_made": arrested,
            "outcome": outcome.value if outcome else None,
            "victim_ids": [],
            "suspect_ids": [],
            "child_ids": [],
        }
    parties = select(Involvement.incident_id, Involvement.person_record_id, Involvement.role)
    parties = parties.where(
        Involvement.force_id == force_id, *_within(out, Involvement.incident_id, "incidents")
    )
    for iid, record_id, role in session.execute(parties):
        slot = PARTY_ROLES.get(role)
        key = out.keys.get(record_id)
        if slot is None or key is None or iid not in out.incidents:
            continue
        if key not in out.incidents[iid][slot]:
            out.incidents[iid][slot].append(key)
            out.incidents_of[key].add(iid)
    for doc in out.incidents.values():
        if doc["domestic_abuse"]:
            out.links.append({*doc["victim_ids"], *doc["suspect_ids"], *doc["child_ids"]})


def _calls(session: Session, force_id: int, out: ForceRecords) -> None:
    columns = (
        Call.id,
        Call.incident_id,
        Call.received_at,
        Call.channel,
        Call.disposition,
        Call.closed_at,
        Call.handler_ref,
    )
    query = select(*columns).where(
        Call.force_id == force_id,
        Call.incident_id.is_not(None),
        *_within(out, Call.incident_id, "incidents"),
    )
    for cid, iid, received, channel, disposition, closed, handler in session.execute(query):
        assert iid is not None
        doc = {"id": f"call:{cid}", "received_at": received, "channel": channel.value}
        doc |= {"incident_id": f"incident:{iid}", "disposition": disposition}
        doc |= {"closed_at": closed, "handler": handler}
        out.calls[iid].append(doc)
        out.call_docs[cid] = doc
        out.call_incident[cid] = iid


def _within(out: ForceRecords, column: Any, part: str) -> list[Any]:
    """The filter a scope adds to a query (none for a sweep of the whole force)."""
    return [] if out.scope is None else [column.in_(sorted(getattr(out.scope, part)))]


def _referral_scope(out: ForceRecords) -> list[Any]:
    if out.scope is None:
        return []
    focus = sorted(out.scope.focus_records)
    return [or_(Referral.subject_record_id.in_(focus), Referral.victim_record_id.in_(focus))]


def _incident_ref(out: ForceRecords, incident_id: int | None) -> str | None:
    return f"incident:{incident_id}" if incident_id in out.incidents else None


def _risk(session: Session, force_id: int, out: ForceRecords) -> None:
    columns = (
        RiskAssessment.id,
        RiskAssessment.victim_record_id,
        RiskAssessment.incident_id,
        RiskAssessment.assessed_at,
        RiskAssessment.grade,
        RiskAssessment.earlier_grade,
        RiskAssessment.instrument,
    )
    for rid, victim, iid, at, grade, earlier, instrument in session.execute(
        select(*columns).where(
            RiskAssessment.force_id == force_id,
            *_within(out, RiskAssessment.victim_record_id, "focus_records"),
        )
    ):
        key = out.keys[victim]
        doc: dict[str, Any] = {
            "id": f"risk:{rid}",
            "victim_id": key,
            "assessed_at": at,
            "level": grade.value,
        }
        doc |= {"incident_id": _incident_ref(out, iid), "instrument": instrument}
        doc["earlier_level"] = earlier.value if earlier else None
        out.about[key].append(("risk_assessments", doc))
    marac = (
        MaracReferral.id,
        MaracReferral.victim_record_id,
        MaracReferral.incident_id,
        MaracReferral.referred_at,
        MaracReferral.criteria,
    )
    for mid, victim, iid, at, criteria in session.execute(
        select(*marac).where(
            MaracReferral.force_id == force_id,
            *_within(out, MaracReferral.victim_record_id, "focus_records"),
        )
    ):
        key = out.keys[victim]
        referral = {"id": f"marac:{mid}", "victim_id": key, "referred_at": at}
        referral |= {"incident_id": _incident_ref(out, iid), "criteria": list(criteria or [])}
        out.about[key].append(("marac_referrals", referral))


def _referrals(session: Session, force_id: int, out: ForceRecords) -> None:
    columns = (
        Referral.id,
        Referral.kind,
        Referral.subject_record_id,
        Referral.victim_record_id,
        Referral.incident_id,
        Referral.created_at,
        Referral.due_at,
        Referral.delivered_at,
        Referral.status,
    )
    for fid, kind, subject, victim, iid, created, due, delivered, status in session.execute(
        select(*columns).where(Referral.force_id == force_id, *_referral_scope(out))
    ):
        key = out.keys[subject]
        victim_key = out.keys.get(victim) if victim is not None else None
        doc: dict[str, Any] = {"id": f"referral:{fid}", "kind": kind.value, "subject_id": key}
        doc |= {"victim_id": victim_key, "incident_id": _incident_ref(out, iid)}
        doc |= {"created_at": created, "due_at": due, "delivered_at": delivered}
        doc["status"] = status.value
        for person in {key, victim_key} - {None}:
            out.about[str(person)].append(("referrals", doc))


def _orders(session: Session, force_id: int, out: ForceRecords) -> None:
    protected: dict[int, list[str]] = defaultdict(list)
    for order_id, record_id in session.execute(
        select(OrderProtectedPerson.order_id, OrderProtectedPerson.person_record_id).where(
            OrderProtectedPerson.force_id == force_id,
            *_within(out, OrderProtectedPerson.order_id, "orders"),
        )
    ):
        protected[order_id].append(out.keys[record_id])
    columns = (
        Order.id,
        Order.order_type,
        Order.subject_record_id,
        Order.made_at,
        Order.served_at,
        Order.expires_at,
        Order.status,
    )
    for oid, kind, subject, made, served, expires, status in session.execute(
        select(*columns).where(Order.force_id == force_id, *_within(out, Order.id, "orders"))
    ):
        key = out.keys[subject]
        people = list(dict.fromkeys(protected[oid]))
        doc: dict[str, Any] = {"id": f"order:{oid}", "type": kind.value, "subject_id": key}
        doc |= {"protected_ids": people, "made_at": made, "served_at": served}
        doc |= {"expires_at": expires, "status": status.value}
        for person in {key, *people}:
            out.about[person].append(("orders", doc))
        out.links.append({key, *people})


def _markers(session: Session, force_id: int, out: ForceRecords) -> None:
    columns = (Marker.id, Marker.subject_id, Marker.code, Marker.applied_at, Marker.expires_at)
    query = select(*columns).where(
        Marker.force_id == force_id,
        Marker.subject_id.is_not(None),
        *_within(out, Marker.subject_id, "subjects"),
    )
    for mid, subject, code, applied, expires in session.execute(query):
        key = f"subject:{subject}"
        doc: dict[str, Any] = {"id": f"marker:{mid}", "person_id": key, "code": code.value}
        doc |= {"applied_at": applied, "expires_at": expires}
        out.about[key].append(("markers", doc))
        out.people.setdefault(key, {"id": key})


def load_force(session: Session, *, force_id: int, scope: Scope | None = None) -> ForceRecords:
    out = ForceRecords(scope=scope)
    steps = (_people, _incidents, _calls, _risk, _referrals, _orders, _markers)
    landed = (landed_.call_states, landed_.violent_cues, landed_.signals, landed_.order_records)
    for step in (*steps, *landed):
        step(session, force_id, out)
    return out


def groups(records: ForceRecords) -> list[list[str]]:
    """Connected victims, suspects and children (union-find over incidents and orders)."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for linked in records.links:
        first, *rest = sorted(linked) or [""]
        for other in rest:
            parent[root(other)] = root(first)
    for key in records.about:
        root(key)
    members: dict[str, list[str]] = defaultdict(list)
    for key in list(parent):
        if key:
            members[root(key)].append(key)
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def case_document(
    records: ForceRecords, members: list[str], *, force: str, as_of: datetime | None
) -> dict[str, Any]:
    """The heard-case/1 document for one group."""
    doc: dict[str, Any] = {"force": force, "as_of": as_of}
    seen: set[str] = set()
    for key in members:
        for collection, record in records.about.get(key, []):
            if record["id"] not in seen:
                seen.add(record["id"])
                doc.setdefault(collection, []).append(record)
    # An assessment or referral may name an incident the person was not a party to: bring it in.
    referenced = {
        int(r["incident_id"].split(":")[1])
        for collection in ("risk_assessments", "marac_referrals", "referrals")
        for r in doc.get(collection, [])
        if r.get("incident_id")
    }
    member_incidents = {i for key in members for i in records.incidents_of.get(key, ())}
    incident_ids = sorted(member_incidents | referenced)
    doc["incidents"] = [records.incidents[i] for i in incident_ids]
    doc["calls"] = [c for i in incident_ids for c in records.calls.get(i, [])]
    filed = [r for i in incident_ids for r in records.by_incident.get(i, [])]
    filed += [r for o in doc.get("orders", []) for r in records.by_order.get(o["id"], [])]
    for collection, record in filed:
        doc.setdefault(collection, []).append(record)
    named = {p for i in doc["incidents"] for s in PARTY_ROLES.values() for p in i[s]}
    named |= set(members)
    named |= {s["person_id"] for s in doc.get("warning_signs", []) if s["person_id"]}
    for collection in ("referrals", "orders"):
        for record in doc.get(collection, []):
            named |= {record["subject_id"], *record.get("protected_ids", [])}
            named |= {record["victim_id"]} if record.get("victim_id") else set()
    doc["people"] = [records.people.get(key, {"id": key}) for key in sorted(named)]
    return doc


def iter_cases(
    records: ForceRecords, *, force: str, as_of: datetime
) -> Iterator[tuple[list[str], dict[str, Any]]]:
    for members in groups(records):
        yield members, case_document(records, members, force=force, as_of=as_of)
