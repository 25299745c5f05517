"""Call hooks run together in one savepoint; a failing one is found, dropped and retried alone."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from heard.audit import service as audit
from heard.audit.models import AuditEntry
from heard.auth import service as auth
from heard.calls.hooks import CallChange, CallHooks
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.events import DomainEvent
from heard.incidents.models import Call, CallStatus
from heard.jobs.models import Job


@dataclass(frozen=True)
class HookSaid(DomainEvent):
    hook: str = ""


@pytest.fixture
def published(db):
    seen: list[str] = []
    db.bus.subscribe(HookSaid, lambda event: seen.append(event.hook))
    return seen


def a_call(session):
    force = auth.create_force(session, code="HKS", name="Hooks")
    call = Call(
        force_id=force.id,
        source_ref="HK-1",
        channel="999",
        received_at=utcnow(),
        status=CallStatus.OPEN,
    )
    session.add(call)
    session.flush()
    return call


def actor_for(call):
    return audit.system_actor(call.force_id, reason_source="test")


def speaking_hook(name):
    def hook(session, call, change, actor):
        record_event(session, HookSaid(force_id=call.force_id, hook=name))
        audit.record(session, actor=actor, action=f"{name}.ran", record_id=call.id)
        return {"ran": name}

    return hook


def failing_hook(session, call, change, actor):
    record_event(session, HookSaid(force_id=call.force_id, hook="broken"))
    audit.record(session, actor=actor, action="broken.ran", record_id=call.id)
    raise RuntimeError("a bug in a reacting domain")


def audit_actions(db, force_id):
    with db.transaction() as session:
        rows = session.scalars(select(AuditEntry.action).where(AuditEntry.force_id == force_id))
        return [action for action in rows if action.endswith(".ran")]


def run_on_a_new_call(db, hooks, change=CallChange.RECEIVED):
    with db.transaction() as session:
        call = a_call(session)
        return call, hooks.run(session, call=call, change=change, actor=actor_for(call))


def test_every_hook_answers_under_its_name_when_none_fails(db, published):
    hooks = CallHooks()
    hooks.register("first", speaking_hook("first"))
    hooks.register("second", speaking_hook("second"))
    call, answers = run_on_a_new_call(db, hooks)
    assert answers == {"first": {"ran": "first"}, "second": {"ran": "second"}}
    assert published == ["first", "second"]
    assert audit_actions(db, call.force_id) == ["first.ran", "second.ran"]


def test_a_failing_hook_loses_its_own_writes_and_events_but_not_the_others(db, published):
    hooks = CallHooks()
    hooks.register("first", speaking_hook("first"))
    hooks.register("broken", failing_hook, retry_job_kind="hooks.retry")
    hooks.register("last", speaking_hook("last"))
    call, answers = run_on_a_new_call(db, hooks)
    assert answers == {"first": {"ran": "first"}, "last": {"ran": "last"}}
    assert published == ["first", "last"]
    assert audit_actions(db, call.force_id) == ["first.ran", "last.ran"]
    with db.transaction() as session:
        retries = session.scalar(select(func.count()).where(Job.kind == "hooks.retry"))
        stored = session.scalar(select(func.count()).where(Call.source_ref == "HK-1"))
    assert (retries, stored) == (1, 1)


def test_a_viewing_hook_that_fails_queues_no_retry(db, published):
    hooks = CallHooks()
    hooks.register("broken", failing_hook, retry_job_kind="hooks.retry")
    with db.transaction() as session:
        call = a_call(session)
        answers = hooks.run(session, call=call, change=CallChange.VIEWED, actor=actor_for(call))
        retries = session.scalar(select(func.count()).where(Job.kind == "hooks.retry"))
    assert (answers, retries, published) == ({}, 0, [])
