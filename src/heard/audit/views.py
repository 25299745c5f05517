"""Auditor endpoints: read the force's log (itself audited) and verify its chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from heard.audit import service
from heard.audit.schemas import AuditEntryOut, ChainReportOut
from heard.audit.verify import verify_chain
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal

router = APIRouter(prefix="/api/v1/admin/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]


@router.get("", response_model=list[AuditEntryOut])
def recent_entries(
    principal: Auditor, uow: UowDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[AuditEntryOut]:
    entries = service.recent_entries(uow.session, force_id=principal.force_id, limit=limit)
    result = [AuditEntryOut.model_validate(e) for e in entries]
    service.record(
        uow.session, actor=principal.actor(), action="audit.read", details={"entries": len(result)}
    )
    uow.commit()
    return result


@router.post("/verify", response_model=ChainReportOut)
def verify(principal: Auditor, uow: UowDep) -> ChainReportOut:
    report = verify_chain(uow.session, force_id=principal.force_id)
    service.record(
        uow.session,
        actor=principal.actor(),
        action="audit.verify",
        details={"ok": report.ok, "checked": report.entries_checked, "problem": report.problem},
    )
    uow.commit()
    return ChainReportOut(
        force_code=principal.force_code,
        entries_checked=report.entries_checked,
        ok=report.ok,
        broken_at_seq=report.broken_at_seq,
        problem=report.problem,
    )
