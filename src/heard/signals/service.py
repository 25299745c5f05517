"""Warning-sign and grading use cases. Keyword-only functions; the caller's unit of work commits.

Every change to a call's signs or grade first locks the call's `CallSignalState` row (PostgreSQL
`SELECT ... FOR UPDATE`; SQLite serialises writers anyway), so an intake update, a transcript
segment and a grade decision for the same call never interleave, on one worker or several.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.auth.models import Force
from heard.auth.permissions import Permission, Role, role_can
from heard.calls.hooks import CallChange, CallHooks
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call, Channel, Grade, Incident
from heard.jobs import service as jobs
from heard.jobs.models import Job
from heard.signals import ledger, transcript
from heard.signals.catalogue import SignalCode
from heard.signals.config import (
    GradingSettings,
    SignalSettings,
    grading_settings,
    signal_settings,
)
from heard.signals.cues import CueCode
from heard.signals.events import CallBackRecorded, GradeChangeDecided, GradeSet, GradeSuggested
from heard.signals.grading import GRADE_WORDS, RiskFacts, Suggestion, highest, judge, rank, suggest
from heard.signals.history import ComputedSignal, read_history
from heard.signals.models import (
    CHANGE_TRANSITIONS,
    SEVERITY_ORDER,
    Acknowledgement,
    CallCue,
    CallSignalState,
    ChangeKind,
    ChangeStatus,
    Escalation,
    GradeChange,
    SignSource,
    TranscriptSegment,
    WarningSign,
)
from heard.signals.schemas import (
    AcknowledgementOut,
    CallSignalsOut,
    EscalationOut,
    GradeChangeOut,
    GradeOut,
    SegmentIn,
    WarningSignOut,
)

log = logging.getLogger(__name__)

HOOK_NAME = "signals"
RECOMPUTE_JOB = "signals.recompute_call"
MIN_GRADE_REASON = 10


# Built once: run on every 999 call (see `heard.signals.history_queries`).
_STATE_FOR_UPDATE = (
    select(CallSignalState)
    .where(CallSignalState.call_id == bindparam("call_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
_CUE_CODES_OF_CALL = select(CallCue.code).where(CallCue.call_id == bindparam("call_id"))
_SIGN_CODES_OF_CALL = select(WarningSign.code).where(WarningSign.call_id == bindparam("call_id"))
_CALL_BACK_OF_CALL = select(GradeChange.id).where(
    GradeChange.call_id == bindparam("call_id"), GradeChange.kind == ChangeKind.CALL_BACK
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


def settings_for(session: Session, *, force_id: int) -> tuple[SignalSettings, GradingSettings]:
    force = session.get_one(Force, force_id)
    return (
        signal_settings(force.settings, force_id=force_id),
        grading_settings(force.settings, force_id=force_id),
    )


def _new_state(call: Call) -> CallSignalState:
    return CallSignalState(
        force_id=call.force_id,
        call_id=call.id,
        domestic_abuse=False,
        cue_domestic_abuse=False,
        segments_seen=0,
        suggestion_reasons=[],
        refused_grades=[],
        updated_at=utcnow(),
    )


def lock_state(session: Session, *, call: Call) -> CallSignalState:
    params = {"call_id": call.id}
    state = session.scalar(_STATE_FOR_UPDATE, params)
    if state is not None:
        return state
    try:
        with session.begin_nested():
            state = _new_state(call)
            session.add(state)
            session.flush()
    except IntegrityError:  # another worker created it first; wait for its lock instead
        state = session.scalar(_STATE_FOR_UPDATE, params)
        if state is None:
            raise
    return state


def _draft(signal: ComputedSignal) -> ledger.SignDraft:
    return ledger.SignDraft(
        source=SignSource.HISTORY,
        code=signal.code.value,
        severity=signal.severity,
        words=signal.words,
        evidence=[e.as_dict() for e in signal.evidence],
        evidence_key=signal.evidence_key,
        subject_id=signal.subject_id,
    )


def refresh(
    session: Session,
    *,
    call: Call,
    state: CallSignalState | None = None,
    extra: list[ledger.SignDraft] | None = None,
    first_time: bool = False,
) -> Refresh:
    """Recompute history signals and the suggestion from everything known about the call now.

    `first_time`: the call was created in this transaction. It has no cues, signs or state row
    yet, so none is looked up, and its state row is written once, complete, at the end.
    """
    sig, rules = settings_for(session, force_id=call.force_id)
    if first_time:
        state, cue_codes = state or _new_state(call), set[str]()
    else:
        state = state or lock_state(session, call=call)
        cue_codes = set(session.scalars(_CUE_CODES_OF_CALL, {"call_id": call.id}))
    history = read_history(session, call=call, settings=sig, cue_codes=cue_codes)
    drafts = [*(extra or []), *(_draft(s) for s in history.signals)]
    raised = ledger.raise_signs(
        session,
        call=call,
        drafts=drafts,
        acknowledge_within=sig.acknowledge_within_seconds,
        first_time=first_time,
    )
    incident = session.get(Incident, call.incident_id) if call.incident_id else None
    state.domestic_abuse = (
        state.domestic_abuse
        or state.cue_domestic_abuse
        or history.pair_da_history
        or bool(incident is not None and incident.is_domestic_abuse)
    )
    # Facts come from every sign ever raised on the call: a sign once shown never stops counting.
    sign_codes = (
        [sign.code for sign in raised]
        if first_time
        else list(session.scalars(_SIGN_CODES_OF_CALL, {"call_id": call.id}))
    )
    facts = RiskFacts(
        domestic_abuse=state.domestic_abuse,
        cues=frozenset(cue_codes),
        signals=frozenset(sign_codes),
        hours_since_previous_call=history.hours_since_previous_call,
        silent_or_cut_off=call.channel is Channel.SILENT_55 or CueCode.CANNOT_SPEAK in cue_codes,
        number_da_history=SignalCode.NUMBER_DA_HISTORY.value in sign_codes,
        warning_signs=len(sign_codes),
    )
    suggestion = suggest(facts, rules)
    state.updated_at = utcnow()
    session.add(state)
    change = _apply_suggestion(session, call=call, state=state, suggestion=suggestion)
    session.flush()
    return Refresh(raised, suggestion, change)


def _apply_suggestion(
    session: Session, *, call: Call, state: CallSignalState, suggestion: Suggestion
) -> GradeChange | None:
    """Heard's suggestion only rises; reasons and refused grades accumulate. A person's grade is
    never touched here."""
    reasons = {r["rule"]: r for r in state.suggestion_reasons}
    reasons.update({r.rule: r.as_dict() for r in suggestion.reasons})
    if list(reasons.values()) != state.suggestion_reasons:
        state.suggestion_reasons = list(reasons.values())
    refused = sorted({*state.refused_grades, *(g.value for g in suggestion.refused)})
    if refused != state.refused_grades:
        state.refused_grades = refused
    if rank(suggestion.grade) <= rank(state.suggested_grade):
        return None
    assert suggestion.grade is not None
    previous = state.suggested_grade
    state.suggested_grade = suggestion.grade
    change = GradeChange(
        force_id=call.force_id,
        call_id=call.id,
        kind=ChangeKind.SUGGESTED,
        grade=suggestion.grade,
        previous_grade=previous,
        suggested_grade=suggestion.grade,
        reasons=[r.as_dict() for r in suggestion.reasons],
        by_user_id=None,
        by_name=audit.SYSTEM_ACTOR_NAME,
        by_role="heard",
        at=utcnow(),
        status=ChangeStatus.RECORDED,
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        actor=audit.system_actor(call.force_id, reason_source="signals"),
        action="grade.suggest",
        record_type="call",
        record_id=call.id,
        details={
            "grade": suggestion.grade.value,
            "previous": previous.value if previous else None,
            "rules": [r.rule for r in suggestion.reasons],
        },
    )
    record_event(
        session,
        GradeSuggested(
            force_id=call.force_id,
            call_id=call.id,
            grade=suggestion.grade.value,
            previous=previous.value if previous else None,
        ),
    )
    return change


def _can_sign_off(actor: Actor) -> bool:
    try:
        role = Role(actor.role)
    except ValueError:
        return False
    return actor.user_id is not None and role_can(role, Permission.GRADE_SIGN_OFF)


def _record_call_back(
    session: Session,
    *,
    call: Call,
    state: CallSignalState,
    suggestion: Suggestion | None,
    actor: Actor,
) -> None:
    """A call-back on a DA call with warning signs needs a specialist's or supervisor's sign-off."""
    sig, _ = settings_for(session, force_id=call.force_id)
    if call.disposition not in sig.call_back_dispositions:
        return
    if suggestion is None or not suggestion.call_back_needs_sign_off:
        return
    exists = session.scalar(_CALL_BACK_OF_CALL, {"call_id": call.id})
    if exists is not None:
        return
    now = utcnow()
    signer = _can_sign_off(actor)
    change = GradeChange(
        force_id=call.force_id,
        call_id=call.id,
        kind=ChangeKind.CALL_BACK,
        grade=state.grade,
        previous_grade=None,
        suggested_grade=state.suggested_grade,
        reasons=[
            {
                "rule": "call_back_sign_off",
                "grade": None,
                "words": "A call-back instead of attendance on a domestic abuse call with "
                "warning signs needs a specialist's or supervisor's sign-off",
            }
        ],
        reason=f"closed with disposition {call.disposition}",
        by_user_id=actor.user_id,
        by_name=actor.username,
        by_role=actor.role,
        at=now,
        status=ChangeStatus.SIGNED_OFF if signer else ChangeStatus.PENDING,
        decided_by=actor.user_id if signer else None,
        decided_by_name=actor.username if signer else None,
        decided_at=now if signer else None,
        decision_note="decided by a specialist or supervisor closing the call" if signer else None,
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grade.call_back",
        record_type="call",
        record_id=call.id,
        details={"change_id": change.id, "needs_sign_off": not signer},
    )
    record_event(
        session,
        CallBackRecorded(
            force_id=call.force_id, call_id=call.id, change_id=change.id, needs_sign_off=not signer
        ),
    )


# --- the intake hook and the jobs ---------------------------------------------------------


def on_call_change(
    session: Session, call: Call, change: CallChange, actor: Actor
) -> dict[str, Any]:
    """Registered with `heard.calls.hooks`: recompute on new facts, and answer with the summary."""
    if change is CallChange.VIEWED:
        return call_signals(session, call=call).model_dump(mode="json")
    if change is CallChange.RECEIVED:
        # The call was made in this transaction, so nobody else can hold its state yet, and
        # everything on it now is what this refresh makes.
        made = refresh(session, call=call, first_time=True)
        return call_signals(session, call=call, made_now=made).model_dump(mode="json")
    state = lock_state(session, call=call)
    result = refresh(session, call=call, state=state)
    if change is CallChange.CLOSED:
        _record_call_back(
            session, call=call, state=state, suggestion=result.suggestion, actor=actor
        )
    return call_signals(session, call=call).model_dump(mode="json")


def call_hooks() -> CallHooks:
    """The hooks intake runs, with warning signs registered (a failure is retried by a job)."""
    hooks = CallHooks()
    hooks.register(HOOK_NAME, on_call_change, retry_job_kind=RECOMPUTE_JOB)
    return hooks


def recompute_job(session: Session, job: Job) -> None:
    """Retry of work that failed inside a request: catch up the transcript, then recompute."""
    call = session.get(Call, int(job.payload["call_id"]))
    if call is None:
        raise jobs.PermanentJobError("the call no longer exists")
    state = lock_state(session, call=call)
    stored = session.scalar(select(func.count()).where(TranscriptSegment.call_id == call.id))
    extra: list[ledger.SignDraft] = []
    if stored and stored != state.segments_seen:
        update = transcript.TranscriptUpdate(stored=[], duplicates=0)
        transcript.detect(
            session, call=call, state=state, states=transcript.CueStates(), update=update
        )
        extra = update.drafts
    result = refresh(session, call=call, state=state, extra=extra)
    if job.payload.get("change") == CallChange.CLOSED.value:
        actor = audit.system_actor(call.force_id, reason_source="job")
        _record_call_back(
            session, call=call, state=state, suggestion=result.suggestion, actor=actor
        )


# --- transcripts ----------------------------------------------------------------------------


@dataclass
class TranscriptResult:
    update: transcript.TranscriptUpdate
    state: CallSignalState
    refresh: Refresh | None = None


def add_transcript(
    session: Session, *, call: Call, segments: list[SegmentIn], states: transcript.CueStates
) -> TranscriptResult:
    """Store new segments, then feed them to the call's detector and raise what they show.

    The segments are stored whatever happens next: if detection or the recompute fails, it is
    rolled back to a savepoint and retried by a job, and the segments still commit.
    """
    state = lock_state(session, call=call)
    update = transcript.store(session, call=call, segments=segments)
    result = TranscriptResult(update=update, state=state)
    if not update.stored:
        return result
    try:
        with session.begin_nested():
            transcript.detect(session, call=call, state=state, states=states, update=update)
            if update.new_codes or update.da_changed:
                result.refresh = refresh(session, call=call, state=state, extra=update.drafts)
    except Exception:  # a detector or recompute bug must not lose a stored segment
        log.exception("transcript detection failed; queued for a retry", extra={"call_id": call.id})
        states.forget(call.id)
        update.live = None
        update.new_codes, update.drafts = [], []
        jobs.enqueue(
            session,
            force_id=call.force_id,
            kind=RECOMPUTE_JOB,
            payload={"call_id": call.id, "change": "transcript"},
        )
    return result


# --- grades -----------------------------------------------------------------------------------


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
    audit.record(
        session,
        actor=actor,
        action="grade.sign_off",
        record_type="grade_change",
        record_id=change.id,
        reason=note,
        details={
            "call_id": change.call_id,
            "kind": change.kind.value,
            "made_by": change.by_user_id,
        },
    )
    record_event(
        session,
        GradeChangeDecided(
            force_id=change.force_id,
            call_id=change.call_id,
            change_id=change.id,
            decision="signed_off",
            user_id=user_id,
        ),
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
    audit.record(
        session,
        actor=actor,
        action="grade.reject",
        record_type="grade_change",
        record_id=change.id,
        reason=reason,
        details=details,
    )
    record_event(
        session,
        GradeChangeDecided(
            force_id=change.force_id,
            call_id=change.call_id,
            change_id=change.id,
            decision="rejected",
            user_id=user_id,
        ),
    )
    return change


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


# --- what a screen shows ------------------------------------------------------------------


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
