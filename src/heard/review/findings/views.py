"""Review queue API: findings listed, read, accepted or dismissed, and their trends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.review.findings import service
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.findings.schemas import AcceptIn, DismissIn, FindingOut, TrendOut
from heard.review.findings.service import TrendBy

router = APIRouter(prefix="/api/v1/review/findings", tags=["missed opportunities"])
Reviewer = Annotated[Principal, Depends(require(Permission.REVIEW_FINDINGS))]


def _out(finding: MissedOpportunity) -> FindingOut:
    return FindingOut.model_validate(finding).model_copy(update=service.describe(finding))


@router.get("", response_model=list[FindingOut])
def list_findings(
    principal: Reviewer,
    uow: UowDep,
    status: Annotated[FindingStatus | None, Query()] = None,
    rule: Annotated[str | None, Query(max_length=48)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[FindingOut]:
    found = service.list_findings(
        uow.session,
        force_id=principal.force_id,
        actor=principal.actor(),
        status=status,
        rule=rule,
        limit=limit,
        offset=offset,
    )
    uow.commit()
    return [_out(f) for f in found]


@router.get("/trends", response_model=list[TrendOut])
def trends(
    principal: Reviewer, uow: UowDep, by: Annotated[TrendBy, Query()] = TrendBy.RULE
) -> list[TrendOut]:
    rows = service.trends(uow.session, force_id=principal.force_id, by=by)
    return [TrendOut.model_validate(row) for row in rows]


@router.get("/{finding_id}", response_model=FindingOut)
def get_finding(finding_id: int, principal: Reviewer, uow: UowDep) -> FindingOut:
    finding = service.get_finding(
        uow.session, force_id=principal.force_id, finding_id=finding_id, actor=principal.actor()
    )
    uow.commit()
    return _out(finding)


@router.post("/{finding_id}/accept", response_model=FindingOut)
def accept(finding_id: int, body: AcceptIn, principal: Reviewer, uow: UowDep) -> FindingOut:
    actor = principal.actor()
    finding = service.get_finding(
        uow.session, force_id=principal.force_id, finding_id=finding_id, actor=actor, audited=False
    )
    service.accept(
        uow.session,
        finding=finding,
        learning_note=body.learning_note,
        who_must_act=body.who_must_act,
        actor=actor,
    )
    uow.commit()
    return _out(finding)


@router.post("/{finding_id}/dismiss", response_model=FindingOut)
def dismiss(finding_id: int, body: DismissIn, principal: Reviewer, uow: UowDep) -> FindingOut:
    actor = principal.actor()
    finding = service.get_finding(
        uow.session, force_id=principal.force_id, finding_id=finding_id, actor=actor, audited=False
    )
    service.dismiss(uow.session, finding=finding, reason=body.reason, actor=actor)
    uow.commit()
    return _out(finding)
