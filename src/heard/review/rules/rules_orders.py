"""Rules over protective orders: breach alerts left without response, duties left overdue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from heard.review.rules.case import Breach
from heard.review.rules.config import BreachSettings, DutySettings
from heard.review.rules.findings import Draft
from heard.review.rules.index import CaseIndex


def _on_time(moment: datetime | None, deadline: datetime) -> bool:
    return moment is not None and moment <= deadline


def _missed(ix: CaseIndex, breach: Breach, s: BreachSettings) -> list[tuple[datetime, str]]:
    minutes = s.attend_minutes[breach.grade]
    attend_by = breach.alert_at + timedelta(minutes=minutes)
    outcome_by = breach.alert_at + timedelta(hours=s.outcome_hours)
    missed = []
    # An arrest or other outcome inside the attendance standard means someone was there.
    attended = _on_time(breach.attended_at, attend_by) or _on_time(breach.outcome_at, attend_by)
    if not attended and ix.as_of > attend_by:
        missed.append((attend_by, f"no attendance within {minutes:g} minutes"))
    has_outcome = breach.outcome is not None and _on_time(breach.outcome_at, outcome_by)
    if not has_outcome and ix.as_of > outcome_by:
        missed.append((outcome_by, f"no outcome within {s.outcome_hours:g} hours"))
    return missed


def breach_no_response(ix: CaseIndex, s: BreachSettings) -> Iterator[Draft]:
    for breach in sorted(ix.case.breaches, key=lambda b: (b.alert_at, b.id)):
        missed = _missed(ix, breach, s)
        if not missed:
            continue
        order = ix.orders[breach.order_id]
        yield Draft(
            at=min(at for at, _ in missed),
            evidence=(breach.id, order.id),
            about=(order.subject_id, *order.protected_ids),
            summary=f"breach alert on a {order.type}: " + "; ".join(w for _, w in missed),
        )


def order_duty_overdue(ix: CaseIndex, s: DutySettings) -> Iterator[Draft]:
    grace = timedelta(hours=s.action_hours)
    for duty in sorted(ix.case.order_duties, key=lambda d: (d.due_at, d.id)):
        if duty.kind not in s.kinds or _on_time(duty.done_at, duty.due_at):
            continue
        deadline = duty.due_at + grace
        if ix.as_of <= deadline:
            continue
        if _on_time(duty.action_at, deadline) or _on_time(duty.done_at, deadline):
            continue
        order = ix.orders[duty.order_id]
        yield Draft(
            at=deadline,
            evidence=(duty.id, order.id),
            about=(order.subject_id, *order.protected_ids),
            summary=f"{duty.kind.replace('_', ' ')} duty on a {order.type} overdue with no "
            f"action within {s.action_hours:g} hours",
        )
