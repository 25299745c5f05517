"""The specialist queue's call hook: a domestic abuse call joins the queue in its own transaction.

Registered with intake's call hooks by the composition root, after the warning-sign hook, so the
call's domestic abuse decision (recorded relationship, or words on the call) is already made.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from heard.audit.service import Actor
from heard.calls.hooks import CallChange
from heard.db.uow import record_event
from heard.incidents.models import Call, Incident
from heard.review import service
from heard.review.events import CallChanged
from heard.signals.models import CallSignalState

HOOK_NAME = "review"


def is_domestic_abuse(session: Session, call: Call) -> bool:
    """Recorded as domestic abuse at intake, or decided so by the warning-sign hook."""
    incident = session.get(Incident, call.incident_id) if call.incident_id else None
    state = session.get(CallSignalState, call.id)
    return bool((incident and incident.is_domestic_abuse) or (state and state.domestic_abuse))


def on_call_change(
    session: Session, call: Call, change: CallChange, actor: Actor
) -> dict[str, Any] | None:
    # A call received in this transaction can have no review yet, and no one else can add one.
    first_time = change is CallChange.RECEIVED
    review = None if first_time else service.review_for(session, call_id=call.id)
    if change is not CallChange.VIEWED:
        if review is None and is_domestic_abuse(session, call):
            review = service.create_review(session, call=call, first_time=first_time)
        record_event(
            session,
            CallChanged(
                force_id=call.force_id,
                call_id=call.id,
                change=change.value,
                on_queue=review is not None,
            ),
        )
    if review is None:
        return None
    return {"state": review.state.value, "owner_user_id": review.owner_user_id}
