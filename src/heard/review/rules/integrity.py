"""Checks that a case history hangs together: ids unique, every reference names a record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heard.review.rules.case import CaseHistory


def _refs(case: CaseHistory) -> Iterable[tuple[str, str, str | None, str]]:
    """(where, field, referenced id, collection it must be in)."""
    for m in case.markers:
        yield f"markers[{m.id}]", "person_id", m.person_id, "people"
    for c in case.calls:
        yield f"calls[{c.id}]", "incident_id", c.incident_id, "incidents"
        yield f"calls[{c.id}]", "caller_id", c.caller_id, "people"
        for pid in (*c.victim_ids, *c.suspect_ids):
            yield f"calls[{c.id}]", "victim_ids/suspect_ids", pid, "people"
    for i in case.incidents:
        for pid in (*i.victim_ids, *i.suspect_ids, *i.child_ids):
            yield f"incidents[{i.id}]", "victim_ids/suspect_ids/child_ids", pid, "people"
    for g in case.grade_changes:
        yield f"grade_changes[{g.id}]", "call_id", g.call_id, "calls"
    for s in case.warning_signs:
        yield f"warning_signs[{s.id}]", "call_id", s.call_id, "calls"
        yield f"warning_signs[{s.id}]", "person_id", s.person_id, "people"
    for a in case.acknowledgements:
        yield f"acknowledgements[{a.id}]", "warning_sign_id", a.warning_sign_id, "warning_signs"
    for r in case.risk_assessments:
        yield f"risk_assessments[{r.id}]", "victim_id", r.victim_id, "people"
        yield f"risk_assessments[{r.id}]", "incident_id", r.incident_id, "incidents"
    for mr in case.marac_referrals:
        yield f"marac_referrals[{mr.id}]", "victim_id", mr.victim_id, "people"
        yield f"marac_referrals[{mr.id}]", "incident_id", mr.incident_id, "incidents"
    for ref in case.referrals:
        yield f"referrals[{ref.id}]", "subject_id", ref.subject_id, "people"
        yield f"referrals[{ref.id}]", "victim_id", ref.victim_id, "people"
        yield f"referrals[{ref.id}]", "incident_id", ref.incident_id, "incidents"
    for o in case.orders:
        for pid in (o.subject_id, *o.protected_ids):
            yield f"orders[{o.id}]", "subject_id/protected_ids", pid, "people"
    for d in case.order_duties:
        yield f"order_duties[{d.id}]", "order_id", d.order_id, "orders"
    for b in case.breaches:
        yield f"breaches[{b.id}]", "order_id", b.order_id, "orders"
    for arrest in case.arrests:
        yield f"arrests[{arrest.id}]", "person_id", arrest.person_id, "people"
        yield f"arrests[{arrest.id}]", "incident_id", arrest.incident_id, "incidents"
    for att in case.attendances:
        yield f"attendances[{att.id}]", "incident_id", att.incident_id, "incidents"
        yield f"attendances[{att.id}]", "call_id", att.call_id, "calls"


COLLECTIONS = (
    "people",
    "markers",
    "calls",
    "incidents",
    "grade_changes",
    "warning_signs",
    "acknowledgements",
    "risk_assessments",
    "marac_referrals",
    "referrals",
    "orders",
    "order_duties",
    "breaches",
    "arrests",
    "attendances",
)


# Times that say when something is due, not when it happened.
DEADLINE_FIELDS = frozenset({"due_at", "expires_at"})


def event_times(case: CaseHistory) -> Iterator[tuple[str, str, datetime]]:
    """(record id, field, time) for every time in the history at which something happened."""
    for name in COLLECTIONS:
        for record in getattr(case, name):
            for field, value in record.__dict__.items():
                if isinstance(value, datetime) and field not in DEADLINE_FIELDS:
                    yield record.id, field, value


def problems(case: CaseHistory) -> list[str]:
    """Every way the document fails to hang together, in plain words; empty when it is sound."""
    found: list[str] = []
    ids: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for name in COLLECTIONS:
        ids[name] = set()
        for record in getattr(case, name):
            if record.id in owner:
                found.append(f"{name}: id {record.id!r} is also used in {owner[record.id]}")
            owner[record.id] = name
            ids[name].add(record.id)
    for where, field, ref, collection in _refs(case):
        if ref is not None and ref not in ids[collection]:
            found.append(f"{where}.{field}: {ref!r} is not one of the {collection}")
    acknowledged: set[str] = set()
    for ack in case.acknowledgements:
        if ack.warning_sign_id in acknowledged:
            found.append(f"acknowledgements[{ack.id}]: warning sign already acknowledged")
        acknowledged.add(ack.warning_sign_id)
    if case.as_of is not None:
        # A history judged at as_of cannot know what happened after it.
        found += [
            f"{record_id}.{field}: {at.isoformat()} is after as_of"
            for record_id, field, at in event_times(case)
            if at > case.as_of
        ]
    return found
