"""The specialist's queue, the supervisor's board and the attending officer's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.clock import utcnow
from heard.incidents.models import Call
from heard.review import board, queue
from heard.signals import ledger
from heard.signals import summary as signals
from heard.web.console import officer_data
from heard.web.console.common import render, stream
from heard.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
QueueReader = Annotated[Principal, Depends(require(Permission.QUEUE_READ))]
BoardReader = Annotated[Principal, Depends(require(Permission.BOARD_READ))]
Officer = Annotated[Principal, Depends(require(Permission.INCIDENT_ATTEND))]


def _queue(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "entries": queue.entries(session, force_id=principal.force_id),
        "can_review": principal.can(Permission.REVIEW_RECORD),
        "rules": queue.force_settings(session, force_id=principal.force_id),
    }


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, principal: QueueReader, uow: UowDep) -> Response:
    live = stream(request, uow.session, url="/live/queue", view="queue")
    return render(
        request, "console/queue.html", principal, live=live, **_queue(uow.session, principal)
    )


@router.get("/queue/panels/table", response_class=HTMLResponse)
def queue_table(request: Request, principal: QueueReader, uow: UowDep) -> Response:
    data = _queue(uow.session, principal)
    return TEMPLATES.TemplateResponse(request, "console/_queue_table.html", data)


def _board(session: Session, principal: Principal) -> dict[str, Any]:
    entries = queue.entries(session, force_id=principal.force_id)
    open_entries = [e for e in entries if e.state.value != "closed"]
    return {
        "open": open_entries,
        "breaches": board.breaches(entries),
        "workload": board.workload(session, force_id=principal.force_id, entries=entries),
    }


def _refs(session: Session, call_ids: set[int]) -> dict[int, str]:
    if not call_ids:
        return {}
    rows = session.execute(select(Call.id, Call.source_ref).where(Call.id.in_(call_ids)))
    return dict(rows.all())


def _signs(session: Session, principal: Principal) -> dict[str, Any]:
    rows = ledger.open_signs(session, force_id=principal.force_id, escalated_only=False, limit=50)
    refs = _refs(session, {sign.call_id for sign, _ in rows})
    return {"open_signs": rows, "now": utcnow(), "sign_refs": refs}


def _grades(session: Session, principal: Principal) -> dict[str, Any]:
    pending = signals.pending_changes(session, force_id=principal.force_id)
    return {"pending": pending, "grade_refs": _refs(session, {c.call_id for c in pending})}


BOARD_PANELS: dict[str, tuple[str, Callable[[Session, Principal], dict[str, Any]]]] = {
    "open": ("console/_board_open.html", _board),
    "breaches": ("console/_board_breaches.html", _board),
    "workload": ("console/_board_workload.html", _board),
    "signs": ("console/_board_signs.html", _signs),
    "grades": ("console/_board_grades.html", _grades),
}


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request, principal: BoardReader, uow: UowDep) -> Response:
    live = stream(request, uow.session, url="/live/board", view="board")
    data: dict[str, Any] = {}
    for loader in {loader for _, loader in BOARD_PANELS.values()}:
        data.update(loader(uow.session, principal))
    return render(request, "console/board.html", principal, live=live, **data)


@router.get("/board/panel", response_class=HTMLResponse)
def board_panel(
    request: Request, principal: BoardReader, uow: UowDep, name: Annotated[str, Query()] = "open"
) -> Response:
    found = BOARD_PANELS.get(name)
    if found is None:
        raise errors.NotFound(f"no panel {name!r} on the board")
    template, loader = found
    return TEMPLATES.TemplateResponse(request, template, loader(uow.session, principal))


@router.get("/officer", response_class=HTMLResponse)
def officer_home(request: Request, principal: Officer, uow: UowDep) -> Response:
    live = stream(request, uow.session, url="/live/officer", view="officer")
    data = officer_data.incidents(uow.session, principal=principal)
    return render(request, "console/officer_list.html", principal, live=live, **data)


@router.get("/officer/panels/incidents", response_class=HTMLResponse)
def officer_incidents_panel(request: Request, principal: Officer, uow: UowDep) -> Response:
    data = officer_data.incidents(uow.session, principal=principal)
    return TEMPLATES.TemplateResponse(request, "console/_officer_incidents.html", data)


@router.get("/officer/incidents/{incident_id}", response_class=HTMLResponse)
def officer_incident(
    incident_id: int, request: Request, principal: Officer, uow: UowDep
) -> Response:
    live = stream(request, uow.session, url="/live/officer", view="officer")
    data = officer_data.incident(uow.session, principal=principal, incident_id=incident_id)
    uow.commit()  # the read of people's records is audited
    return render(request, "console/officer.html", principal, live=live, **data)


@router.get("/officer/incidents/{incident_id}/panels/advice", response_class=HTMLResponse)
def officer_advice_panel(
    incident_id: int, request: Request, principal: Officer, uow: UowDep
) -> Response:
    data = officer_data.advice_for(uow.session, principal=principal, incident_id=incident_id)
    return TEMPLATES.TemplateResponse(request, "console/_officer_advice.html", data)
