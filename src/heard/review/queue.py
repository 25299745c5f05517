"""The specialist queue: every domestic abuse call, ranked by risk and then by time left.

A call joins the queue (gets a review row) in the transaction that makes it a domestic abuse
call: intake's call hook (`heard.review.hooks`), or a specialist choosing to review it. A call
that the words on it made domestic abuse gets its row from the live feed right after; until then
it is listed from its warning-sign state, so it is never missing. Closed reviews stay listed for
the rest of the shift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from heard.auth.models import Force, User
from heard.clock import utcnow
from heard.incidents.models import Call, Grade, Incident
from heard.review.config import ReviewSettings, review_settings
from heard.review.models import DaReview, ReviewState
from heard.review.risk import Risk, RiskInputs, assess, risk_inputs
from heard.signals.models import CallSignalState

BAND_ORDER = {"high": 0, "medium": 1, "standard": 2}


@dataclass(frozen=True)
class Timer:
    """Time to pick up: from the call's arrival until a specialist first claims it."""

    due_at: datetime
    amber_at: datetime
    picked_up_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.picked_up_at is not None:
            return "met" if self.picked_up_at <= self.due_at else "late"
        if now >= self.due_at:
            return "red"
        return "amber" if now >= self.amber_at else "ok"


@dataclass
class QueueEntry:
    call: Call
    incident: Incident | None
    review: DaReview | None
    grade: Grade | None
    grade_source: str
    risk: Risk
    timer: Timer
    owner_name: str | None = None
    timer_state: str = "ok"
    waited: timedelta = field(default_factory=timedelta)

    @property
    def state(self) -> ReviewState:
        return self.review.state if self.review else ReviewState.NEW


def force_settings(session: Session, *, force_id: int) -> ReviewSettings:
    force = session.get_one(Force, force_id)
    return review_settings(force.settings or {}, force_id=force_id)


def timer_for(
    call: Call, review: DaReview | None, grade: Grade | None, rules: ReviewSettings
) -> Timer:
    allowed = rules.allowed(grade)
    return Timer(
        due_at=call.received_at + allowed,
        amber_at=call.received_at + allowed * rules.amber_fraction,
        picked_up_at=review.first_claimed_at if review else None,
    )


def _rows(
    session: Session, *, force_id: int, closed_since: datetime, call_ids: Sequence[int] | None
) -> list[tuple[Call, Incident | None, DaReview | None]]:
    query = (
        select(Call, Incident, DaReview)
        .join(DaReview, DaReview.call_id == Call.id)
        .outerjoin(Incident, Incident.id == Call.incident_id)
        .where(
            DaReview.force_id == force_id,
            or_(DaReview.state != ReviewState.CLOSED, DaReview.closed_at >= closed_since),
        )
    )
    # Made domestic abuse by the words on the call, in case the feed has not yet opened a review.
    decided = (
        select(Call, Incident)
        .join(CallSignalState, CallSignalState.call_id == Call.id)
        .outerjoin(Incident, Incident.id == Call.incident_id)
        .outerjoin(DaReview, DaReview.call_id == Call.id)
        .where(
            CallSignalState.force_id == force_id,
            CallSignalState.domestic_abuse.is_(True),
            DaReview.id.is_(None),
        )
    )
    if call_ids is not None:
        query = query.where(Call.id.in_(list(call_ids)))
        decided = decided.where(Call.id.in_(list(call_ids)))
    rows: list[tuple[Call, Incident | None, DaReview | None]] = [
        (c, i, r) for c, i, r in session.execute(query)
    ]
    return rows + [(c, i, None) for c, i in session.execute(decided)]


def _owners(session: Session, reviews: list[DaReview | None]) -> dict[int, str]:
    ids = {r.owner_user_id for r in reviews if r is not None and r.owner_user_id is not None}
    if not ids:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    return dict(session.execute(query).all())


def entries(
    session: Session, *, force_id: int, call_ids: Sequence[int] | None = None
) -> list[QueueEntry]:
    """Open reviews ranked (risk band, then the earliest deadline); recently closed ones last."""
    now = utcnow()
    rules = force_settings(session, force_id=force_id)
    rows = _rows(
        session,
        force_id=force_id,
        closed_since=now - timedelta(hours=rules.closed_hours),
        call_ids=call_ids,
    )
    inputs = risk_inputs(session, calls=[c for c, _, _ in rows])
    owners = _owners(session, [r for _, _, r in rows])
    found = []
    for call, incident, review in rows:
        facts = inputs.get(call.id) or RiskInputs()
        grade, source = facts.effective_grade(incident.grade if incident else None)
        timer = timer_for(call, review, grade, rules)
        found.append(
            QueueEntry(
                call=call,
                incident=incident,
                review=review,
                grade=grade,
                grade_source=source,
                risk=assess(facts, grade),
                timer=timer,
                owner_name=owners.get(review.owner_user_id or 0) if review else None,
                timer_state=timer.state(now),
                waited=now - call.received_at,
            )
        )
    return sorted(found, key=_rank)


def _rank(entry: QueueEntry) -> tuple[int, int, datetime, int]:
    closed = entry.state is ReviewState.CLOSED
    return (int(closed), BAND_ORDER[entry.risk.band], entry.timer.due_at, entry.call.id)


def entry_for(session: Session, *, call: Call) -> QueueEntry | None:
    found = entries(session, force_id=call.force_id, call_ids=[call.id])
    return found[0] if found else None
