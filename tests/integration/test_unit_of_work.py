import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from heard.auth import service as auth
from heard.auth.models import Force
from heard.db.engine import PREPARED_STATEMENTS
from heard.events import DomainEvent
from heard.jobs import service as jobs
from heard.jobs.models import Job


def test_a_use_case_that_does_not_commit_leaves_nothing_behind(db):
    with db.unit_of_work() as uow:
        auth.create_force(uow.session, code="TMP", name="Never committed")
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(Force).where(Force.code == "TMP")) is None


def test_an_error_inside_a_use_case_rolls_everything_back(db):
    with pytest.raises(RuntimeError), db.transaction() as session:
        auth.create_force(session, code="ERR", name="Rolled back")
        raise RuntimeError("boom")
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(Force).where(Force.code == "ERR")) is None


def test_events_reach_subscribers_only_after_commit(db):
    seen: list[DomainEvent] = []
    db.bus.subscribe(DomainEvent, seen.append)
    with db.unit_of_work() as uow:
        force = auth.create_force(uow.session, code="EVT", name="Events")
        jobs.enqueue(uow.session, force_id=force.id, kind="k", payload={})
        assert seen == []
        uow.commit()
    assert [e.name for e in seen] == ["JobEnqueued"]


def test_events_of_a_rolled_back_use_case_are_never_delivered(db):
    seen: list[DomainEvent] = []
    db.bus.subscribe(DomainEvent, seen.append)
    with db.unit_of_work() as uow:
        force = auth.create_force(uow.session, code="EVX", name="Events")
        jobs.enqueue(uow.session, force_id=force.id, kind="k", payload={})
    assert seen == []
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(Job)).all() == []


def test_timestamps_come_back_utc_aware(db):
    with db.transaction() as session:
        auth.create_force(session, code="UTC", name="Times")
    with db.unit_of_work() as uow:
        force = uow.session.scalar(select(Force).where(Force.code == "UTC"))
        assert force is not None and force.created_at.utcoffset() is not None


def test_a_writer_working_from_an_old_read_gets_a_conflict_not_a_lost_update(db):
    with db.transaction() as session:
        force_id = auth.create_force(session, code="CON", name="Concurrency").id
    stale = db.unit_of_work()
    b = stale.session.get_one(Force, force_id)
    stale.session.commit()  # the read is over; the person is now thinking
    with db.transaction() as session:
        session.get_one(Force, force_id).settings = {"marac_threshold": 3}
    b.settings = {"marac_threshold": 4}
    with pytest.raises(StaleDataError):
        stale.commit()
    stale.__exit__(None, None, None)
    with db.unit_of_work() as uow:
        final = uow.session.get_one(Force, force_id)
        assert final.settings == {"marac_threshold": 3}
        assert final.version == 2


def test_two_overlapping_postgresql_transactions_cannot_both_write_the_same_version(pg_db):
    with pg_db.transaction() as session:
        force_id = auth.create_force(session, code="PGC", name="Overlap").id
    first, second = pg_db.unit_of_work(), pg_db.unit_of_work()
    a = first.session.get_one(Force, force_id)
    b = second.session.get_one(Force, force_id)  # both transactions open, both saw version 1
    a.settings = {"marac_threshold": 3}
    first.commit()
    first.__exit__(None, None, None)
    b.settings = {"marac_threshold": 4}
    with pytest.raises(StaleDataError):
        second.commit()
    second.__exit__(None, None, None)
    with pg_db.unit_of_work() as uow:
        assert uow.session.get_one(Force, force_id).settings == {"marac_threshold": 3}


def test_many_threads_editing_one_record_never_lose_an_update(db):
    with db.transaction() as session:
        force_id = auth.create_force(session, code="THR", name="Threads").id
    applied = []

    def bump(n: int) -> None:
        for _ in range(20):
            try:
                with db.unit_of_work() as uow:
                    force = uow.session.get_one(Force, force_id)
                    force.settings = {**force.settings, f"w{n}": force.settings.get(f"w{n}", 0) + 1}
                    uow.commit()
                    applied.append(n)
                    return
            except StaleDataError:
                continue

    threads = [threading.Thread(target=bump, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.unit_of_work() as uow:
        force = uow.session.get_one(Force, force_id)
        assert sorted(applied) == [0, 1, 2, 3]
        assert force.settings == {f"w{n}": 1 for n in range(4)}
        assert force.version == 5


def test_a_postgresql_connection_keeps_as_many_prepared_statements_as_heard_asks(pg_db):
    with pg_db.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        assert driver.prepared_max == PREPARED_STATEMENTS
