"""Referral use cases: make one (with consent), queue its delivery, track it, escalate it overdue.

Every referral is two durable jobs enqueued in the transaction that creates it: the delivery
(retried until delivered) and an overdue check at its due time, which puts anything still
outstanding in front of a supervisor. Neither can be lost by a crash after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
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
from heard.people.models import PersonRecord
from heard.referrals import documents
from heard.referrals.delivery import DELIVER_JOB
from heard.referrals.models import (
    OUTSTANDING,
    REFERRAL_TRANSITIONS,
    SUSPECT_FACING,
    Consent,
    Referral,
    ReferralEscalation,
    ReferralKind,
    ReferralSettings,
    ReferralStatus,
    SupportService,
)
from heard.risk import service as risk
from heard.risk.models import RiskGrade

OVERDUE_JOB = "referral.overdue"
DEFAULTS = {
    "school_day_start": "08:30",
    "timezone": "Europe/London",
    "support_due_hours": 24,
    "marac_due_hours": 24,
}
MANUAL_TARGETS = frozenset(
    {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
        ReferralStatus.PENDING,
    }
)


@dataclass(frozen=True, kw_only=True)
class ReferralOverdue(DomainEvent):
    referral_id: int
    escalation_id: int


def settings_for(session: Session, *, force_id: int) -> ReferralSettings:
    found = session.get(ReferralSettings, force_id)
    return found or ReferralSettings(force_id=force_id, **DEFAULTS)


def find(session: Session, *, force_id: int, referral_id: int) -> Referral:
    found = session.get(Referral, referral_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no referral {referral_id} in your force")
    return found


def _record(session: Session, force_id: int, record_id: int, what: str) -> PersonRecord:
    record = session.get(PersonRecord, record_id)
    if record is None or record.force_id != force_id:
        raise errors.NotFound(f"no {what} record {record_id} in your force")
    return record


def _roles(session: Session, incident_id: int, record_id: int) -> set[Role]:
    return set(
        session.scalars(
            select(Involvement.role).where(
                Involvement.incident_id == incident_id, Involvement.person_record_id == record_id
            )
        )
    )


def _victim_on(session: Session, incident_id: int) -> int | None:
    return session.scalar(
        select(Involvement.person_record_id)
        .where(Involvement.incident_id == incident_id, Involvement.role == Role.VICTIM)
        .order_by(Involvement.id)
        .limit(1)
    )


def _check_consent(
    session: Session, *, consent: Consent, note: str | None, victim_record_id: int | None
) -> RiskGrade | None:
    level = (
        risk.latest_level(session, victim_record_id=victim_record_id)
        if victim_record_id is not None
        else None
    )
    if consent is Consent.OVERRIDDEN_HIGH_RISK:
        if level is not RiskGrade.HIGH:
            raise errors.Invalid(
                "without the victim's consent a referral is made only when the assessed risk "
                f"is high (it is {level.value if level else 'not assessed'}); record consent, "
                "or complete a risk assessment first"
            )
        if not (note and note.strip()):
            raise errors.Invalid("say why the referral goes ahead without consent (consent_note)")
    return level


def _incident(session: Session, force_id: int, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.force_id != force_id:
        raise errors.NotFound(f"no incident {incident_id} in your force")
    return incident


def create_support_referral(
    session: Session,
    *,
    force_id: int,
    service_id: int,
    subject_record_id: int,
    incident_id: int,
    consent: Consent,
    consent_note: str | None,
    reason: str,
    actor: Actor,
) -> Referral:
    service = session.get(SupportService, service_id)
    if service is None or service.force_id != force_id or not service.active:
        raise errors.NotFound(f"no active service {service_id} in your force's directory")
    subject = _record(session, force_id, subject_record_id, "person")
    incident = _incident(session, force_id, incident_id)
    roles = _roles(session, incident.id, subject.id)
    suspect_facing = service.kind in SUSPECT_FACING
    if suspect_facing and Role.SUSPECT not in roles:
        raise errors.Invalid(f"{service.name} works with the person who harmed; refer the suspect")
    if not suspect_facing and Role.SUSPECT in roles:
        raise errors.Invalid(f"{service.name} supports victims; the suspect cannot be referred")
    victim_id = subject.id if Role.VICTIM in roles else _victim_on(session, incident.id)
    level = _check_consent(session, consent=consent, note=consent_note, victim_record_id=victim_id)
    referral = Referral(
        force_id=force_id,
        kind=ReferralKind.SUPPORT,
        service_id=service.id,
        subject_record_id=subject.id,
        victim_record_id=victim_id,
        incident_id=incident.id,
        consent=consent,
        consent_note=consent_note,
        reason=reason,
        contents=documents.support_contents(
            session,
            subject=subject,
            incident=incident,
            service_name=service.name,
            service_kind=service.kind,
            reason=reason,
            consent=consent.value,
            level=level.value if level else None,
        ),
        recipient=f"{service.name} <{service.delivery_method.value}:{service.delivery_address}>",
        status=ReferralStatus.NOT_SENT if consent is Consent.DECLINED else ReferralStatus.PENDING,
        created_at=utcnow(),
        created_by=actor.user_id,
        due_at=utcnow()
        + timedelta(hours=settings_for(session, force_id=force_id).support_due_hours),
    )
    session.add(referral)
    session.flush()
    if suspect_facing:
        documents.ensure_suspect_safe(session, referral, documents.render_html(session, referral))
    if referral.status is ReferralStatus.PENDING:
        queue(session, referral=referral)
    audit.record(
        session,
        actor=actor,
        action="referral.create",
        record_type="referral",
        record_id=referral.id,
        details={
            "service_id": service.id,
            "consent": consent.value,
            "status": referral.status.value,
        },
    )
    return referral


def queue(session: Session, *, referral: Referral) -> None:
    """Delivery now (retried until delivered) and an overdue check at the due time."""
    jobs.enqueue(
        session,
        force_id=referral.force_id,
        kind=DELIVER_JOB,
        payload={"referral_id": referral.id},
        max_attempts=1000,
    )
    jobs.enqueue(
        session,
        force_id=referral.force_id,
        kind=OVERDUE_JOB,
        payload={"referral_id": referral.id},
        run_after=referral.due_at,
        dedupe_key=f"referral-overdue-{referral.id}",
    )


def transition(
    session: Session, *, referral: Referral, target: ReferralStatus, note: str | None, actor: Actor
) -> Referral:
    if target not in MANUAL_TARGETS:
        raise errors.Invalid(
            "only accepted, declined, withdrawn or pending (retry) are set by hand"
        )
    if not REFERRAL_TRANSITIONS.allowed(referral.status, target):
        raise errors.Conflict(
            f"referral {referral.id} is {referral.status.value} and cannot become {target.value}"
        )
    previous = referral.status
    referral.status, referral.status_note = target, note
    if target is ReferralStatus.PENDING:
        jobs.enqueue(
            session,
            force_id=referral.force_id,
            kind=DELIVER_JOB,
            payload={"referral_id": referral.id},
            max_attempts=1000,
        )
    audit.record(
        session,
        actor=actor,
        action="referral.status",
        record_type="referral",
        record_id=referral.id,
        details={"from": previous.value, "to": target.value, "note": note},
    )
    return referral


def escalate_if_overdue(session: Session, *, referral: Referral) -> ReferralEscalation | None:
    if referral.status not in OUTSTANDING or referral.due_at > utcnow():
        return None
    existing = session.scalar(
        select(ReferralEscalation).where(ReferralEscalation.referral_id == referral.id)
    )
    if existing is not None:
        return existing
    escalation = ReferralEscalation(
        force_id=referral.force_id,
        referral_id=referral.id,
        raised_at=utcnow(),
        reason=f"{referral.kind.value} referral {referral.id} to {referral.recipient} was due "
        f"at {referral.due_at:%Y-%m-%d %H:%M} UTC and is still {referral.status.value}",
    )
    session.add(escalation)
    referral.escalated_at = escalation.raised_at
    session.flush()
    audit.record(
        session,
        actor=audit.system_actor(referral.force_id, reason_source="job"),
        action="referral.escalate",
        record_type="referral",
        record_id=referral.id,
        details={"escalation_id": escalation.id},
    )
    record_event(
        session,
        ReferralOverdue(
            force_id=referral.force_id, referral_id=referral.id, escalation_id=escalation.id
        ),
    )
    return escalation


def overdue_job(session: Session, job: Job) -> None:
    referral = session.get(Referral, int(job.payload["referral_id"]))
    if referral is None or referral.force_id != job.force_id:
        raise jobs.PermanentJobError(f"no referral {job.payload.get('referral_id')}")
    escalate_if_overdue(session, referral=referral)


def list_referrals(
    session: Session, *, force_id: int, status: ReferralStatus | None, overdue: bool, limit: int
) -> list[Referral]:
    query = select(Referral).where(Referral.force_id == force_id)
    if status is not None:
        query = query.where(Referral.status == status)
    if overdue:
        query = query.where(Referral.status.in_(OUTSTANDING), Referral.due_at <= utcnow())
    return list(session.scalars(query.order_by(Referral.due_at).limit(limit)))


def escalations(session: Session, *, force_id: int, open_only: bool) -> list[ReferralEscalation]:
    query = select(ReferralEscalation).where(ReferralEscalation.force_id == force_id)
    if open_only:
        query = query.where(ReferralEscalation.acknowledged_at.is_(None))
    return list(session.scalars(query.order_by(ReferralEscalation.raised_at.desc()).limit(200)))


def acknowledge(
    session: Session, *, force_id: int, escalation_id: int, note: str, actor: Actor
) -> ReferralEscalation:
    found = session.get(ReferralEscalation, escalation_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no escalation {escalation_id} in your force")
    if found.acknowledged_at is not None:
        raise errors.Conflict(f"escalation {escalation_id} was already acknowledged")
    if len(note.strip()) < 3:
        raise errors.Invalid("say what was done about the overdue referral (a short note)")
    found.acknowledged_at, found.acknowledged_by, found.note = utcnow(), actor.user_id, note
    audit.record(
        session,
        actor=actor,
        action="referral.escalation.acknowledge",
        record_type="referral",
        record_id=found.referral_id,
        details={"escalation_id": found.id, "note": note},
    )
    return found
