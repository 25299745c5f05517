"""The rules run on events, not only by sweep: a change that can make or mend a missed
opportunity queues a durable job, in its own transaction, to re-run the rules for the people in it.

Events and what they point at: a grade set, signed off or rejected, a call-back, a warning sign
acknowledged, a call closed (its incident) -> the call; a breach raised or updated, a duty alert
-> the order; a referral overdue -> the referral; a MARAC referral -> its victim. The job finds the
victims, suspects and children (or the order's parties) and re-runs every rule over the groups
they belong to, read whole, so it stores exactly what a sweep would, once (fingerprints).
Deadline rules still need the time to pass: the nightly sweep is the backstop for those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.audit.service import system_actor
from heard.auth.models import Force
from heard.clock import utcnow
from heard.db.uow import Database
from heard.events import DomainEvent
from heard.incidents.models import Call, Involvement
from heard.jobs import service as jobs
from heard.jobs.models import Job
from heard.orders.events import BreachRaised, BreachUpdated, OrderAlertRaised
from heard.orders.models import Order, OrderProtectedPerson
from heard.orders.records import Breach
from heard.people.models import PersonRecord
from heard.referrals.models import Referral
from heard.referrals.service import ReferralOverdue
from heard.review.events import CallChanged
from heard.review.findings.loader import PARTY_ROLES, person_key
from heard.review.findings.sweep import sweep_force
from heard.risk.marac_service import MaracReferralRaised
from heard.risk.models import MaracReferral
from heard.signals.events import (
    CallBackRecorded,
    GradeChangeDecided,
    GradeSet,
    WarningSignAcknowledged,
)

RERUN_JOB = "review.rules.rerun"
CALL_EVENTS = (GradeSet, GradeChangeDecided, CallBackRecorded, WarningSignAcknowledged)
Seeds = dict[str, set[int]]


def seeds_of(event: DomainEvent) -> tuple[str, int] | None:
    """Which record an event is about, if it is one the rules care about."""
    if isinstance(event, CALL_EVENTS):
        return "calls", event.call_id
    if isinstance(event, CallChanged):
        return ("calls", event.call_id) if event.change == "closed" else None
    if isinstance(event, BreachRaised | OrderAlertRaised):
        return "orders", event.order_id
    if isinstance(event, BreachUpdated):
        return "breaches", event.breach_id
    if isinstance(event, ReferralOverdue):
        return "referrals", event.referral_id
    if isinstance(event, MaracReferralRaised):
        return "maracs", event.marac_referral_id
    return None


def enqueue_reruns(session: Session, events: Sequence[DomainEvent]) -> None:
    """One job per force per transaction, however many of its events point at the same people."""
    by_force: dict[int, Seeds] = defaultdict(lambda: defaultdict(set))
    for event in events:
        found = seeds_of(event)
        if found is not None:
            by_force[event.force_id][found[0]].add(found[1])
    for force_id, seeds in by_force.items():
        payload = {kind: sorted(ids) for kind, ids in sorted(seeds.items())}
        jobs.enqueue(session, force_id=force_id, kind=RERUN_JOB, payload=payload)


def install(db: Database) -> None:
    db.before_commit.append(enqueue_reruns)


def _record_ids(session: Session, force_id: int, payload: dict[str, list[int]]) -> set[int]:
    """The person records the seeds point at: parties of the calls' incidents, orders' people."""

    def ids(key: str) -> list[int]:
        return [int(x) for x in payload.get(key, [])]

    incidents = select(Call.incident_id).where(Call.id.in_(ids("calls")))
    orders = {*ids("orders")} | set(
        session.scalars(select(Breach.order_id).where(Breach.id.in_(ids("breaches"))))
    )
    queries = [
        select(Involvement.person_record_id).where(
            Involvement.incident_id.in_(incidents), Involvement.role.in_(sorted(PARTY_ROLES))
        ),
        select(Order.subject_record_id).where(Order.id.in_(sorted(orders))),
        select(OrderProtectedPerson.person_record_id).where(
            OrderProtectedPerson.order_id.in_(sorted(orders))
        ),
        select(Referral.subject_record_id).where(Referral.id.in_(ids("referrals"))),
        select(Referral.victim_record_id).where(Referral.id.in_(ids("referrals"))),
        select(MaracReferral.victim_record_id).where(MaracReferral.id.in_(ids("maracs"))),
    ]
    found: set[int] = set()
    for query in queries:
        found |= {x for x in session.scalars(query) if x is not None}
    owned = select(PersonRecord.id).where(
        PersonRecord.force_id == force_id, PersonRecord.id.in_(sorted(found))
    )
    return set(session.scalars(owned))


def people_for(session: Session, force_id: int, payload: dict[str, list[int]]) -> set[str]:
    records = _record_ids(session, force_id, payload)
    rows = session.execute(
        select(PersonRecord.id, PersonRecord.subject_id).where(PersonRecord.id.in_(sorted(records)))
    )
    return {person_key(record_id, subject_id) for record_id, subject_id in rows}


def rerun_job(session: Session, job: Job) -> None:
    force = session.get(Force, job.force_id)
    if force is None:
        raise jobs.PermanentJobError(f"no force {job.force_id}")
    people = people_for(session, force.id, job.payload)
    if not people:
        return  # the records were not about anyone (a call with no parties yet)
    sweep_force(
        session,
        force=force,
        as_of=utcnow(),
        actor=system_actor(force.id, reason_source="review-rules-rerun"),
        people=people,
    )
