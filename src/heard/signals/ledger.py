"""The acknowledgement ledger: raising warning signs once, acknowledging them, escalating the rest.

A sign is raised once per call, code and evidence (the unique key is the dedupe). Raising it
enqueues a durable job due when the force's acknowledgement time runs out; if the sign is still
unacknowledged then, the job records an escalation to the supervisor. Acknowledging needs a person.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.bulk import insert_returning
from heard.db.uow import record_event
from heard.incidents.models import Call
from heard.jobs import service as jobs
from heard.jobs.models import Job
from heard.signals.events import (
    WarningSignAcknowledged,
    WarningSignEscalated,
    WarningSignRaised,
)
from heard.signals.models import (
    AckAction,
    Acknowledgement,
    Escalation,
    Severity,
    SignSource,
    WarningSign,
)

ESCALATE_JOB = "signals.escalate_warning_sign"
SUPERVISOR = "supervisor"
MIN_REASON = 5


# Built once: run on every 999 call (see `heard.signals.history_queries`).
_KEYS_OF_CALL = select(WarningSign.code, WarningSign.evidence_key).where(
    WarningSign.call_id == bindparam("call_id")
)
_SIGNS_OF_CALL = (
    select(WarningSign, Acknowledgement, Escalation)
    .outerjoin(Acknowledgement, Acknowledgement.warning_sign_id == WarningSign.id)
    .outerjoin(Escalation, Escalation.warning_sign_id == WarningSign.id)
    .where(WarningSign.call_id == bindparam("call_id"))
    .order_by(WarningSign.raised_at, WarningSign.id)
)


@dataclass(frozen=True)
class SignDraft:
    source: SignSource
    code: str
    severity: Severity
    words: str
    evidence: list[dict[str, Any]]
    evidence_key: str
    subject_id: int | None = None
    cue_id: int | None = None


def raise_signs(
    session: Session,
    *,
    call: Call,
    drafts: list[SignDraft],
    acknowledge_within: float,
    first_time: bool = False,
) -> list[WarningSign]:
    """Store the drafts not already raised on this call; each new one gets an escalation job.

    `first_time`: the call was created in this transaction, so it has no signs to look up yet.
    """
    if not drafts:
        return []
    known: set[tuple[str, str]] = (
        set()
        if first_time
        else {(code, key) for code, key in session.execute(_KEYS_OF_CALL, {"call_id": call.id})}
    )
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for draft in drafts:
        key = (draft.code, draft.evidence_key)
        if key in known:
            continue
        known.add(key)
        rows.append(
            {
                "force_id": call.force_id,
                "call_id": call.id,
                "source": draft.source,
                "code": draft.code,
                "severity": draft.severity,
                "words": draft.words,
                "evidence": draft.evidence,
                "evidence_key": draft.evidence_key,
                "subject_id": draft.subject_id,
                "cue_id": draft.cue_id,
                "raised_at": now,
            }
        )
    # One statement for the signs (the ORM would write them a row at a time on SQLite), one
    # for their jobs.
    raised = insert_returning(session, WarningSign, rows)
    if not raised:
        return raised
    escalate_at = now + timedelta(seconds=acknowledge_within)
    jobs.enqueue_many(
        session,
        force_id=call.force_id,
        kind=ESCALATE_JOB,
        jobs=[
            jobs.NewJob(
                payload={"warning_sign_id": sign.id},
                run_after=escalate_at,
                dedupe_key=f"{ESCALATE_JOB}:{sign.id}",
            )
            for sign in raised
        ],
    )
    for sign in raised:
        record_event(
            session,
            WarningSignRaised(
                force_id=call.force_id,
                call_id=call.id,
                sign_id=sign.id,
                code=sign.code,
                severity=sign.severity.value,
                source=sign.source.value,
            ),
        )
    if raised:
        audit.record(
            session,
            actor=audit.system_actor(call.force_id, reason_source="signals"),
            action="warning_signs.raise",
            record_type="call",
            record_id=call.id,
            details={"signs": [{"id": s.id, "code": s.code} for s in raised]},
        )
    return raised


def find_sign(session: Session, *, force_id: int, sign_id: int) -> WarningSign:
    sign = session.get(WarningSign, sign_id)
    if sign is None or sign.force_id != force_id:
        raise errors.NotFound(f"no warning sign {sign_id} in your force")
    return sign


def acknowledge(
    session: Session,
    *,
    sign: WarningSign,
    actor: Actor,
    action: AckAction,
    reason: str | None,
) -> Acknowledgement:
    if actor.user_id is None:
        raise errors.Forbidden("a warning sign is acknowledged by a person, not a system token")
    reason = (reason or "").strip() or None
    if action is AckAction.NOT_RELEVANT and (reason is None or len(reason) < MIN_REASON):
        raise errors.Invalid(
            "say why this warning sign is not relevant (a reason of at least "
            f"{MIN_REASON} characters)",
            errors=[{"field": "reason", "message": "required when the action is not_relevant"}],
        )
    existing = session.scalar(
        select(Acknowledgement).where(Acknowledgement.warning_sign_id == sign.id)
    )
    if existing is not None:
        raise errors.Conflict(
            f"this warning sign was already acknowledged ({existing.action.value}) at "
            f"{existing.acknowledged_at.isoformat()}"
        )
    now = utcnow()
    ack = Acknowledgement(
        force_id=sign.force_id,
        warning_sign_id=sign.id,
        call_id=sign.call_id,
        user_id=actor.user_id,
        role=actor.role,
        action=action,
        reason=reason,
        acknowledged_at=now,
        seconds_to_acknowledge=max(0.0, (now - sign.raised_at).total_seconds()),
    )
    session.add(ack)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="warning_sign.acknowledge",
        record_type="warning_sign",
        record_id=sign.id,
        reason=reason,
        details={"call_id": sign.call_id, "code": sign.code, "action": action.value},
    )
    record_event(
        session,
        WarningSignAcknowledged(
            force_id=sign.force_id,
            call_id=sign.call_id,
            sign_id=sign.id,
            code=sign.code,
            action=action.value,
            user_id=actor.user_id,
        ),
    )
    return ack


def escalate_job(session: Session, job: Job) -> None:
    """Due when the acknowledgement time ran out: escalate the sign if nobody acknowledged it."""
    sign = session.get(WarningSign, int(job.payload["warning_sign_id"]))
    if sign is None:
        raise jobs.PermanentJobError("the warning sign no longer exists")
    acknowledged = session.scalar(
        select(Acknowledgement.id).where(Acknowledgement.warning_sign_id == sign.id)
    )
    already = session.scalar(select(Escalation.id).where(Escalation.warning_sign_id == sign.id))
    if acknowledged is not None or already is not None:
        return
    now = utcnow()
    session.add(
        Escalation(
            force_id=sign.force_id,
            warning_sign_id=sign.id,
            call_id=sign.call_id,
            escalated_at=now,
            to_role=SUPERVISOR,
            waited_seconds=(now - sign.raised_at).total_seconds(),
        )
    )
    session.flush()
    audit.record(
        session,
        actor=audit.system_actor(sign.force_id, reason_source="job"),
        action="warning_sign.escalate",
        record_type="warning_sign",
        record_id=sign.id,
        details={"call_id": sign.call_id, "code": sign.code, "to_role": SUPERVISOR},
    )
    record_event(
        session,
        WarningSignEscalated(
            force_id=sign.force_id,
            call_id=sign.call_id,
            sign_id=sign.id,
            code=sign.code,
            to_role=SUPERVISOR,
        ),
    )


def signs_for_call(
    session: Session, *, call_id: int
) -> list[tuple[WarningSign, Acknowledgement | None, Escalation | None]]:
    rows = session.execute(_SIGNS_OF_CALL, {"call_id": call_id}).all()
    return [(sign, ack, esc) for sign, ack, esc in rows]


def open_signs(
    session: Session, *, force_id: int, escalated_only: bool, limit: int
) -> list[tuple[WarningSign, Escalation | None]]:
    """Unacknowledged signs in the force, oldest first: what a supervisor needs to chase."""
    query = (
        select(WarningSign, Escalation)
        .outerjoin(Acknowledgement, Acknowledgement.warning_sign_id == WarningSign.id)
        .outerjoin(Escalation, Escalation.warning_sign_id == WarningSign.id)
        .where(WarningSign.force_id == force_id, Acknowledgement.id.is_(None))
        .order_by(WarningSign.raised_at, WarningSign.id)
        .limit(limit)
    )
    if escalated_only:
        query = query.where(Escalation.id.is_not(None))
    return [(sign, esc) for sign, esc in session.execute(query).all()]


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(rows: Sequence[tuple[float | None, bool, AckAction | None]]) -> dict[str, Any]:
    seconds = [s for s, _, _ in rows if s is not None]
    actions: dict[str, int] = {}
    for _, _, action in rows:
        if action is not None:
            actions[action.value] = actions.get(action.value, 0) + 1
    return {
        "raised": len(rows),
        "acknowledged": len(seconds),
        "share_acknowledged": round(len(seconds) / len(rows), 4) if rows else None,
        "escalated": sum(1 for _, escalated, _ in rows if escalated),
        "seconds_to_acknowledge": {
            "median": round(statistics.median(seconds), 1) if seconds else None,
            "p90": _percentile(seconds, 0.9),
            "mean": round(statistics.fmean(seconds), 1) if seconds else None,
            "max": max(seconds, default=None),
        },
        "actions": actions,
    }


def statistics_for(
    session: Session, *, force_id: int, since: datetime, until: datetime
) -> dict[str, Any]:
    rows = session.execute(
        select(
            WarningSign.code,
            WarningSign.source,
            Acknowledgement.seconds_to_acknowledge,
            Escalation.id,
            Acknowledgement.action,
        )
        .outerjoin(Acknowledgement, Acknowledgement.warning_sign_id == WarningSign.id)
        .outerjoin(Escalation, Escalation.warning_sign_id == WarningSign.id)
        .where(
            WarningSign.force_id == force_id,
            WarningSign.raised_at >= since,
            WarningSign.raised_at < until,
        )
    ).all()
    by_code: dict[tuple[str, str], list[tuple[float | None, bool, AckAction | None]]] = {}
    everything: list[tuple[float | None, bool, AckAction | None]] = []
    for code, source, seconds, escalation_id, action in rows:
        item = (seconds, escalation_id is not None, action)
        by_code.setdefault((code, source.value), []).append(item)
        everything.append(item)
    return {
        "since": since,
        "until": until,
        "overall": _summary(everything),
        "by_sign": [
            {"code": code, "source": source, **_summary(items)}
            for (code, source), items in sorted(by_code.items())
        ],
    }
