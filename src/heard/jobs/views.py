"""Admin API for durable jobs: see what is queued, failed or stuck, and retry or cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.jobs import service
from heard.jobs.models import JOB_TRANSITIONS, Job, JobStatus
from heard.jobs.schemas import JobOut

router = APIRouter(prefix="/api/v1/admin/jobs", tags=["jobs"])
JobAdmin = Annotated[Principal, Depends(require(Permission.JOB_MANAGE))]


def _job_in_force(session: Session, job_id: int, principal: Principal) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.force_id != principal.force_id:
        raise errors.NotFound(f"no job {job_id} in your force")
    return job


@router.get("", response_model=list[JobOut])
def list_jobs(
    principal: JobAdmin,
    uow: UowDep,
    status: Annotated[JobStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[JobOut]:
    jobs = service.list_jobs(uow.session, force_id=principal.force_id, status=status, limit=limit)
    return [JobOut.model_validate(j) for j in jobs]


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: int, principal: JobAdmin, uow: UowDep) -> JobOut:
    return JobOut.model_validate(_job_in_force(uow.session, job_id, principal))


@router.post("/{job_id}/retry", response_model=JobOut)
def retry_job(job_id: int, principal: JobAdmin, uow: UowDep) -> JobOut:
    job = _job_in_force(uow.session, job_id, principal)
    if job.status not in (JobStatus.FAILED, JobStatus.QUEUED):
        raise errors.Conflict(
            f"job {job_id} is {job.status.value}; only failed or queued jobs retry"
        )
    service.requeue(uow.session, job=job)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="job.retry",
        record_type="job",
        record_id=job.id,
    )
    uow.commit()
    return JobOut.model_validate(job)


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: int, principal: JobAdmin, uow: UowDep) -> JobOut:
    job = _job_in_force(uow.session, job_id, principal)
    if not JOB_TRANSITIONS.allowed(job.status, JobStatus.CANCELLED):
        raise errors.Conflict(f"job {job_id} is {job.status.value} and cannot be cancelled")
    job.status = JobStatus.CANCELLED
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="job.cancel",
        record_type="job",
        record_id=job.id,
    )
    uow.commit()
    return JobOut.model_validate(job)
