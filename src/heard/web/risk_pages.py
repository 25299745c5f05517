"""Pages: the risk assessment form (htmx for suggestions) and the referral list.

They call the same services as the API, so the rules (raise-only judgement, immutability, audit)
are the API's; a refused step shows its message on the page instead of a problem document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.clock import utcnow
from heard.db.uow import UnitOfWork
from heard.referrals import service as referrals
from heard.referrals.models import OUTSTANDING
from heard.risk import drafts, review, service
from heard.risk.assessments import Assessment, AssessmentStatus
from heard.risk.drafts import RiskConfig
from heard.risk.instruments import Answer, Decision, Judgement, Level
from heard.risk.instruments import Response as Reply
from heard.risk.views import risk_config
from heard.web.views import page_context

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)
Assessor = Annotated[Principal, Depends(require(Permission.RISK_ASSESS))]
Overseer = Annotated[Principal, Depends(require(Permission.REFERRAL_OVERSEE))]
Config = Annotated[RiskConfig, Depends(risk_config)]
CHOICES = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known"), ("declined", "Declined")]


def _page(
    request: Request,
    uow: UnitOfWork,
    principal: Principal,
    assessment: Assessment,
    config: RiskConfig,
    *,
    error: str | None = None,
) -> Response:
    context = page_context(
        principal,
        a=assessment,
        review=review.review_of(uow.session, assessment_id=assessment.id),
        instrument=drafts.instrument_of(assessment, config),
        editable=assessment.status is AssessmentStatus.DRAFT,
        choices=CHOICES,
        error=error,
    )
    return TEMPLATES.TemplateResponse(
        request, "risk_assessment.html", context, status_code=422 if error else 200
    )


def _back(assessment_id: int) -> Response:
    return RedirectResponse(f"/risk/assessments/{assessment_id}", status_code=303)


def _find(uow: UnitOfWork, principal: Principal, assessment_id: int) -> Assessment:
    return drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)


@router.get("/risk/assessments/{assessment_id}", response_class=HTMLResponse)
def assessment_page(
    assessment_id: int, request: Request, principal: Assessor, uow: UowDep, config: Config
) -> Response:
    found = _find(uow, principal, assessment_id)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="assessment.view",
        record_type="assessment",
        record_id=found.id,
        reason="assessment page",
    )
    uow.commit()
    return _page(request, uow, principal, found, config)


def _answers(form: dict[str, Any]) -> dict[str, Reply]:
    found = {}
    for key, value in form.items():
        if key.startswith("answer_") and value in {a.value for a in Answer}:
            item_id = key.removeprefix("answer_")
            text = str(form.get(f"text_{item_id}") or "").strip()[:2000] or None
            found[item_id] = Reply(Answer(value), text)
    return found


@router.post("/risk/assessments/{assessment_id}/answers")
async def save_answers(
    assessment_id: int, request: Request, principal: Assessor, uow: UowDep, config: Config
) -> Response:
    form = dict(await request.form())
    found = _find(uow, principal, assessment_id)
    answers = _answers(form)
    if answers:
        try:
            drafts.record_answers(
                uow.session,
                assessment=found,
                answers=answers,
                actor=principal.actor(),
                config=config,
            )
        except errors.HeardError as exc:
            return _page(request, uow, principal, found, config, error=exc.detail)
        uow.commit()
    return _back(found.id)


@router.post("/risk/assessments/{assessment_id}/suggestions/{item_id}")
async def decide_suggestion(
    assessment_id: int,
    item_id: str,
    request: Request,
    principal: Assessor,
    uow: UowDep,
    config: Config,
) -> Response:
    form = await request.form()
    found = _find(uow, principal, assessment_id)
    decision = str(form.get("decision") or "")
    if decision in (Decision.CONFIRMED.value, Decision.REJECTED.value):
        drafts.decide_suggestion(
            uow.session,
            assessment=found,
            item_id=item_id,
            decision=Decision(decision),
            actor=principal.actor(),
        )
        uow.commit()
    if request.headers.get("hx-request") != "true":
        return _back(found.id)
    suggestion = next((s for s in found.suggestions if s["item_id"] == item_id), None)
    if suggestion is None:
        raise errors.NotFound(f"no suggestion for item {item_id}")
    context = page_context(principal, a=found, s=suggestion, editable=True)
    return TEMPLATES.TemplateResponse(request, "risk_suggestion.html", context)


@router.post("/risk/assessments/{assessment_id}/submit")
async def submit(
    assessment_id: int, request: Request, principal: Assessor, uow: UowDep, config: Config
) -> Response:
    form = await request.form()
    found = _find(uow, principal, assessment_id)
    level = str(form.get("judgement_level") or "")
    rationale = str(form.get("judgement_rationale") or "").strip()[:4000] or None
    judgement = Judgement(Level(level), rationale) if level in set(Level) else None
    try:
        service.submit(
            uow.session,
            assessment=found,
            judgement=judgement,
            force_code=principal.force_code,
            actor=principal.actor(),
            config=config,
        )
    except errors.HeardError as exc:
        uow.session.rollback()
        found = _find(uow, principal, assessment_id)
        return _page(request, uow, principal, found, config, error=exc.detail)
    uow.commit()
    return _back(found.id)


@router.get("/referrals", response_class=HTMLResponse)
def referral_list(request: Request, principal: Overseer, uow: UowDep) -> Response:
    found = referrals.list_referrals(
        uow.session, force_id=principal.force_id, status=None, overdue=False, limit=200
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="referral.list",
        record_type="referral",
        reason="referral list page",
        details={"ids": [r.id for r in found]},
    )
    uow.commit()
    now = utcnow()
    rows = [
        {
            "id": r.id,
            "kind": r.kind,
            "recipient": r.recipient,
            "consent": r.consent,
            "due_at": r.due_at,
            "status": r.status,
            "overdue": r.status in OUTSTANDING and r.due_at <= now,
        }
        for r in found
    ]
    return TEMPLATES.TemplateResponse(
        request, "referral_list.html", page_context(principal, referrals=rows)
    )
