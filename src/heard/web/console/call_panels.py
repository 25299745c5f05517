"""The panels of a call's screen (handler) and listen-in view (specialist), each loadable alone.

A page renders every panel; a live event refreshes one panel by fetching it again. Panels that
show people's records audit the read, as every read of a person's record is audited.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.auth.models import User
from heard.auth.permissions import Permission, Role
from heard.calls import service as calls
from heard.calls.views import build_context
from heard.review import advice, history, officers, outcomes, queue
from heard.review.models import Audience, ReferralNeed
from heard.web.console import signal_panels
from heard.web.console.call_view import CallView


def header(session: Session, cv: CallView) -> dict[str, Any]:
    entry = queue.entry_for(session, call=cv.call)
    return {"entry": entry}


def context(session: Session, cv: CallView) -> dict[str, Any]:
    people = calls.people_on_call(session, call=cv.call)
    link = "attached" if cv.call.suggested_incident_id is None else "suggested"
    out = build_context(
        session,
        call=cv.call,
        people=people,
        incident_link=link,
        principal=cv.principal,
        started=time.perf_counter(),
    )
    records = {r.id: r for r, _, _ in people}
    reasons = {
        p.record_id: history.link_reasons(session, record=records[p.record_id])
        for p in out.people
        if p.subject_id is not None
    }
    names = {s.subject_id: s.name for s in out.subjects}
    items = history.timeline(
        session, names=names, location_id=cv.call.location_id, at=cv.call.received_at
    )
    return {"context": out, "reasons": reasons, "timeline": items}


def advice_panel(session: Session, cv: CallView) -> dict[str, Any]:
    messages = advice.for_call(session, call_id=cv.call.id)
    mine = cv.principal.id
    return {
        "to_handler": [
            (m, a, any(x.user_id == mine for x in a))
            for m, a in messages
            if m.audience is Audience.HANDLER
        ],
        "to_officers": [(m, a) for m, a in messages if m.audience is Audience.OFFICERS],
        "can_send": cv.principal.can(Permission.ADVICE_SEND),
    }


def _specialists(session: Session, *, force_id: int, but: int | None) -> list[User]:
    query = select(User).where(
        User.force_id == force_id, User.role == Role.DA_SPECIALIST, User.active.is_(True)
    )
    return [u for u in session.scalars(query.order_by(User.display_name)) if u.id != but]


def review(session: Session, cv: CallView) -> dict[str, Any]:
    entry = queue.entry_for(session, call=cv.call)
    owner = entry.review.owner_user_id if entry and entry.review else None
    return {
        "entry": entry,
        "outcome": outcomes.for_call(session, call_id=cv.call.id),
        "mine": owner is not None and owner == cv.principal.id,
        "can_review": cv.principal.can(Permission.REVIEW_RECORD),
        "specialists": _specialists(session, force_id=cv.call.force_id, but=owner),
        "referral_needs": list(ReferralNeed),
    }


def officers_panel(session: Session, cv: CallView) -> dict[str, Any]:
    assigned = (
        officers.officers_for(session, incident_id=cv.call.incident_id)
        if cv.call.incident_id
        else []
    )
    taken = {a.officer_user_id for a, _ in assigned}
    return {
        "assigned": assigned,
        "available": [
            o
            for o in officers.officers_in_force(session, force_id=cv.call.force_id)
            if o.id not in taken
        ],
        "can_assign": cv.principal.can(Permission.OFFICER_ASSIGN)
        and cv.call.incident_id is not None,
    }


Loader = Callable[[Session, CallView], dict[str, Any]]
PANELS: dict[str, tuple[str, Loader]] = {
    "header": ("console/_call_header.html", header),
    "context": ("console/_context.html", context),
    "advice": ("console/_advice.html", advice_panel),
    "review": ("console/_review.html", review),
    "officers": ("console/_officers.html", officers_panel),
    "signs": ("console/_signs.html", signal_panels.signs),
    "grade": ("console/_grade.html", signal_panels.grade),
    "questions": ("console/_questions.html", signal_panels.open_questions),
    "transcript": ("console/_transcript.html", signal_panels.transcript),
}


def everything(session: Session, cv: CallView) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for _, loader in PANELS.values():
        found.update(loader(session, cv))
    return found
