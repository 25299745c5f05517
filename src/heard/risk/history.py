"""What the force's records say about a victim and suspect, for MARAC criteria and suggestions.

People are matched by subject (the force's resolved identity), so incidents recorded under other
records of the same person count; a record not yet linked to a subject counts only for itself.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from heard.db.base import id_list
from heard.incidents.models import Category, Incident, Involvement, Outcome, Role
from heard.people.models import PersonRecord
from heard.risk.instruments import HistoryFacts, MaracHistory
from heard.risk.instruments.request import local_date
from heard.risk.models import MaracReferral, RiskAssessment

CRIMINAL_OUTCOMES = (Outcome.CHARGED, Outcome.CAUTIONED, Outcome.COMMUNITY_RESOLUTION)
VIOLENT = (Category.ASSAULT,)

# Built once (each 999 call runs them): building a select() cost more than running it.
_SAME_SUBJECT = aliased(PersonRecord)
# Every record of the given record's subject; none when it has no subject (or does not exist).
_SAME_PERSON = (
    select(_SAME_SUBJECT.id)
    .join(PersonRecord, PersonRecord.subject_id == _SAME_SUBJECT.subject_id)
    .where(PersonRecord.id == bindparam("record_id"))
    .order_by(_SAME_SUBJECT.id)
)
_VICTIM = aliased(PersonRecord)
# Each victim of an incident, with the MARAC referrals of every record of the same person (of
# that record alone when it has no subject) up to a moment: the repeat rule for all of an
# incident's victims in one read, as intake needs on every call.
_MARAC_OF_VICTIMS = (
    select(
        Involvement.person_record_id,
        MaracReferral.id,
        MaracReferral.incident_id,
        MaracReferral.referred_at,
    )
    .join(_VICTIM, _VICTIM.id == Involvement.person_record_id)
    .join(
        _SAME_SUBJECT,
        or_(_SAME_SUBJECT.subject_id == _VICTIM.subject_id, _SAME_SUBJECT.id == _VICTIM.id),
    )
    .join(MaracReferral, MaracReferral.victim_record_id == _SAME_SUBJECT.id)
    .where(
        Involvement.incident_id == bindparam("incident_id"),
        Involvement.role == Role.VICTIM,
        MaracReferral.referred_at <= bindparam("before"),
    )
)
# A victim's assessments up to a moment, latest first: the call context shows the latest few,
# the warning signs look for high risk and lowered grades in all of them.
ASSESSMENTS_OF_VICTIM = (
    select(RiskAssessment)
    .where(
        RiskAssessment.victim_record_id.in_(id_list("record_ids")),
        RiskAssessment.assessed_at <= bindparam("at"),
    )
    .order_by(RiskAssessment.assessed_at.desc())
)
_LAST_MARAC = (
    select(MaracReferral)
    .where(
        MaracReferral.victim_record_id.in_(id_list("record_ids")),
        MaracReferral.referred_at <= bindparam("before"),
    )
    .order_by(MaracReferral.referred_at.desc())
    .limit(1)
)


def same_person_records(session: Session, *, record_id: int) -> list[int]:
    return list(session.scalars(_SAME_PERSON, {"record_id": record_id})) or [record_id]


def _incidents_as(session: Session, record_ids: list[int], role: Role) -> set[int]:
    return set(
        session.scalars(
            select(Involvement.incident_id).where(
                Involvement.person_record_id.in_(record_ids), Involvement.role == role
            )
        )
    )


def earlier_da_incidents(
    session: Session, *, victim_record_id: int, suspect_record_id: int | None, incident: Incident
) -> tuple[date, ...]:
    """DA incidents between the same victim and suspect before this one (this one excluded)."""
    ids = _incidents_as(
        session, same_person_records(session, record_id=victim_record_id), Role.VICTIM
    )
    if suspect_record_id is not None:
        suspect_records = same_person_records(session, record_id=suspect_record_id)
        ids &= _incidents_as(session, suspect_records, Role.SUSPECT)
    ids.discard(incident.id)
    if not ids:
        return ()
    opened = session.scalars(
        select(Incident.opened_at).where(
            Incident.id.in_(ids),
            Incident.is_domestic_abuse.is_(True),
            Incident.opened_at <= incident.opened_at,
        )
    )
    return tuple(sorted(local_date(at) for at in opened))


def last_marac_referral(
    session: Session, *, victim_record_id: int, before: datetime
) -> MaracReferral | None:
    records = same_person_records(session, record_id=victim_record_id)
    return session.scalar(_LAST_MARAC, {"record_ids": records, "before": before})


def last_marac_referrals_of_victims(
    session: Session, *, incident_id: int, before: datetime
) -> dict[int, tuple[int | None, datetime]]:
    """victim record id -> (incident id, referred at) of the person's latest MARAC referral up
    to `before`, for each victim of the incident who has one; as `last_marac_referral` for each."""
    latest: dict[int, tuple[datetime, int, int | None]] = {}
    rows = session.execute(_MARAC_OF_VICTIMS, {"incident_id": incident_id, "before": before})
    for victim_id, referral_id, referral_incident_id, referred_at in rows:
        key = (referred_at, referral_id, referral_incident_id)
        if victim_id not in latest or key[:2] > latest[victim_id][:2]:
            latest[victim_id] = key
    return {v: (incident, at) for v, (at, _, incident) in latest.items()}


def marac_history(
    session: Session, *, victim_record_id: int, suspect_record_id: int | None, incident: Incident
) -> MaracHistory:
    last = last_marac_referral(
        session, victim_record_id=victim_record_id, before=incident.opened_at
    )
    return MaracHistory(
        da_incidents=earlier_da_incidents(
            session,
            victim_record_id=victim_record_id,
            suspect_record_id=suspect_record_id,
            incident=incident,
        ),
        last_marac_referral=None if last is None else local_date(last.referred_at),
    )


def history_facts(
    session: Session, *, victim_record_id: int, suspect_record_id: int | None, incident: Incident
) -> HistoryFacts:
    """The suspect's recorded history, for suggested answers (never for a "no")."""
    earlier = earlier_da_incidents(
        session,
        victim_record_id=victim_record_id,
        suspect_record_id=suspect_record_id,
        incident=incident,
    )
    if suspect_record_id is None:
        return HistoryFacts(da_incidents=earlier)
    as_suspect = _incidents_as(
        session, same_person_records(session, record_id=suspect_record_id), Role.SUSPECT
    )
    as_suspect.discard(incident.id)
    rows = (
        session.execute(
            select(Incident.category, Incident.outcome, Incident.opened_at).where(
                Incident.id.in_(as_suspect), Incident.opened_at <= incident.opened_at
            )
        ).all()
        if as_suspect
        else []
    )
    return HistoryFacts(
        da_incidents=earlier,
        order_breaches=tuple(
            local_date(at) for category, _, at in rows if category is Category.BREACH_OF_ORDER
        ),
        criminal_record=any(outcome in CRIMINAL_OUTCOMES for _, outcome, _ in rows),
        violence_record=any(category in VIOLENT for category, _, _ in rows),
        harassment_record=any(category is Category.STALKING_HARASSMENT for category, _, _ in rows),
    )
