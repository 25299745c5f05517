"""Pages: MARAC referrals (list and detail) with the meeting date and outcome recorded by form.

The detail shows which criteria applied and why, the assessments behind the referral, the pack
(HTML and PDF, served by the referrals API and audited there) and its delivery to the MARAC
coordinator. Recording uses `marac_service.track`, the API's own rule (one transition table, the
meeting date before an outcome). Every view and decision is audited.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.db.uow import UnitOfWork
from heard.incidents.models import Incident
from heard.people.models import PersonRecord
from heard.referrals.models import MaracPack, Referral
from heard.risk import marac_service
from heard.risk.assessments import MARAC_TRANSITIONS, Assessment
from heard.risk.models import MaracOutcome, MaracReferral
from heard.web.views import page_context

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)
Overseer = Annotated[Principal, Depends(require(Permission.REFERRAL_OVERSEE))]
Manager = Annotated[Principal, Depends(require(Permission.REFERRAL_MANAGE))]

CRITERIA = {
    "visible_high_risk": "Visible high risk: the count of “yes” answers alone reached high",
    "professional_judgement": "Professional judgement: the assessor or a reviewing specialist "
    "judged the risk high",
    "potential_escalation": "Potential escalation: enough DA incidents in the force's window "
    "(3 in 12 months unless the force sets otherwise)",
    "repeat": "Repeat: a DA incident within 12 months of the victim's last MARAC referral",
}
OUTCOMES = {
    MaracOutcome.PENDING: "awaiting the meeting",
    MaracOutcome.ACTION_PLAN_AGREED: "action plan agreed",
    MaracOutcome.INFORMATION_SHARED: "information shared",
    MaracOutcome.NOT_HEARD: "not heard (to be listed again)",
}


def _name(uow: UnitOfWork, record_id: int) -> str:
    record = uow.session.get_one(PersonRecord, record_id)
    given_family = " ".join(n for n in (record.given_name, record.family_name) if n)
    return given_family or record.name_raw


def _reference(uow: UnitOfWork, incident_id: int | None) -> str:
    return "" if incident_id is None else uow.session.get_one(Incident, incident_id).reference


@router.get("/marac/referrals", response_class=HTMLResponse)
def marac_list(
    request: Request,
    principal: Overseer,
    uow: UowDep,
    outcome: Annotated[MaracOutcome | None, Query()] = None,
) -> Response:
    found = marac_service.list_referrals(
        uow.session, force_id=principal.force_id, outcome=outcome, limit=200
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="marac_referral.list",
        record_type="marac_referral",
        reason="MARAC referrals page",
        details={"ids": [r.id for r in found]},
    )
    rows = [
        {
            "r": r,
            "victim": _name(uow, r.victim_record_id),
            "incident": _reference(uow, r.incident_id),
            "outcome": OUTCOMES[r.outcome],
        }
        for r in found
    ]
    uow.commit()
    context = page_context(principal, rows=rows, outcomes=OUTCOMES, chosen=outcome)
    return TEMPLATES.TemplateResponse(request, "marac_list.html", context)


def _detail(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    referral: MaracReferral,
    *,
    error: str | None = None,
) -> Response:
    session = uow.session
    assessments = session.scalars(
        select(Assessment).where(Assessment.marac_referral_id == referral.id)
    )
    context = page_context(
        principal,
        r=referral,
        victim=_name(uow, referral.victim_record_id),
        incident=_reference(uow, referral.incident_id),
        criteria=[(c, CRITERIA.get(c, c)) for c in referral.criteria],
        outcome=OUTCOMES[referral.outcome],
        next_outcomes=[
            (o.value, label)
            for o, label in OUTCOMES.items()
            if MARAC_TRANSITIONS.allowed(referral.outcome, o)
        ],
        assessments=list(assessments),
        pack=session.scalar(select(MaracPack).where(MaracPack.marac_referral_id == referral.id)),
        sent=list(
            session.scalars(select(Referral).where(Referral.marac_referral_id == referral.id))
        ),
        can_record=principal.can(Permission.REFERRAL_MANAGE),
        error=error,
    )
    return TEMPLATES.TemplateResponse(
        request, "marac_detail.html", context, status_code=422 if error else 200
    )


@router.get("/marac/referrals/{referral_id}", response_class=HTMLResponse)
def marac_detail(referral_id: int, request: Request, principal: Overseer, uow: UowDep) -> Response:
    found = marac_service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="marac_referral.view",
        record_type="marac_referral",
        record_id=found.id,
        reason="MARAC referral page",
    )
    uow.commit()
    return _detail(request, principal, uow, found)


def _tracking(form: dict[str, Any]) -> tuple[date | None, MaracOutcome | None]:
    raw_date = str(form.get("meeting_date") or "").strip()
    raw_outcome = str(form.get("outcome") or "").strip()
    try:
        meeting = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise errors.Invalid(f"the meeting date {raw_date!r} is not a date (YYYY-MM-DD)") from None
    if raw_outcome and raw_outcome not in set(MaracOutcome):
        raise errors.Invalid(f"{raw_outcome!r} is not a MARAC outcome")
    return meeting, MaracOutcome(raw_outcome) if raw_outcome else None


@router.post("/marac/referrals/{referral_id}")
async def marac_record(
    referral_id: int, request: Request, principal: Manager, uow: UowDep
) -> Response:
    form = dict(await request.form())
    found = marac_service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    try:
        meeting, outcome = _tracking(form)
        if meeting is not None and meeting == found.meeting_date:
            meeting = None  # the form shows the date already recorded; only a change is news
        marac_service.track(
            uow.session,
            referral=found,
            meeting_date=meeting,
            outcome=outcome,
            actor=principal.actor(),
        )
    except errors.HeardError as exc:
        uow.session.rollback()
        found = marac_service.find(
            uow.session, force_id=principal.force_id, referral_id=referral_id
        )
        return _detail(request, principal, uow, found, error=exc.detail)
    uow.commit()
    return RedirectResponse(f"/marac/referrals/{found.id}", status_code=303)
