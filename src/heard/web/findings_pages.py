"""The review queue pages: missed-opportunity findings to accept or dismiss, and their trends.

They call the review queue's own service, so the rules are the API's: a finding is decided once,
every list and decision is audited in the same transaction, another force's finding is not found.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.db.uow import UnitOfWork
from heard.review.findings import service
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.findings.schemas import AcceptIn, DismissIn
from heard.review.findings.service import TrendBy
from heard.review.rules import RULES
from heard.review.rules.case import Severity
from heard.web.templating import TEMPLATES
from heard.web.views import page_context

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[Principal, Depends(require(Permission.REVIEW_FINDINGS))]
QUEUE = "/review/findings"
PAGE_SIZE = 100


def _filters(rule: str | None, severity: str | None, status: str | None) -> dict[str, str]:
    """Only values the queue knows; anything else is treated as no filter, never an error."""
    found = {}
    if rule in {r.id for r in RULES}:
        found["rule"] = str(rule)
    if severity in set(Severity):
        found["severity"] = str(severity)
    if status in {*FindingStatus, "all"}:
        found["status"] = str(status)
    return found


def _queue(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    filters: dict[str, str],
    *,
    problem: dict[str, Any] | None = None,
) -> Response:
    status = filters.get("status", FindingStatus.OPEN.value)
    found = service.list_findings(
        uow.session,
        force_id=principal.force_id,
        actor=principal.actor(),
        status=None if status == "all" else FindingStatus(status),
        rule=filters.get("rule"),
        severity=Severity(filters["severity"]) if "severity" in filters else None,
        limit=PAGE_SIZE,
    )
    uow.commit()
    context = page_context(
        principal,
        findings=[{"f": f, **service.describe(f)} for f in found],
        rules=RULES,
        severities=list(Severity),
        statuses=[*FindingStatus, "all"],
        chosen={"status": status, **{k: v for k, v in filters.items() if k != "status"}},
        back=QUEUE + ("?" + urlencode(filters) if filters else ""),
        problem=problem,
        page_size=PAGE_SIZE,
    )
    code = 422 if problem else 200
    return TEMPLATES.TemplateResponse(request, "findings_queue.html", context, status_code=code)


@router.get(QUEUE, response_class=HTMLResponse)
def findings_queue(
    request: Request,
    principal: Reviewer,
    uow: UowDep,
    rule: Annotated[str | None, Query(max_length=48)] = None,
    severity: Annotated[str | None, Query(max_length=16)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    return _queue(request, principal, uow, _filters(rule, severity, status))


def _back(form: dict[str, Any]) -> str:
    back = str(form.get("back") or QUEUE)
    # Only the queue itself: the form cannot send anyone elsewhere.
    return back if back.startswith(QUEUE) and "//" not in back else QUEUE


def _finding(uow: UnitOfWork, principal: Principal, finding_id: int) -> MissedOpportunity:
    return service.get_finding(
        uow.session,
        force_id=principal.force_id,
        finding_id=finding_id,
        actor=principal.actor(),
        audited=False,
    )


def _refused(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    form: dict[str, Any],
    finding_id: int,
    exc: ValidationError,
) -> Response:
    """The queue again, as it was, with what is missing said beside the finding."""
    fields = ", ".join(str(e["loc"][-1]).replace("_", " ") for e in exc.errors())
    problem = {"id": finding_id, "message": f"Please fill in: {fields} (at least a few words)."}
    query = {k: v[0] for k, v in parse_qs(urlsplit(_back(form)).query).items()}
    filters = _filters(query.get("rule"), query.get("severity"), query.get("status"))
    return _queue(request, principal, uow, filters, problem=problem)


@router.post(QUEUE + "/{finding_id}/accept")
async def accept_finding(
    finding_id: int, request: Request, principal: Reviewer, uow: UowDep
) -> Response:
    form = dict(await request.form())
    finding = _finding(uow, principal, finding_id)
    try:
        body = AcceptIn(
            learning_note=str(form.get("learning_note") or ""),
            who_must_act=str(form.get("who_must_act") or ""),
        )
    except ValidationError as exc:
        return _refused(request, principal, uow, form, finding.id, exc)
    service.accept(
        uow.session,
        finding=finding,
        learning_note=body.learning_note,
        who_must_act=body.who_must_act,
        actor=principal.actor(),
    )
    uow.commit()
    return RedirectResponse(_back(form), status_code=303)


@router.post(QUEUE + "/{finding_id}/dismiss")
async def dismiss_finding(
    finding_id: int, request: Request, principal: Reviewer, uow: UowDep
) -> Response:
    form = dict(await request.form())
    finding = _finding(uow, principal, finding_id)
    try:
        body = DismissIn(reason=str(form.get("reason") or ""))
    except ValidationError as exc:
        return _refused(request, principal, uow, form, finding.id, exc)
    service.dismiss(uow.session, finding=finding, reason=body.reason, actor=principal.actor())
    uow.commit()
    return RedirectResponse(_back(form), status_code=303)


@router.get("/review/trends", response_class=HTMLResponse)
def findings_trends(request: Request, principal: Reviewer, uow: UowDep) -> Response:
    """Counts only: which rules fire, which teams must act, and how it moves month by month."""
    tables = [
        (by, service.trends(uow.session, force_id=principal.force_id, by=by)) for by in TrendBy
    ]
    titles = {r.id: r.title for r in RULES}
    context = page_context(principal, tables=tables, titles=titles)
    return TEMPLATES.TemplateResponse(request, "findings_trends.html", context)
