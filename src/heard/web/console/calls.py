"""The handler's pages: open calls, and one call's screen; the specialist's listen-in view."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.calls import service as calls
from heard.clock import utcnow
from heard.web.console import call_panels, call_view
from heard.web.console.common import render, stream
from heard.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
CallScreen = Annotated[Principal, Depends(require(Permission.CALL_SCREEN))]
QueueReader = Annotated[Principal, Depends(require(Permission.QUEUE_READ))]
View = Annotated[str, Query(pattern="^(handler|listen)$")]
RECENT = timedelta(hours=12)


@router.get("/calls", response_class=HTMLResponse)
def call_list(request: Request, principal: CallScreen, uow: UowDep) -> Response:
    live = stream(request, uow.session, url="/live/calls", view="calls")
    found = calls.recent_calls(uow.session, force_id=principal.force_id, since=utcnow() - RECENT)
    return render(request, "console/calls.html", principal, calls=found, live=live)


@router.get("/calls/panels/list", response_class=HTMLResponse)
def call_list_panel(request: Request, principal: CallScreen, uow: UowDep) -> Response:
    found = calls.recent_calls(uow.session, force_id=principal.force_id, since=utcnow() - RECENT)
    return TEMPLATES.TemplateResponse(request, "console/_call_list.html", {"calls": found})


def _screen(
    request: Request, principal: Principal, uow: UowDep, call_id: int, view: str
) -> Response:
    live = stream(request, uow.session, url=f"/live/calls/{call_id}?view={view}", view=view)
    cv = call_view.load(uow.session, principal=principal, call_id=call_id, view=view)
    data = call_panels.everything(uow.session, cv)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="call.view",
        record_type="call",
        record_id=cv.call.id,
        details={"page": view},
    )
    uow.commit()
    template = "console/listen.html" if view == "listen" else "console/call.html"
    return render(request, template, principal, cv=cv, live=live, **data)


@router.get("/calls/{call_id}", response_class=HTMLResponse)
def call_screen(call_id: int, request: Request, principal: CallScreen, uow: UowDep) -> Response:
    return _screen(request, principal, uow, call_id, "handler")


@router.get("/queue/calls/{call_id}", response_class=HTMLResponse)
def listen_in(call_id: int, request: Request, principal: QueueReader, uow: UowDep) -> Response:
    return _screen(request, principal, uow, call_id, "listen")


@router.get("/calls/{call_id}/panels/{name}", response_class=HTMLResponse)
def call_panel(
    call_id: int,
    name: str,
    request: Request,
    principal: CallScreen,
    uow: UowDep,
    view: View = "handler",
) -> Response:
    """One panel again, for a live refresh."""
    cv = call_view.load(uow.session, principal=principal, call_id=call_id, view=view)
    found = call_panels.PANELS.get(name)
    if found is None:
        raise errors.NotFound(f"no panel {name!r} on a call's screen")
    template, loader = found
    data = loader(uow.session, cv)
    uow.commit()  # panels showing people's records have audited the read
    return TEMPLATES.TemplateResponse(request, template, {"cv": cv, **data})
