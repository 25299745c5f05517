"""Page: overdue referrals escalated to the supervisor, acknowledged with a note of what was done.

Uses the referrals service the API uses (`escalations`, `acknowledge`); the list is audited as a
read of the referrals it shows, and each acknowledgement is audited by the service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.db.uow import UnitOfWork
from heard.referrals import service as referrals
from heard.referrals.models import Referral
from heard.web.views import page_context

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)
Overseer = Annotated[Principal, Depends(require(Permission.REFERRAL_OVERSEE))]
NOTE_LIMIT = 2000


def _page(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    *,
    show_all: bool,
    error: str | None = None,
    failed_id: int | None = None,
) -> Response:
    found = referrals.escalations(uow.session, force_id=principal.force_id, open_only=not show_all)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="referral.escalation.list",
        record_type="referral",
        reason="escalations page",
        details={"referral_ids": [e.referral_id for e in found]},
    )
    rows = [{"e": e, "r": uow.session.get_one(Referral, e.referral_id)} for e in found]
    uow.commit()
    context = page_context(
        principal, rows=rows, show_all=show_all, error=error, failed_id=failed_id
    )
    return TEMPLATES.TemplateResponse(
        request, "referral_escalations.html", context, status_code=422 if error else 200
    )


@router.get("/referrals/escalations", response_class=HTMLResponse)
def escalations_page(
    request: Request,
    principal: Overseer,
    uow: UowDep,
    show: Annotated[str, Query(pattern="^(open|all)$")] = "open",
) -> Response:
    return _page(request, principal, uow, show_all=show == "all")


@router.post("/referrals/escalations/{escalation_id}/acknowledge")
async def acknowledge(
    escalation_id: int, request: Request, principal: Overseer, uow: UowDep
) -> Response:
    form = await request.form()
    note = str(form.get("note") or "").strip()[:NOTE_LIMIT]
    try:
        referrals.acknowledge(
            uow.session,
            force_id=principal.force_id,
            escalation_id=escalation_id,
            note=note,
            actor=principal.actor(),
        )
    except errors.NotFound:
        raise
    except errors.HeardError as exc:
        uow.session.rollback()
        return _page(
            request, principal, uow, show_all=False, error=exc.detail, failed_id=escalation_id
        )
    uow.commit()
    return RedirectResponse("/referrals/escalations", status_code=303)
