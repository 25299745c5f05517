"""A person's grade decisions: setting a grade, and a second person signing it off or refusing it.

Each first locks the call's `CallSignalState` row (see `heard.signals.service`), so a decision
never interleaves with an intake update or a transcript segment for the same call.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call, Grade
from heard.signals.events import GradeChangeDecided, GradeSet
from heard.signals.grading import GRADE_WORDS, highest, judge
from heard.signals.models import CHANGE_TRANSITIONS, ChangeKind, ChangeStatus, GradeChange
from heard.signals.service import lock_state

MIN_GRADE_REASON = 10


def find_change(session: Session, *, force_id: int, change_id: int) -> GradeChange:
    change = session.get(GradeChange, change_id)
    if change is None or change.force_id != force_id:
        raise errors.NotFound(f"no grade change {change_id} in your force")
    return change


def _person(actor: Actor, what: str) -> int:
    if actor.user_id is None:
        raise errors.Forbidden(f"{what} is a person's decision; a system token cannot make it")
    return actor.user_id


def set_grade(
    session: Session, *, call: Call, grade: Grade, reason: str | None, actor: Actor
) -> GradeChange:
    """A person sets the grade. Below the suggestion, or lower than the grade already set, it
    needs a written reason and waits (in effect, flagged) for a second person's sign-off."""
    user_id = _person(actor, "setting a grade")
    state = lock_state(session, call=call)
    refused = [Grade(g) for g in state.refused_grades]
    decision = judge(grade, current=state.grade, suggested=state.suggested_grade, refused=refused)
    if decision.refused:
        rule = next(
            (r["words"] for r in state.suggestion_reasons if r.get("rule") == "repeat_da"), ""
        )
        raise errors.Conflict(
            f"{GRADE_WORDS[grade]} is not allowed on this call ({rule}); choose a grade that "
            "sends someone"
        )
    reason = (reason or "").strip() or None
    if decision.needs_sign_off and (reason is None or len(reason) < MIN_GRADE_REASON):
        what = (
            f"lowering the grade from {GRADE_WORDS[state.grade]}"
            if decision.lowers and state.grade
            else f"setting a grade below Heard's suggestion ({GRADE_WORDS[state.suggested_grade]})"
            if state.suggested_grade
            else "this grade"
        )
        raise errors.Invalid(
            f"{what} needs a written reason of at least {MIN_GRADE_REASON} characters; a "
            "specialist or supervisor then signs it off",
            errors=[{"field": "reason", "message": "required to lower a grade"}],
        )
    now = utcnow()
    for pending in session.scalars(
        select(GradeChange).where(
            GradeChange.call_id == call.id,
            GradeChange.kind == ChangeKind.SET,
            GradeChange.status == ChangeStatus.PENDING,
        )
    ):
        pending.status = CHANGE_TRANSITIONS.check(pending.status, ChangeStatus.SUPERSEDED)
        pending.decided_at = now
        pending.decision_note = "replaced by a later grade before sign-off"
    change = GradeChange(
        force_id=call.force_id,
        call_id=call.id,
        kind=ChangeKind.SET,
        grade=grade,
        previous_grade=state.grade,
        suggested_grade=state.suggested_grade,
        reasons=list(state.suggestion_reasons),
        reason=reason,
        by_user_id=user_id,
        by_name=actor.username,
        by_role=actor.role,
        at=now,
        status=ChangeStatus.PENDING if decision.needs_sign_off else ChangeStatus.RECORDED,
    )
    session.add(change)
    state.grade, state.grade_set_by, state.grade_set_at = grade, user_id, now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grade.set",
        record_type="call",
        record_id=call.id,
        reason=reason,
        details={
            "change_id": change.id,
            "grade": grade.value,
            "previous": change.previous_grade.value if change.previous_grade else None,
            "suggested": change.suggested_grade.value if change.suggested_grade else None,
            "lowers": decision.lowers,
            "below_suggestion": decision.below_suggestion,
            "needs_sign_off": decision.needs_sign_off,
        },
    )
    record_event(
        session,
        GradeSet(
            force_id=call.force_id,
            call_id=call.id,
            change_id=change.id,
            grade=grade.value,
            previous=change.previous_grade.value if change.previous_grade else None,
            needs_sign_off=decision.needs_sign_off,
        ),
    )
    return change


