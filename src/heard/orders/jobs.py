"""Durable job handlers of the orders domain, registered by the composition root.

`orders.duty_due` runs at a duty's deadline; `orders.breach_escalate` runs a configurable time
after a breach is raised. Both check the state first, so a duty done or a breach attended in
the meantime makes the job a no-op.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.clock import utcnow
from heard.jobs.models import Job
from heard.jobs.service import PermanentJobError, RetryableJobError
from heard.jobs.worker import JobRegistry
from heard.orders import alerts, breaches, duties
from heard.orders.records import Breach, BreachKind, DutyKind, DutyStatus, OrderAlertKind, OrderDuty

NOTIFICATION_DUTIES = {DutyKind.NOTIFICATION_INITIAL, DutyKind.NOTIFICATION_CHANGE}
DUTY_WORDS = {
    DutyKind.DAPN_HEARING: "DAPO hearing not recorded within 48 counted hours of the DAPN",
    DutyKind.DAPN_BREACH_COURT: "person arrested for a DAPN breach not recorded as before the "
    "court within 24 counted hours",
    DutyKind.NOTIFICATION_INITIAL: "the subject has not notified their names and home address",
    DutyKind.NOTIFICATION_CHANGE: "the subject has not notified a change",
    DutyKind.POSITIVE_REQUIREMENT: "no attendance reported for a positive requirement",
}


def duty_due(session: Session, job: Job) -> None:
    duty = session.get(OrderDuty, int(job.payload.get("duty_id", 0)))
    if duty is None or duty.force_id != job.force_id:
        raise PermanentJobError(f"no duty {job.payload.get('duty_id')} in force {job.force_id}")
    if duty.status is not DutyStatus.OPEN:
        return
    if not duties.mark_overdue(session, duty=duty, now=utcnow()):
        raise RetryableJobError("the deadline has not passed yet on this clock; try again")
    message = f"{DUTY_WORDS[duty.kind]} ({duty.trigger}); due {duty.due_at.isoformat()}"
    breach_id = None
    if duty.kind in NOTIFICATION_DUTIES:
        breach = breaches.open_breach(
            session,
            force_id=duty.force_id,
            order_id=duty.order_id,
            kind=BreachKind.NOTIFICATION,
            started_at=duty.due_at,
            description=message,
            episode_key=f"duty:{duty.id}",
            evidence={
                "duty_id": duty.id,
                "trigger": duty.trigger,
                "due_at": duty.due_at.isoformat(),
            },
        )
        breach_id = breach.id
    kind = (
        OrderAlertKind.COMPLIANCE
        if duty.kind is DutyKind.POSITIVE_REQUIREMENT
        else OrderAlertKind.DUTY_OVERDUE
    )
    alerts.raise_alert(
        session,
        force_id=duty.force_id,
        order_id=duty.order_id,
        kind=kind,
        message=message,
        duty_id=duty.id,
        breach_id=breach_id,
        episode_key=f"duty:{duty.id}",
        started_at=duty.due_at,
    )
    audit.record(
        session,
        actor=audit.system_actor(duty.force_id, reason_source="job"),
        action="order_duty.overdue",
        record_type="order_duty",
        record_id=duty.id,
        details={"order_id": duty.order_id, "kind": duty.kind.value, "breach_id": breach_id},
    )


def breach_escalate(session: Session, job: Job) -> None:
    breach = session.get(Breach, int(job.payload.get("breach_id", 0)))
    if breach is None or breach.force_id != job.force_id:
        raise PermanentJobError(f"no breach {job.payload.get('breach_id')} in force {job.force_id}")
    breaches.escalate(session, breach=breach)


def register(registry: JobRegistry) -> None:
    registry.register(duties.DUTY_DUE_JOB, duty_due)
    registry.register(breaches.ESCALATE_JOB, breach_escalate)
