"""Warning-sign and grading use cases. Keyword-only functions; the caller's unit of work commits.

Every change to a call's signs or grade first locks the call's `CallSignalState` row (PostgreSQL
`SELECT ... FOR UPDATE`; SQLite serialises writers anyway), so an intake update, a transcript
segment and a grade decision for the same call never interleave, on one worker or several.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.audit.service import Actor
from heard.auth.models import Force
from heard.auth.permissions import Permission, Role, role_can
from heard.calls.hooks import CallChange, CallHooks
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call, Channel, Incident
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
from heard.signals.events import CallBackRecorded, GradeSuggested
from heard.signals.grading import RiskFacts, Suggestion, rank, suggest
from heard.signals.history import ComputedSignal, read_history
from heard.signals.models import (
    CallCue,
    CallSignalState,
    ChangeKind,
    ChangeStatus,
    GradeChange,
    SignSource,
    TranscriptSegment,
    WarningSign,
)
from heard.signals.schemas import (
    SegmentIn,
)
from heard.signals.summary import Refresh, call_signals

log = logging.getLogger(__name__)

HOOK_NAME = "signals"
RECOMPUTE_JOB = "signals.recompute_call"


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