def _decide(
    session: Session, *, change: GradeChange, actor: Actor, target: ChangeStatus, note: str | None
) -> int:
    user_id = _person(actor, "a sign-off")
    if change.status is not ChangeStatus.PENDING:
        raise errors.Conflict(
            f"this change is {change.status.value}; only a change waiting for sign-off can be "
            "signed off or rejected"
        )
    if change.by_user_id == user_id:
        raise errors.Conflict(
            "you made this change; a second person (a specialist or a supervisor) must decide it"
        )
    change.status = CHANGE_TRANSITIONS.check(change.status, target)
    change.decided_by, change.decided_by_name = user_id, actor.username
    change.decided_at, change.decision_note = utcnow(), note
    return user_id


def sign_off(
    session: Session, *, change: GradeChange, actor: Actor, note: str | None
) -> GradeChange:
    call = session.get_one(Call, change.call_id)
    lock_state(session, call=call)
    user_id = _decide(
        session, change=change, actor=actor, target=ChangeStatus.SIGNED_OFF, note=note
    )
    details = {"call_id": change.call_id, "kind": change.kind.value, "made_by": change.by_user_id}
    _record_decision(
        session, change=change, actor=actor, user_id=user_id, note=note, details=details
    )
    return change


def reject(session: Session, *, change: GradeChange, actor: Actor, reason: str) -> GradeChange:
    """Refuse a pending change. A refused grade goes back up to the higher of the grade before
    it and Heard's suggestion then; the person rejecting it is recorded as having set that."""
    call = session.get_one(Call, change.call_id)
    state = lock_state(session, call=call)
    user_id = _decide(
        session, change=change, actor=actor, target=ChangeStatus.REJECTED, note=reason
    )
    details: dict[str, Any] = {"call_id": change.call_id, "kind": change.kind.value}
    if change.kind is ChangeKind.SET:
        target = highest([change.previous_grade, change.suggested_grade])
        if target is not None and state.grade == change.grade:
            now = utcnow()
            session.add(
                GradeChange(
                    force_id=change.force_id,
                    call_id=change.call_id,
                    kind=ChangeKind.REVERTED,
                    grade=target,
                    previous_grade=state.grade,
                    suggested_grade=state.suggested_grade,
                    reasons=[],
                    reason=reason,
                    by_user_id=user_id,
                    by_name=actor.username,
                    by_role=actor.role,
                    at=now,
                    status=ChangeStatus.RECORDED,
                )
            )
            state.grade, state.grade_set_by, state.grade_set_at = target, user_id, now
            details["reverted_to"] = target.value
    session.flush()
    _record_decision(
        session, change=change, actor=actor, user_id=user_id, note=reason, details=details
    )
    return change


# A decided change's status -> the event's decision and the audit action.
_DECIDED = {
    ChangeStatus.SIGNED_OFF: ("signed_off", "grade.sign_off"),
    ChangeStatus.REJECTED: ("rejected", "grade.reject"),
}


def _record_decision(
    session: Session,
    *,
    change: GradeChange,
    actor: Actor,
    user_id: int,
    note: str | None,
    details: dict[str, Any],
) -> None:
    """The audit entry and the event for a decided change, in the decision's transaction."""
    decision, action = _DECIDED[change.status]
    audit.record(
        session,
        actor=actor,
        action=action,
        record_type="grade_change",
        record_id=change.id,
        reason=note,
        details=details,
    )
    record_event(
        session,
        GradeChangeDecided(
            force_id=change.force_id,
            call_id=change.call_id,
            change_id=change.id,
            decision=decision,
            user_id=user_id,
        ),
    )
