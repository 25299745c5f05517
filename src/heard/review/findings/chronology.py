"""The chronology of a victim, a suspect or a pair, from the force's tables, for export.

Only the rows about the people in focus are loaded (a `Scope`), then the pure
`heard.review.rules.chronology` lays them out with the stored findings that rest on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from heard import errors
from heard.incidents.models import Involvement
from heard.orders.models import Order, OrderProtectedPerson
from heard.people.models import PersonRecord, Subject
from heard.referrals.models import Referral
from heard.review.findings.loader import PARTY_ROLES, Scope, case_document, load_force
from heard.review.findings.models import MissedOpportunity
from heard.review.rules import CaseHistory, Entry, Finding, Focus, chronology
from heard.risk.models import MaracReferral, RiskAssessment


@dataclass(frozen=True)
class Chronology:
    victim: Subject | None
    suspect: Subject | None
    entries: list[Entry]


def _subject(session: Session, force_id: int, subject_id: int | None) -> Subject | None:
    if subject_id is None:
        return None
    found = session.get(Subject, subject_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound("no such person")
    return found


def _ids(session: Session, query: Select[Any]) -> set[int]:
    return {int(x) for x in session.scalars(query) if x is not None}


def scope_for(session: Session, *, force_id: int, subject_ids: set[int]) -> Scope:
    """The focus people's records, their incidents, orders and the people in them."""
    focus = _ids(
        session,
        select(PersonRecord.id).where(
            PersonRecord.force_id == force_id, PersonRecord.subject_id.in_(sorted(subject_ids))
        ),
    )
    return _scope_around(session, focus=focus, subject_ids=subject_ids)


# A re-run widens one hop (shared incident or order) at a time; groups are far smaller than this.
MAX_WIDENINGS = 12


def group_scope(session: Session, *, force_id: int, people: set[str]) -> Scope | None:
    """The rows of the whole connected groups holding `people` (`subject:ID` / `record:ID`), so
    rules re-run on an event read a few rows instead of the force. None (read the force) if a
    group is still growing after MAX_WIDENINGS hops."""
    subjects = {int(k.removeprefix("subject:")) for k in people if k.startswith("subject:")}
    records = {int(k.removeprefix("record:")) for k in people if k.startswith("record:")}
    focus, subjects = _with_subjects(session, force_id, records, subjects)
    for _ in range(MAX_WIDENINGS):
        scope = _scope_around(session, focus=focus, subject_ids=subjects)
        widened, subjects = _with_subjects(session, force_id, set(scope.records), subjects)
        if widened <= focus:
            return scope
        focus = widened
    return None


def _with_subjects(
    session: Session, force_id: int, records: set[int], subjects: set[int]
) -> tuple[set[int], set[int]]:
    """Every record of the subjects the records resolve to, and those subjects."""
    subjects = subjects | _ids(
        session, select(PersonRecord.subject_id).where(PersonRecord.id.in_(sorted(records)))
    )
    same_people = select(PersonRecord.id).where(
        PersonRecord.force_id == force_id,
        or_(PersonRecord.subject_id.in_(sorted(subjects)), PersonRecord.id.in_(sorted(records))),
    )
    return _ids(session, same_people), subjects


def _scope_around(session: Session, *, focus: set[int], subject_ids: set[int]) -> Scope:
    roles = sorted(PARTY_ROLES)
    incidents = _ids(
        session,
        select(Involvement.incident_id).where(
            Involvement.person_record_id.in_(sorted(focus)), Involvement.role.in_(roles)
        ),
    )
    incidents |= _ids(
        session,
        select(RiskAssessment.incident_id).where(
            RiskAssessment.victim_record_id.in_(sorted(focus))
        ),
    )
    incidents |= _ids(
        session,
        select(MaracReferral.incident_id).where(MaracReferral.victim_record_id.in_(sorted(focus))),
    )
    incidents |= _ids(
        session,
        select(Referral.incident_id).where(
            or_(
                Referral.subject_record_id.in_(sorted(focus)),
                Referral.victim_record_id.in_(sorted(focus)),
            )
        ),
    )
    parties = _ids(
        session,
        select(Involvement.person_record_id).where(
            Involvement.incident_id.in_(sorted(incidents)), Involvement.role.in_(roles)
        ),
    )
    orders = _ids(session, select(Order.id).where(Order.subject_record_id.in_(sorted(focus))))
    orders |= _ids(
        session,
        select(OrderProtectedPerson.order_id).where(
            OrderProtectedPerson.person_record_id.in_(sorted(focus))
        ),
    )
    order_people = _ids(
        session, select(Order.subject_record_id).where(Order.id.in_(sorted(orders)))
    ) | _ids(
        session,
        select(OrderProtectedPerson.person_record_id).where(
            OrderProtectedPerson.order_id.in_(sorted(orders))
        ),
    )
    return Scope(
        records=frozenset(focus | parties | order_people),
        focus_records=frozenset(focus),
        subjects=frozenset(subject_ids),
        incidents=frozenset(incidents),
        orders=frozenset(orders),
    )


def _stored(session: Session, force_id: int, keys: set[str]) -> list[Finding]:
    rows = session.scalars(select(MissedOpportunity).where(MissedOpportunity.force_id == force_id))
    return [
        Finding(r.rule, r.severity, r.at, tuple(r.evidence), tuple(r.about), r.summary)
        for r in rows
        if keys & set(r.about)
    ]


def build(
    session: Session,
    *,
    force_id: int,
    force_code: str,
    victim_subject_id: int | None,
    suspect_subject_id: int | None,
    kinds: list[str] | None = None,
) -> Chronology:
    """Another force's person is not found, exactly as one that does not exist."""
    if victim_subject_id is None and suspect_subject_id is None:
        raise errors.Invalid("name a victim, a suspect or both")
    victim = _subject(session, force_id, victim_subject_id)
    suspect = _subject(session, force_id, suspect_subject_id)
    chosen = {s.id for s in (victim, suspect) if s is not None}
    scope = scope_for(session, force_id=force_id, subject_ids=chosen)
    records = load_force(session, force_id=force_id, scope=scope)
    members = sorted(set(records.people))
    case = CaseHistory.model_validate(case_document(records, members, force=force_code, as_of=None))
    focus = Focus(
        victim=f"subject:{victim.id}" if victim else None,
        suspect=f"subject:{suspect.id}" if suspect else None,
    )
    findings = _stored(session, force_id, focus.people())
    return Chronology(victim, suspect, chronology(case, focus, findings=findings, kinds=kinds))
