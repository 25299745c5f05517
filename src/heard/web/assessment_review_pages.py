"""Pages: a DA specialist's review of submitted risk assessments (queue, then agree or raise).

They call the review service the API uses (`heard.risk.review`), so its rules hold here too: not
your own assessment, raise only above the submitted level and with a rationale, a coaching note
every time, and a raise to high refers to MARAC. Every view and decision is audited.
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
from heard.db.uow import UnitOfWork
from heard.incidents.models import Incident
from heard.risk import drafts, review, service
from heard.risk.assessments import Assessment, AssessmentStatus, ReviewOutcome
from heard.risk.drafts import RiskConfig
from heard.risk.instruments import Level
from heard.risk.models import RiskGrade
from heard.risk.views import risk_config
from heard.web.views import page_context

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)
Reviewer = Annotated[Principal, Depends(require(Permission.RISK_REVIEW))]
Config = Annotated[RiskConfig, Depends(risk_config)]
TEXT_LIMIT = 4000


def _find(uow: UnitOfWork, principal: Principal, assessment_id: int) -> Assessment:
    return drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)


@router.get("/risk/reviews", response_class=HTMLResponse)
def review_queue(request: Request, principal: Reviewer, uow: UowDep, config: Config) -> Response:
    found = review.awaiting_review(uow.session, force_id=principal.force_id)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="assessment.list",
        record_type="assessment",
        reason="review queue page",
        details={"ids": [a.id for a in found]},
    )
    rows = [
        {
            "a": a,
            "title": drafts.instrument_of(a, config).title,
            "incident": uow.session.get_one(Incident, a.incident_id).reference,
            "own": a.assessor_id is not None and a.assessor_id == principal.actor().user_id,
        }
        for a in found
    ]
    uow.commit()
    return TEMPLATES.TemplateResponse(
        request, "risk_review_list.html", page_context(principal, rows=rows)
    )


def _raise_choices(assessment: Assessment) -> list[str]:
    current = assessment.final_level
    floor = -1 if current is None else Level(current).rank
    return [level.value for level in Level if level.rank > floor]


def _page(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    assessment: Assessment,
    config: RiskConfig,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    found = review.review_of(uow.session, assessment_id=assessment.id)
    own = assessment.assessor_id is not None and assessment.assessor_id == principal.actor().user_id
    context = page_context(
        principal,
        a=assessment,
        instrument=drafts.instrument_of(assessment, config),
        incident=uow.session.get_one(Incident, assessment.incident_id),
        review=found,
        effective_level=service.effective_level(uow.session, assessment),
        reviewable=assessment.status is AssessmentStatus.SUBMITTED and not own,
        own=own,
        raise_choices=_raise_choices(assessment),
        error=error,
        form=form or {},
    )
    return TEMPLATES.TemplateResponse(
        request, "risk_review.html", context, status_code=422 if error else 200
    )


@router.get("/risk/assessments/{assessment_id}/review", response_class=HTMLResponse)
def review_page(
    assessment_id: int, request: Request, principal: Reviewer, uow: UowDep, config: Config
) -> Response:
    found = _find(uow, principal, assessment_id)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="assessment.view",
        record_type="assessment",
        record_id=found.id,
        reason="review page",
    )
    uow.commit()
    return _page(request, principal, uow, found, config)


def _review_form(form: dict[str, Any]) -> tuple[ReviewOutcome, RiskGrade | None, str | None, str]:
    outcome = str(form.get("outcome") or "")
    if outcome not in set(ReviewOutcome):
        raise errors.Invalid("choose 'agree' or 'raise the level'")
    level = str(form.get("level") or "")
    rationale = str(form.get("rationale") or "").strip()[:TEXT_LIMIT] or None
    note = str(form.get("coaching_note") or "").strip()[:TEXT_LIMIT]
    chosen = (
        RiskGrade(level) if outcome == ReviewOutcome.RAISE and level in set(RiskGrade) else None
    )
    return ReviewOutcome(outcome), chosen, rationale, note


@router.post("/risk/assessments/{assessment_id}/review")
async def record_review(
    assessment_id: int, request: Request, principal: Reviewer, uow: UowDep, config: Config
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    found = _find(uow, principal, assessment_id)
    try:
        outcome, level, rationale, note = _review_form(form)
        review.review(
            uow.session,
            assessment=found,
            outcome=outcome,
            level=level,
            rationale=rationale,
            coaching_note=note,
            actor=principal.actor(),
        )
    except errors.HeardError as exc:
        uow.session.rollback()
        found = _find(uow, principal, assessment_id)
        return _page(request, principal, uow, found, config, error=exc.detail, form=form)
    uow.commit()
    return RedirectResponse(f"/risk/assessments/{found.id}/review", status_code=303)
