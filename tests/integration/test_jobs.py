import threading
from datetime import timedelta

from sqlalchemy import select, update

from heard.auth import service as auth
from heard.clock import utcnow
from heard.jobs import service as jobs
from heard.jobs.models import Job, JobStatus
from heard.jobs.worker import JobRegistry, Worker


def make_force(db, code="JOB"):
    with db.transaction() as session:
        return auth.create_force(session, code=code, name="Jobs").id


def enqueue(db, force_id, kind="notify", payload=None, **kwargs):
    with db.transaction() as session:
        return jobs.enqueue(
            session, force_id=force_id, kind=kind, payload=payload or {}, **kwargs
        ).id


def load(db, job_id) -> Job:
    with db.unit_of_work() as uow:
        job = uow.session.get_one(Job, job_id)
        uow.session.expunge(job)  # keep the loaded values after the read-only rollback
        return job


def test_a_job_enqueued_with_its_change_is_run_and_marked_succeeded(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id, payload={"to": "idva"})
    ran = []
    registry = JobRegistry()
    registry.register("notify", lambda session, job: ran.append(job.payload["to"]))
    assert Worker(db, registry, lease_seconds=30).run_once() is True
    assert ran == ["idva"]
    job = load(db, job_id)
    assert job.status is JobStatus.SUCCEEDED and job.attempts == 1


def test_no_job_is_claimed_by_two_workers_racing_for_it(db):
    force_id = make_force(db)
    job_ids = {enqueue(db, force_id) for _ in range(10)}
    claimed: list[tuple[str, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def race(worker_id: str) -> None:
        barrier.wait()
        while True:
            with db.unit_of_work() as uow:
                job = jobs.claim_next(uow.session, worker_id=worker_id, lease_seconds=60)
                uow.commit()
            if job is None:
                return
            with lock:
                claimed.append((worker_id, job.id))

    threads = [threading.Thread(target=race, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [job_id for _, job_id in claimed]
    assert sorted(ids) == sorted(job_ids), "every job claimed exactly once"


def test_a_retryable_failure_is_retried_later_with_back_off(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id)
    registry = JobRegistry()

    def flaky(session, job):
        raise jobs.RetryableJobError("receiver unavailable")

    registry.register("notify", flaky)
    before = utcnow()
    Worker(db, registry, lease_seconds=30).run_once()
    job = load(db, job_id)
    assert job.status is JobStatus.QUEUED
    assert job.attempts == 1
    assert "receiver unavailable" in (job.last_error or "")
    assert job.run_after >= before + timedelta(seconds=1.5)
    assert Worker(db, registry, lease_seconds=30).run_once() is False, "not due yet"


def test_back_off_grows_and_is_capped():
    delays = [jobs.backoff(n).total_seconds() for n in range(1, 30)]
    assert delays == sorted(delays)
    assert delays[0] == 2 and delays[-1] == jobs.BACKOFF_CAP_SECONDS


def test_a_permanent_failure_stops_retrying_and_waits_for_a_person(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id)
    registry = JobRegistry()

    def refuses(session, job):
        raise jobs.PermanentJobError("school address unknown")

    registry.register("notify", refuses)
    Worker(db, registry, lease_seconds=30).run_once()
    job = load(db, job_id)
    assert job.status is JobStatus.FAILED and job.finished_at is not None


def test_a_job_that_keeps_failing_ends_failed_after_its_last_attempt(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id, max_attempts=2)
    registry = JobRegistry()
    registry.register("notify", lambda s, j: (_ for _ in ()).throw(ValueError("bad")))
    worker = Worker(db, registry, lease_seconds=30)
    worker.run_once()
    with db.transaction() as session:
        session.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow()))
    worker.run_once()
    assert load(db, job_id).status is JobStatus.FAILED


def test_the_handlers_changes_and_the_success_mark_commit_together(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id)
    registry = JobRegistry()

    def writes_then_fails(session, job):
        auth.create_force(session, code="HALF", name="Half-done work")
        raise jobs.RetryableJobError("crash after writing")

    registry.register("notify", writes_then_fails)
    Worker(db, registry, lease_seconds=30).run_once()
    with db.unit_of_work() as uow:
        from heard.auth.models import Force

        assert uow.session.scalar(select(Force).where(Force.code == "HALF")) is None
    assert load(db, job_id).status is JobStatus.QUEUED


def test_a_job_held_by_a_worker_that_died_is_taken_over_after_its_lease(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id)
    with db.unit_of_work() as uow:  # a worker claims the job, then its process is killed
        assert jobs.claim_next(uow.session, worker_id="dead", lease_seconds=60) is not None
        uow.commit()
    registry = JobRegistry()
    registry.register("notify", lambda s, j: None)
    survivor = Worker(db, registry, lease_seconds=30, worker_id="alive")
    assert survivor.run_once() is False, "the lease has not run out yet"
    with db.transaction() as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert survivor.run_once() is True
    job = load(db, job_id)
    assert job.status is JobStatus.SUCCEEDED and job.attempts == 2


def test_a_worker_whose_lease_was_taken_over_cannot_mark_the_job_done(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id)
    with db.transaction() as session:
        jobs.claim_next(session, worker_id="slow", lease_seconds=60)
        session.execute(
            update(Job).where(Job.id == job_id).values(locked_until=utcnow() - timedelta(seconds=1))
        )
    with db.transaction() as session:
        assert jobs.claim_next(session, worker_id="fast", lease_seconds=60) is not None
    with db.transaction() as session:
        assert jobs.mark_succeeded(session, job_id=job_id, worker_id="slow") is False
    assert load(db, job_id).locked_by == "fast"


def test_a_job_with_no_handler_fails_permanently_with_a_clear_reason(db):
    force_id = make_force(db)
    job_id = enqueue(db, force_id, kind="unknown.kind")
    registry = JobRegistry()
    registry.register("other", lambda s, j: None)
    worker = Worker(db, registry, lease_seconds=30)
    assert worker.run_once() is False, "workers only claim kinds they can run"
    # A job claimed by a worker of an older release whose handler no longer exists.
    with db.transaction() as session:
        assert jobs.claim_next(session, worker_id=worker.worker_id, lease_seconds=60)
    worker._execute(job_id, "unknown.kind")
    job = load(db, job_id)
    assert job.status is JobStatus.FAILED
    assert "no handler" in (job.last_error or "")
