"""MARAC referrals: raised whenever the criteria are met, and tracked to the meeting and outcome.

Two ways in: a submitted (or review-raised) assessment, and a new DA incident for a victim whose
last MARAC referral is less than 12 months old ("repeat", whatever the local threshold). The second
is a job kind, `risk.marac_repeat_check`, so intake can enqueue it in its own transaction without
importing this domain (calls sits above risk), and a crash between the two cannot lose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.events import DomainEvent
from heard.incidents.models import Incident, Involvement, Role
from heard.jobs import service as jobs
from heard.jobs.models import Job
from heard.risk.assessments import MARAC_TRANSITIONS
from heard.risk.history import (
    last_marac_referral,
    last_marac_referrals_of_victims,
    same_person_records,
)
from heard.risk.instruments import Criterion
from heard.risk.instruments.marac import REPEAT_WINDOW_MONTHS, within_months_before
from heard.risk.instruments.request import local_date
from heard.risk.models import MaracOutcome, MaracReferral

PACK_JOB = "marac.pack"
REPEAT_CHECK_JOB = "risk.marac_repeat_check"

# Built once (intake runs them on every call): building a select() cost more than running it.
_VICTIMS_OF_INCIDENT = select(Involvement.person_record_id).where(
    Involvement.incident_id == bindparam("incident_id"), Involvement.role == Role.VICTIM
)
_JOB_BY_DEDUPE_KEY = select(Job.id).where(Job.dedupe_key == bindparam("key"))


@dataclass(frozen=True, kw_only=True)
class MaracReferralRaised(DomainEvent):
    marac_referral_id: int
    criteria: tuple[str, ...]


def find(session: Session, *, force_id: int, referral_id: int) -> MaracReferral:
    found = session.get(MaracReferral, referral_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no MARAC referral {referral_id} in your force")
    return found


def for_incident(
    session: Session, *, victim_record_id: int, incident_id: int
) -> MaracReferral | None:
    records = same_person_records(session, record_id=victim_record_id)
    return session.scalar(
        select(MaracReferral).where(
            MaracReferral.victim_record_id.in_(records), MaracReferral.incident_id == incident_id
        )
    )


def raise_referral(
    session: Session,
    *,
    force_id: int,
    victim_record_id: int,
    incident_id: int | None,
    criteria: list[str],
    actor: Actor,
) -> MaracReferral:
    """A new referral, its pack job (same transaction) and an event; one per victim and incident."""
    if incident_id is not None:
        existing = for_incident(session, victim_record_id=victim_record_id, incident_id=incident_id)
        if existing is not None:
            existing.criteria = sorted(set(existing.criteria) | set(criteria), key=_order)
            return existing
    referral = MaracReferral(
        force_id=force_id,
        victim_record_id=victim_record_id,
        incident_id=incident_id,
        referred_at=utcnow(),
        criteria=sorted(set(criteria), key=_order),
        meeting_date=None,
        outcome=MaracOutcome.PENDING,
    )
    session.add(referral)
    session.flush()
    jobs.enqueue(
        session,
        force_id=force_id,
        kind=PACK_JOB,
        payload={"marac_referral_id": referral.id},
        max_attempts=1000,  # the pack must go out: retried until it does
        dedupe_key=f"marac-pack-{referral.id}",
    )
    record_event(
        session,
        MaracReferralRaised(
            force_id=force_id, marac_referral_id=referral.id, criteria=tuple(referral.criteria)
        ),
    )
    audit.record(
        session,
        actor=actor,
        action="marac.refer",
        force_id=force_id,
        record_type="marac_referral",
        record_id=referral.id,
        details={"criteria": referral.criteria, "victim_record_id": victim_record_id},
    )
    return referral


def _order(name: str) -> int:
    return [c.value for c in Criterion].index(name) if name in set(Criterion) else 99


def victims_of(session: Session, *, incident: Incident) -> list[int]:
    found = session.scalars(_VICTIMS_OF_INCIDENT, {"incident_id": incident.id})
    return sorted(set(found))


def repeat_due(session: Session, *, incident: Incident, victim_record_id: int) -> bool:
    """A DA incident within 12 months of the victim's last MARAC referral (for another incident)."""
    if not incident.is_domestic_abuse:
        return False
    last = last_marac_referral(
        session, victim_record_id=victim_record_id, before=incident.opened_at
    )
    return last is not None and _repeat_after(incident, last.incident_id, last.referred_at)


def _repeat_after(incident: Incident, last_incident_id: int | None, last_at: datetime) -> bool:
    if last_incident_id == incident.id:
        return False
    return within_months_before(
        local_date(last_at), local_date(incident.opened_at), REPEAT_WINDOW_MONTHS
    )


