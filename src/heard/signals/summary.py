"""What a screen shows of a call's warning signs and grade: read-only views of the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from heard.incidents.models import Call, Grade
from heard.signals import ledger
from heard.signals.grading import Suggestion, rank
from heard.signals.models import (
    SEVERITY_ORDER,
    Acknowledgement,
    CallSignalState,
    ChangeKind,
    ChangeStatus,
    Escalation,
    GradeChange,
    WarningSign,
)
from heard.signals.schemas import (
    AcknowledgementOut,
    CallSignalsOut,
    EscalationOut,
    GradeChangeOut,
    GradeOut,
    WarningSignOut,
)

_CHANGES_OF_CALL = (
    select(GradeChange)
    .where(GradeChange.call_id == bindparam("call_id"))
    .order_by(GradeChange.at, GradeChange.id)
)


@dataclass
class Refresh:
    raised: list[WarningSign] = field(default_factory=list)
    suggestion: Suggestion | None = None
    # The grade suggestion recorded by this refresh, when Heard's suggestion rose.
    change: GradeChange | None = None


def state_of(session: Session, *, call_id: int) -> CallSignalState | None:
    return session.get(CallSignalState, call_id)


def history_of(session: Session, *, call_id: int) -> list[GradeChange]:
    return list(session.scalars(_CHANGES_OF_CALL, {"call_id": call_id}))


def pending_changes(session: Session, *, force_id: int, limit: int = 200) -> list[GradeChange]:
    return list(
        session.scalars(
            select(GradeChange)
            .where(GradeChange.force_id == force_id, GradeChange.status == ChangeStatus.PENDING)
            .order_by(GradeChange.at, GradeChange.id)
            .limit(limit)
        )
    )


def sign_out(
    sign: WarningSign,
    ack: Acknowledgement | None = None,
    escalation: Escalation | None = None,
) -> WarningSignOut:
    out = WarningSignOut.model_validate(sign)
    out.acknowledgement = AcknowledgementOut.model_validate(ack) if ack else None
    out.escalation = EscalationOut.model_validate(escalation) if escalation else None
    return out


def grade_view(
    session: Session,
    *,
    call_id: int,
    with_history: bool = False,
    changes: list[GradeChange] | None = None,
) -> GradeOut:
    """`changes`: the call's grade changes when the caller already holds them all."""
    state = state_of(session, call_id=call_id)
    changes = history_of(session, call_id=call_id) if changes is None else changes
    pending = [c for c in changes if c.status is ChangeStatus.PENDING]
    grade = state.grade if state else None
    suggested = state.suggested_grade if state else None
    return GradeOut(
        call_id=call_id,
        suggested_grade=suggested,
        reasons=list(state.suggestion_reasons) if state else [],
        refused_grades=[Grade(g) for g in state.refused_grades] if state else [],
        grade=grade,
        grade_set_by=state.grade_set_by if state else None,
        grade_set_at=state.grade_set_at if state else None,
        below_suggestion=grade is not None and rank(grade) < rank(suggested),
        lowered_pending_sign_off=any(c.kind is ChangeKind.SET for c in pending),
        pending_sign_off=[GradeChangeOut.model_validate(c) for c in pending],
        history=[GradeChangeOut.model_validate(c) for c in changes] if with_history else [],
    )


def call_signals(
    session: Session, *, call: Call, made_now: Refresh | None = None
) -> CallSignalsOut:
    """`made_now`: the first refresh of a call created in this transaction, which made all the
    signs and grade changes it has (none acknowledged or escalated yet)."""
    state = state_of(session, call_id=call.id)
    rows: list[tuple[WarningSign, Acknowledgement | None, Escalation | None]] = (
        [(sign, None, None) for sign in made_now.raised]
        if made_now
        else ledger.signs_for_call(session, call_id=call.id)
    )
    changes = None if made_now is None else [made_now.change] if made_now.change else []
    signs = sorted(
        (sign_out(sign, ack, esc) for sign, ack, esc in rows),
        key=lambda s: (s.acknowledgement is not None, SEVERITY_ORDER[s.severity], s.raised_at),
    )
    return CallSignalsOut(
        call_id=call.id,
        domestic_abuse=bool(state and state.domestic_abuse),
        relationship=state.relationship if state else None,
        unacknowledged=sum(1 for _, ack, _ in rows if ack is None),
        escalated=sum(1 for _, ack, esc in rows if ack is None and esc is not None),
        signs=signs,
        grade=grade_view(session, call_id=call.id, changes=changes),
    )
