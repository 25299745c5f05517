"""The supervisor's board: what is waiting, what is late, and who is carrying what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from heard.auth.models import User
from heard.auth.permissions import Role
from heard.clock import utcnow
from heard.review.models import ReviewOutcome, ReviewState
from heard.review.queue import QueueEntry

SHIFT = timedelta(hours=12)


@dataclass(frozen=True)
class Workload:
    user_id: int
    name: str
    holding: int
    advised: int
    reviewed_this_shift: int


def breaches(entries: list[QueueEntry]) -> list[QueueEntry]:
    """Calls not picked up in time: still waiting past their deadline, or picked up late."""
    return [e for e in entries if e.timer_state in ("red", "late")]


def workload(session: Session, *, force_id: int, entries: list[QueueEntry]) -> list[Workload]:
    specialists = session.execute(
        select(User.id, User.display_name).where(
            User.force_id == force_id, User.role == Role.DA_SPECIALIST, User.active.is_(True)
        )
    ).all()
    reviewed = dict(
        session.execute(
            select(ReviewOutcome.recorded_by, func.count())
            .where(
                ReviewOutcome.force_id == force_id,
                ReviewOutcome.recorded_at >= utcnow() - SHIFT,
            )
            .group_by(ReviewOutcome.recorded_by)
        ).all()
    )
    found = []
    for user_id, name in specialists:
        held = [e for e in entries if e.review and e.review.owner_user_id == user_id]
        found.append(
            Workload(
                user_id=user_id,
                name=name,
                holding=len(held),
                advised=sum(e.state is ReviewState.ADVISED for e in held),
                reviewed_this_shift=int(reviewed.get(user_id, 0)),
            )
        )
    return sorted(found, key=lambda w: (-w.holding, w.name))
