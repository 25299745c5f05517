"""Shared by the console's pages: rendering, the live-stream attributes, the live cursor."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from heard.auth.deps import get_runtime
from heard.auth.principal import Principal
from heard.live import service as live
from heard.web.console.render import kinds
from heard.web.templating import TEMPLATES, warm
from heard.web.views import page_context

# Compiled when the app is built rather than on the first call a handler opens.
COMPILED = warm("console/")


def render(
    request: Request, template: str, principal: Principal, *, status: int = 200, **context: Any
) -> Response:
    return TEMPLATES.TemplateResponse(
        request, template, page_context(principal, **context), status_code=status
    )


def stream(request: Request, session: Session, *, url: str, view: str) -> dict[str, Any]:
    """What a page needs to open its live stream from exactly where its rendering left off."""
    return {
        "url": url,
        "kinds": " ".join(kinds(view)),
        "after": live.newest_id(session),
        "heartbeat": get_runtime(request).settings.live_heartbeat_seconds,
    }
