"""Live streams for the console's pages: Server-Sent Events, or JSON for the polling fallback.

One address per page. A browser asking for `text/event-stream` gets the stream (resuming after
`Last-Event-ID` or `?after=`); anything else gets the events after `?after=` as JSON, which is
what the page falls back to when a stream cannot be held open (some proxies).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from heard.auth.deps import UowDep, get_runtime, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.calls import service as calls
from heard.live import channels, sse
from heard.live import service as live
from heard.live.hub import LiveHub
from heard.web.console.render import renderer

router = APIRouter(include_in_schema=False)
CallScreen = Annotated[Principal, Depends(require(Permission.CALL_SCREEN))]
QueueReader = Annotated[Principal, Depends(require(Permission.QUEUE_READ))]
BoardReader = Annotated[Principal, Depends(require(Permission.BOARD_READ))]
Officer = Annotated[Principal, Depends(require(Permission.INCIDENT_ATTEND))]
OrderReader = Annotated[Principal, Depends(require(Permission.ORDER_READ))]
After = Annotated[int | None, Query(ge=0)]
POLL_LIMIT = 200


def _after(request: Request, after: int | None) -> int | None:
    header = request.headers.get("last-event-id", "").strip()
    return int(header) if header.isdigit() else after


def poll_body(
    session: Session, *, force_id: int, names: tuple[str, ...], after: int | None, view: str
) -> dict[str, Any]:
    newest = live.newest_id(session)
    if after is None:
        return {"cursor": newest, "events": [], "more": False, "reload": False}
    if after + 1 < live.oldest_id(session):
        return {"cursor": newest, "events": [], "more": False, "reload": True}
    rows = live.read_after(
        session, force_id=force_id, channels=names, after=after, up_to=newest, limit=POLL_LIMIT + 1
    )
    more = len(rows) > POLL_LIMIT
    rows = rows[:POLL_LIMIT]
    render = renderer(view)
    events = [
        {"id": m.id, "event": m.kind, "data": data} for m in rows if (data := render(m)) is not None
    ]
    cursor = rows[-1].id if more else max(after, newest)
    return {"cursor": cursor, "events": events, "more": more, "reload": False}


def respond(
    request: Request,
    uow: UowDep,
    principal: Principal,
    *,
    names: tuple[str, ...],
    view: str,
    after: int | None,
) -> Response:
    resume = _after(request, after)
    if "text/event-stream" not in request.headers.get("accept", ""):
        body = poll_body(
            uow.session, force_id=principal.force_id, names=names, after=resume, view=view
        )
        return JSONResponse(body, headers={"Cache-Control": "no-store"})
    # A stream must not hold a transaction (on SQLite that would hold the write lock).
    uow.session.close()
    settings = get_runtime(request).settings
    hub: LiveHub = request.app.state.live
    spec = sse.StreamSpec(
        force_id=principal.force_id,
        channels=names,
        after=resume,
        render=renderer(view),
        heartbeat_seconds=settings.live_heartbeat_seconds,
        lifetime_seconds=settings.live_stream_seconds,
    )
    return StreamingResponse(
        sse.stream(hub, spec),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/live/calls/{call_id}")
def call_stream(
    call_id: int,
    request: Request,
    principal: CallScreen,
    uow: UowDep,
    after: After = None,
    view: Annotated[str, Query(pattern="^(handler|listen)$")] = "handler",
) -> Response:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    names = (channels.call(call.id),)
    return respond(request, uow, principal, names=names, view=view, after=after)


@router.get("/live/calls")
def calls_stream(
    request: Request, principal: CallScreen, uow: UowDep, after: After = None
) -> Response:
    return respond(request, uow, principal, names=(channels.CALLS,), view="calls", after=after)


@router.get("/live/queue")
def queue_stream(
    request: Request, principal: QueueReader, uow: UowDep, after: After = None
) -> Response:
    return respond(request, uow, principal, names=(channels.QUEUE,), view="queue", after=after)


@router.get("/live/board")
def board_stream(
    request: Request, principal: BoardReader, uow: UowDep, after: After = None
) -> Response:
    names = (channels.QUEUE, channels.BOARD)
    return respond(request, uow, principal, names=names, view="board", after=after)


@router.get("/live/officer")
def officer_stream(
    request: Request, principal: Officer, uow: UowDep, after: After = None
) -> Response:
    names = (channels.officer(principal.id),)
    return respond(request, uow, principal, names=names, view="officer", after=after)


@router.get("/live/breaches")
def breaches_stream(
    request: Request,
    principal: OrderReader,
    uow: UowDep,
    after: After = None,
    view: Annotated[str, Query(pattern="^(breaches|breach)$")] = "breaches",
) -> Response:
    return respond(request, uow, principal, names=(channels.ORDERS,), view=view, after=after)
