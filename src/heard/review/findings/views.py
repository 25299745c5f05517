"""Review queue API: findings listed, read, accepted or dismissed, and their trends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.db.uow import UnitOfWork
from heard.review.findings import chronology, export, service
from heard.review.findings.chronology import Chronology
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.findings.schemas import AcceptIn, DismissIn, EntryOut, FindingOut, TrendOut
from heard.review.findings.service import TrendBy
from heard.review.rules.case import Severity

router = APIRouter(prefix="/api/v1/review", tags=["missed opportunities"])
Reviewer = Annotated[Principal, Depends(require(Permission.REVIEW_FINDINGS))]
Exporter = Annotated[Principal, Depends(require(Permission.CHRONOLOGY_EXPORT))]
Reason = Annotated[str, Query(min_length=3, max_length=500, description="Why it is exported")]
Suspect = Annotated[int | None, Query(description="The suspect's subject id, for a pair")]


def _out(finding: MissedOpportunity) -> FindingOut:
    return FindingOut.model_validate(finding).model_copy(update=service.describe(finding))


@router.get("/findings", response_model=list[FindingOut])
def list_findings(
    principal: Reviewer,
    uow: UowDep,
    status: Annotated[FindingStatus | None, Query()] = None,
    rule: Annotated[str | None, Query(max_length=48)] = None,
    severity: Annotated[Severity | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[FindingOut]:
    found = service.list_findings(
        uow.session,
        force_id=principal.force_id,
        actor=principal.actor(),
        status=status,
        rule=rule,
        severity=severity,
        limit=limit,
        offset=offset,
    )
    uow.commit()
    return [_out(f) for f in found]


@router.get("/findings/trends", response_model=list[TrendOut])
def trends(
    principal: Reviewer, uow: UowDep, by: Annotated[TrendBy, Query()] = TrendBy.RULE
) -> list[TrendOut]:
    rows = service.trends(uow.session, force_id=principal.force_id, by=by)
    return [TrendOut.model_validate(row) for row in rows]


@router.get("/findings/{finding_id}", response_model=FindingOut)
def get_finding(finding_id: int, principal: Reviewer, uow: UowDep) -> FindingOut:
    finding = service.get_finding(
        uow.session, force_id=principal.force_id, finding_id=finding_id, actor=principal.actor()
    )
    uow.commit()
    return _out(finding)


@router.post("/findings/{finding_id}/accept", response_model=FindingOut)
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


@router.post("/findings/{finding_id}/dismiss", response_model=FindingOut)
def dismiss(finding_id: int, body: DismissIn, principal: Reviewer, uow: UowDep) -> FindingOut:
    actor = principal.actor()
    finding = service.get_finding(
        uow.session, force_id=principal.force_id, finding_id=finding_id, actor=actor, audited=False
    )
    service.dismiss(uow.session, finding=finding, reason=body.reason, actor=actor)
    uow.commit()
    return _out(finding)


def _chronology(
    uow: UnitOfWork,
    principal: Principal,
    subject_id: int,
    suspect: int | None,
    form: str,
    reason: str,
) -> Chronology:
    """Built and audited (with its reason) in one transaction, whatever the format."""
    chron = chronology.build(
        uow.session,
        force_id=principal.force_id,
        force_code=principal.force_code,
        victim_subject_id=subject_id,
        suspect_subject_id=suspect,
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="review.chronology.export",
        record_type="subject",
        record_id=subject_id,
        reason=reason,
        details={"format": form, "suspect_subject_id": suspect, "entries": len(chron.entries)},
    )
    uow.commit()
    return chron


@router.get("/chronology/{subject_id}.html", response_class=HTMLResponse)
def chronology_html(
    subject_id: int,
    reason: Reason,
    principal: Exporter,
    uow: UowDep,
    suspect_subject_id: Suspect = None,
) -> HTMLResponse:
    chron = _chronology(uow, principal, subject_id, suspect_subject_id, "html", reason)
    page = export.render_html(chron, force=principal.force_code, reason=reason, by=principal.name)
    return HTMLResponse(page)


@router.get("/chronology/{subject_id}.pdf")
def chronology_pdf(
    subject_id: int,
    reason: Reason,
    principal: Exporter,
    uow: UowDep,
    suspect_subject_id: Suspect = None,
) -> Response:
    chron = _chronology(uow, principal, subject_id, suspect_subject_id, "pdf", reason)
    page = export.render_html(chron, force=principal.force_code, reason=reason, by=principal.name)
    name = f"chronology-subject-{subject_id}.pdf"
    return Response(
        export.render_pdf(page),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# Declared after the .html and .pdf routes, which would otherwise match as a subject id.
@router.get("/chronology/{subject_id}", response_model=list[EntryOut])
def chronology_json(
    subject_id: int,
    reason: Reason,
    principal: Exporter,
    uow: UowDep,
    suspect_subject_id: Suspect = None,
) -> list[EntryOut]:
    chron = _chronology(uow, principal, subject_id, suspect_subject_id, "json", reason)
    return [EntryOut.from_entry(e) for e in chron.entries]