def check_repeat(
    session: Session, *, incident: Incident, actor: Actor, victim_record_id: int | None = None
) -> list[MaracReferral]:
    """Refer again every victim of a DA incident (or the one given) referred under 12 months ago."""
    victims = [victim_record_id] if victim_record_id else victims_of(session, incident=incident)
    return [
        raise_referral(
            session,
            force_id=incident.force_id,
            victim_record_id=victim_id,
            incident_id=incident.id,
            criteria=[Criterion.REPEAT.value],
            actor=actor,
        )
        for victim_id in victims
        if repeat_due(session, incident=incident, victim_record_id=victim_id)
    ]


def repeat_check_job(session: Session, job: Job) -> None:
    incident = session.get(Incident, int(job.payload["incident_id"]))
    if incident is None or incident.force_id != job.force_id:
        raise jobs.PermanentJobError(f"no incident {job.payload.get('incident_id')} in this force")
    victim = job.payload.get("victim_record_id")
    check_repeat(
        session,
        incident=incident,
        actor=audit.system_actor(job.force_id, reason_source="job"),
        victim_record_id=None if victim is None else int(victim),
    )


def enqueue_repeat_check(session: Session, *, force_id: int, incident_id: int) -> Job:
    """Check every victim of a DA incident for a repeat referral, later, by a worker."""
    return jobs.enqueue(
        session,
        force_id=force_id,
        kind=REPEAT_CHECK_JOB,
        payload={"incident_id": incident_id},
        dedupe_key=f"marac-repeat-{incident_id}",
    )


def queue_repeat_checks(session: Session, *, incident_id: int | None) -> list[Job]:
    """What intake calls, in the call's transaction, whenever a call is stored or changed.

    For a DA incident: one job per victim whose last MARAC referral is under 12 months old, so
    the repeat criterion is applied every time and a crash after the commit cannot lose it. The job
    re-checks with the same rule, raises the referral and builds its pack outside the 999
    call's transaction. Victims already queued for this incident are not queued twice.
    """
    incident = None if incident_id is None else session.get(Incident, incident_id)
    if incident is None or not incident.is_domestic_abuse:
        return []
    session.flush()  # involvements added by this call must be visible to the check
    queued = []
    last_referrals = last_marac_referrals_of_victims(
        session, incident_id=incident.id, before=incident.opened_at
    )
    for victim_id, (last_incident_id, last_at) in sorted(last_referrals.items()):
        # The rule first: it rarely holds, and then there is no queued job to look for.
        if not _repeat_after(incident, last_incident_id, last_at):
            continue
        key = f"marac-repeat-{incident.id}-{victim_id}"
        if session.scalar(_JOB_BY_DEDUPE_KEY, {"key": key}) is not None:
            continue
        queued.append(
            jobs.enqueue(
                session,
                force_id=incident.force_id,
                kind=REPEAT_CHECK_JOB,
                payload={"incident_id": incident.id, "victim_record_id": victim_id},
                max_attempts=1000,  # a repeat referral must not be dropped
                dedupe_key=key,
            )
        )
    return queued


def list_referrals(
    session: Session, *, force_id: int, outcome: MaracOutcome | None, limit: int
) -> list[MaracReferral]:
    query = select(MaracReferral).where(MaracReferral.force_id == force_id)
    if outcome is not None:
        query = query.where(MaracReferral.outcome == outcome)
    return list(session.scalars(query.order_by(MaracReferral.id.desc()).limit(limit)))


def track(
    session: Session,
    *,
    referral: MaracReferral,
    meeting_date: date | None,
    outcome: MaracOutcome | None,
    actor: Actor,
) -> MaracReferral:
    """Set the meeting date and, after the meeting, the outcome (one transition table)."""
    changes: dict[str, Any] = {}
    if meeting_date is not None:
        if referral.outcome is not MaracOutcome.PENDING:
            raise errors.Conflict(
                f"this referral's outcome is {referral.outcome.value}; list it again first"
            )
        referral.meeting_date = meeting_date
        changes["meeting_date"] = meeting_date.isoformat()
    if outcome is not None and outcome is not referral.outcome:
        if not MARAC_TRANSITIONS.allowed(referral.outcome, outcome):
            raise errors.Conflict(
                f"a MARAC referral cannot go from {referral.outcome.value} to {outcome.value}"
            )
        if outcome is not MaracOutcome.PENDING and referral.meeting_date is None:
            raise errors.Invalid("record the meeting date before the outcome")
        referral.outcome = outcome
        changes["outcome"] = outcome.value
    if not changes:
        raise errors.Invalid("give a meeting_date, an outcome, or both")
    audit.record(
        session,
        actor=actor,
        action="marac.track",
        record_type="marac_referral",
        record_id=referral.id,
        details=changes,
    )
    return referral
