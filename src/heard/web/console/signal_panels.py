"""Panels fed by warning signs: the signs to acknowledge, the grade, questions, the transcript."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.auth.permissions import Permission
from heard.review import questions, transcript_view
from heard.signals import summary as signals
from heard.signals.grading import GRADE_RANK
from heard.signals.models import AckAction
from heard.web.console.call_view import CallView

# One key per action, in the order the handler sees the buttons.
ACK_ACTIONS = (
    ("1", AckAction.ASKED_ABOUT_IT, "Asked about it"),
    ("2", AckAction.PASSED_TO_OFFICERS, "Passed to officers"),
    ("3", AckAction.RAISED_GRADE, "Raised the grade"),
    ("4", AckAction.NOT_RELEVANT, "Not relevant"),
)
GRADES = sorted(GRADE_RANK, key=lambda g: -GRADE_RANK[g])


def signs(session: Session, cv: CallView) -> dict[str, Any]:
    found = signals.call_signals(session, call=cv.call)
    return {
        "signals": found,
        "pending_signs": [s for s in found.signs if s.acknowledgement is None],
        "done_signs": [s for s in found.signs if s.acknowledgement is not None],
        "can_ack": cv.principal.can(Permission.SIGNAL_ACKNOWLEDGE),
        "ack_actions": ACK_ACTIONS,
    }


def grade(session: Session, cv: CallView) -> dict[str, Any]:
    view = signals.grade_view(session, call_id=cv.call.id)
    # Lowering is judged against the higher of the grade set and Heard's suggestion.
    floor = (
        max(GRADE_RANK.get(g, -1) for g in (view.grade, view.suggested_grade) if g)
        if (view.grade or view.suggested_grade)
        else -1
    )
    return {
        "grade_view": view,
        "grades": GRADES,
        "grade_rank": GRADE_RANK,
        "floor": floor,
        "can_grade": cv.principal.can(Permission.GRADE_SET),
    }


def open_questions(session: Session, cv: CallView) -> dict[str, Any]:
    return {"questions": questions.still_worth_asking(session, call_id=cv.call.id)}


def transcript(session: Session, cv: CallView) -> dict[str, Any]:
    audit.record(
        session,
        actor=cv.principal.actor(),
        action="transcript.view",
        record_type="call",
        record_id=cv.call.id,
    )
    return {"segments": transcript_view.segments(session, call_id=cv.call.id)}
