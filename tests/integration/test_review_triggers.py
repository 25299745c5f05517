"""The rules on events: a change queues a durable job in its own transaction; the job re-runs the
rules for the people in it and stores each finding once."""

from __future__ import annotations

from sqlalchemy import func, select

from heard.app import build_job_registry
from heard.audit.models import AuditEntry
from heard.db.uow import record_event
from heard.jobs.models import Job, JobStatus
from heard.jobs.worker import Worker
from heard.orders.events import BreachRaised
from heard.review.events import CallChanged
from heard.review.findings.models import MissedOpportunity
from heard.review.findings.triggers import RERUN_JOB
from heard.signals.events import GradeSet, WarningSignRaised
from tests.support import review_rules_setup as setup


def closed(world, call_id, force="WMP"):
    return CallChanged(
        force_id=world.forces[force], call_id=call_id, change="closed", on_queue=True
    )


def rerun_jobs(db):
    with db.transaction() as session:
        return list(session.scalars(select(Job).where(Job.kind == RERUN_JOB).order_by(Job.id)))


def findings(db, world, force="WMP"):
    with db.transaction() as session:
        query = select(MissedOpportunity).where(MissedOpportunity.force_id == world.forces[force])
        return list(session.scalars(query.order_by(MissedOpportunity.id)))


def run_jobs(db):
    worker = Worker(db, build_job_registry(), lease_seconds=60)
    while worker.run_once():
        pass


def test_closing_a_call_queues_a_rerun_in_the_same_transaction_and_the_job_stores_the_finding(
    db, world
):
    made = setup.repeat_calls(db, world)
    with db.unit_of_work() as uow:
        record_event(uow.session, closed(world, made["call_ids"][-1]))
        uow.commit()
    [job] = rerun_jobs(db)
    assert job.payload == {"calls": [made["call_ids"][-1]]} and job.status is JobStatus.QUEUED
    run_jobs(db)
    [finding] = findings(db, world)
    assert finding.rule == "repeat-da-no-positive-action"
    assert f"subject:{made['victim_subject_id']}" in finding.about
    with db.transaction() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "review.rules.rerun")
        ).all()
        assert entry.details["new"] == 1 and entry.details["cases"] == 1
        assert f"subject:{made['victim_subject_id']}" in entry.details["people"]


def test_running_the_rules_again_on_a_later_event_adds_no_second_finding(db, world):
    made = setup.repeat_calls(db, world)
    for call_id in made["call_ids"][-2:]:
        with db.unit_of_work() as uow:
            record_event(uow.session, closed(world, call_id))
            uow.commit()
        run_jobs(db)
    assert [j.status for j in rerun_jobs(db)] == [JobStatus.SUCCEEDED, JobStatus.SUCCEEDED]
    assert len(findings(db, world)) == 1


def test_only_the_groups_of_the_people_concerned_are_judged(db, world):
    first = setup.repeat_calls(db, world)
    setup.repeat_calls(db, world)  # another victim, with the same pattern, not touched
    with db.unit_of_work() as uow:
        record_event(uow.session, closed(world, first["call_ids"][0]))
        uow.commit()
    run_jobs(db)
    [finding] = findings(db, world)
    assert f"subject:{first['victim_subject_id']}" in finding.about


def test_a_rolled_back_change_queues_nothing(db, world):
    made = setup.repeat_calls(db, world)
    with db.unit_of_work() as uow:
        record_event(uow.session, closed(world, made["call_ids"][0]))
    assert rerun_jobs(db) == []


def test_events_of_one_transaction_make_one_job_and_irrelevant_events_none(db, world):
    made = setup.repeat_calls(db, world)
    force_id = world.forces["WMP"]
    first, second, _ = made["call_ids"]
    with db.unit_of_work() as uow:
        record_event(
            uow.session,
            WarningSignRaised(
                force_id=force_id, call_id=first, sign_id=1, code="c", severity="high", source="t"
            ),
        )
        uow.commit()
    assert rerun_jobs(db) == [], "a sign being raised changes no rule's answer"
    with db.unit_of_work() as uow:
        for call_id in (first, second, first):
            record_event(
                uow.session,
                GradeSet(
                    force_id=force_id,
                    call_id=call_id,
                    change_id=1,
                    grade="scheduled",
                    previous="priority",
                    needs_sign_off=True,
                ),
            )
        record_event(uow.session, closed(world, first))
        uow.commit()
    [job] = rerun_jobs(db)
    assert job.payload == {"calls": sorted([first, second])}


def test_a_breach_raised_reruns_the_rules_for_the_orders_people(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        victim = setup.person(session, force_id, "Grace Okafor")
        suspect = setup.person(session, force_id, "Liam Porter")
        order = setup.dapo(session, force_id, suspect, victim)
        breach = setup.unattended_breach(session, force_id, order, setup.T0)
        record_event(
            session,
            BreachRaised(
                force_id=force_id, breach_id=breach.id, order_id=order.id, kind="zone", grade="e"
            ),
        )
        order_id = order.id
    [job] = rerun_jobs(db)
    assert job.payload == {"orders": [order_id]}
    run_jobs(db)
    rules = {f.rule for f in findings(db, world)}
    assert "breach-no-response" in rules
    with db.transaction() as session:
        count = session.scalar(select(func.count()).select_from(MissedOpportunity))
    run_jobs(db)
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(MissedOpportunity)) == count
