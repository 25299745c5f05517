"""HTTP edge for transcripts, warning signs, the acknowledgement ledger and grading."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import AwareDatetime, Field

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.calls import service as calls
from heard.clock import utcnow
from heard.signals import grade_decisions, ledger, service, summary, transcript
from heard.signals.catalogue import cue_words
from heard.signals.models import CallCue
from heard.signals.schemas import (
    MAX_SEGMENTS_PER_POST,
    AcknowledgeIn,
    CallSignalsOut,
    CueOut,
    GradeChangeOut,
    GradeIn,
    GradeOut,
    OpenSignOut,
    RejectIn,
    SegmentIn,
    SegmentOut,
    SignOffIn,
    StatisticsOut,
    TranscriptOut,
    TranscriptPostOut,
    WarningSignOut,
)

router = APIRouter(prefix="/api/v1", tags=["warning signs"])
Reader = Annotated[Principal, Depends(require(Permission.CALL_READ))]
Writer = Annotated[Principal, Depends(require(Permission.TRANSCRIPT_WRITE))]
Acknowledger = Annotated[Principal, Depends(require(Permission.SIGNAL_ACKNOWLEDGE))]
Grader = Annotated[Principal, Depends(require(Permission.GRADE_SET))]
Signer = Annotated[Principal, Depends(require(Permission.GRADE_SIGN_OFF))]
Segments = Annotated[
    SegmentIn | Annotated[list[SegmentIn], Field(min_length=1, max_length=MAX_SEGMENTS_PER_POST)],
    Body(),
]
MAX_STATISTICS_DAYS = 366


def _states(request: Request) -> transcript.CueStates:
    states: transcript.CueStates = request.app.state.cue_states
    return states


def _cue_out(cue: CallCue) -> CueOut:
    return CueOut.model_validate(
        {
            "code": cue.code,
            "words": cue_words(cue.code),
            "confidence": cue.confidence,
            "evidence": cue.evidence,
            "first_seen_at": cue.first_seen_at,
            "first_segment_id": cue.first_segment_id,
        }
    )


@router.post(
    "/calls/{call_id}/transcript",
    response_model=TranscriptPostOut,
    status_code=201,
    responses={200: {"description": "every segment was already stored (same segment ids)"}},
)
def post_transcript(
    call_id: int,
    body: Segments,
    principal: Writer,
    uow: UowDep,
    request: Request,
    response: Response,
) -> TranscriptPostOut:
    """One segment or a list; stored before the answer, idempotent per segment id."""
    segments = body if isinstance(body, list) else [body]
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    states = _states(request)
    result = service.add_transcript(uow.session, call=call, segments=segments, states=states)
    update = result.update
    raised = result.refresh.raised if result.refresh else []
    out = TranscriptPostOut(
        call_id=call.id,
        stored=len(update.stored),
        duplicates=update.duplicates,
        segments_total=result.state.segments_seen,
        domestic_abuse=result.state.domestic_abuse,
        relationship=result.state.relationship,
        cues=[_cue_out(c) for c in transcript.cues(uow.session, call_id=call.id)],
        new_cues=update.new_codes,
        new_warning_signs=[WarningSignOut.model_validate(s) for s in raised],
        suggested_grade=result.state.suggested_grade,
        timings_ms={"detect_cpu": round(update.detect_ms, 3)},
    )
    try:
        uow.commit()
    except Exception:
        states.forget(call.id)  # the state may hold segments that were not stored
        raise
    if update.live is not None:
        states.put(call.id, update.live)
    if not update.stored:
        response.status_code = 200
    return out


@router.get("/calls/{call_id}/transcript", response_model=TranscriptOut)
def get_transcript(call_id: int, principal: Reader, uow: UowDep) -> TranscriptOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    state = summary.state_of(uow.session, call_id=call.id)
    out = TranscriptOut(
        call_id=call.id,
        segments=[
            SegmentOut.model_validate(s) for s in transcript.segments(uow.session, call_id=call.id)
        ],
        cues=[_cue_out(c) for c in transcript.cues(uow.session, call_id=call.id)],
        domestic_abuse=bool(state and state.domestic_abuse),
        relationship=state.relationship if state else None,
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="transcript.view",
        record_type="call",
        record_id=call.id,
    )
    uow.commit()
    return out


@router.get("/calls/{call_id}/warning-signs", response_model=CallSignalsOut)
def call_warning_signs(call_id: int, principal: Reader, uow: UowDep) -> CallSignalsOut:
    """Every warning sign on the call, unacknowledged first, with the grade and its reasons."""
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    out = summary.call_signals(uow.session, call=call)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="warning_signs.view",
        record_type="call",
        record_id=call.id,
    )
    uow.commit()
    return out


@router.post("/warning-signs/{sign_id}/acknowledge", response_model=WarningSignOut)
def acknowledge(
    sign_id: int, body: AcknowledgeIn, principal: Acknowledger, uow: UowDep
) -> WarningSignOut:
    sign = ledger.find_sign(uow.session, force_id=principal.force_id, sign_id=sign_id)
    ack = ledger.acknowledge(
        uow.session, sign=sign, actor=principal.actor(), action=body.action, reason=body.reason
    )
    out = summary.sign_out(sign, ack)
    uow.commit()
    return out


@router.get("/warning-signs", response_model=list[OpenSignOut])
def open_warning_signs(
    principal: Reader,
    uow: UowDep,
    escalated: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OpenSignOut]:
    """Unacknowledged warning signs in your force, longest waiting first (or escalated only)."""
    now = utcnow()
    rows = ledger.open_signs(
        uow.session, force_id=principal.force_id, escalated_only=escalated, limit=limit
    )
    return [
        OpenSignOut(
            sign=summary.sign_out(sign, None, esc),
            waiting_seconds=round((now - sign.raised_at).total_seconds(), 1),
        )
        for sign, esc in rows
    ]


@router.get("/warning-signs/statistics", response_model=StatisticsOut)
def warning_sign_statistics(
    principal: Reader,
    uow: UowDep,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> StatisticsOut:
    """Time to acknowledge, share acknowledged and escalations, by sign type (default: 30 days)."""
    until = until or utcnow()
    since = since or until - timedelta(days=30)
    if since >= until:
        raise errors.Invalid("since must be before until")
    if until - since > timedelta(days=MAX_STATISTICS_DAYS):
        raise errors.Invalid(f"ask for at most {MAX_STATISTICS_DAYS} days at a time")
    found = ledger.statistics_for(
        uow.session, force_id=principal.force_id, since=since, until=until
    )
    return StatisticsOut.model_validate(found)


@router.get("/calls/{call_id}/grade", response_model=GradeOut)
def get_grade(call_id: int, principal: Reader, uow: UowDep) -> GradeOut:
    """The suggested grade with its reasons, the grade a person set, and the grade history."""
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    return summary.grade_view(uow.session, call_id=call.id, with_history=True)


@router.post("/calls/{call_id}/grade", response_model=GradeOut)
def set_grade(call_id: int, body: GradeIn, principal: Grader, uow: UowDep) -> GradeOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    grade_decisions.set_grade(
        uow.session, call=call, grade=body.grade, reason=body.reason, actor=principal.actor()
    )
    out = summary.grade_view(uow.session, call_id=call.id, with_history=True)
    uow.commit()
    return out


@router.get("/grade-changes", response_model=list[GradeChangeOut])
def pending_grade_changes(principal: Signer, uow: UowDep) -> list[GradeChangeOut]:
    """Lowered grades and call-backs waiting for a second person's sign-off, oldest first."""
    return [
        GradeChangeOut.model_validate(c)
        for c in summary.pending_changes(uow.session, force_id=principal.force_id)
    ]


@router.post("/grade-changes/{change_id}/sign-off", response_model=GradeChangeOut)
def sign_off(change_id: int, body: SignOffIn, principal: Signer, uow: UowDep) -> GradeChangeOut:
    change = grade_decisions.find_change(
        uow.session, force_id=principal.force_id, change_id=change_id
    )
    grade_decisions.sign_off(uow.session, change=change, actor=principal.actor(), note=body.note)
    out = GradeChangeOut.model_validate(change)
    uow.commit()
    return out


@router.post("/grade-changes/{change_id}/reject", response_model=GradeChangeOut)
def reject(change_id: int, body: RejectIn, principal: Signer, uow: UowDep) -> GradeChangeOut:
    change = grade_decisions.find_change(
        uow.session, force_id=principal.force_id, change_id=change_id
    )
    grade_decisions.reject(uow.session, change=change, actor=principal.actor(), reason=body.reason)
    out = GradeChangeOut.model_validate(change)
    uow.commit()
    return out
