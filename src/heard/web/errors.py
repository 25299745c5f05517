"""Every error as problem details (API) or a readable page (browser); bad input is never a 500."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from heard.db.states import InvalidTransition
from heard.errors import HeardError, problem

log = logging.getLogger(__name__)


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _to_sign_in(request: Request) -> Response | None:
    """Pages send a signed-out person to the sign-in form, and back here afterwards."""
    if request.url.path.startswith(("/api/", "/live/")):
        return None
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    if not _wants_html(request):
        return None
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(here, safe='/')}", status_code=303)


def _respond(
    request: Request, *, status: int, title: str, detail: str, errors: list[Any] | None = None
) -> Response:
    request_id = getattr(request.state, "request_id", None)
    if status == 401 and (redirect := _to_sign_in(request)) is not None:
        return redirect
    if _wants_html(request):
        from heard.web.templating import TEMPLATES
        from heard.web.views import page_context

        principal = getattr(request.state, "principal", None)
        context = page_context(principal, title=title, detail=detail, request_id=request_id)
        return TEMPLATES.TemplateResponse(request, "error.html", context, status_code=status)
    body = problem(status=status, title=title, detail=detail, request_id=request_id, errors=errors)
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            reason = err.get("ctx", {}).get("error", "malformed JSON")
            out.append({"field": "body", "message": f"the body is not valid JSON ({reason})"})
            continue
        location = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(location) or "body", "message": err.get("msg", "invalid")})
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HeardError)
    async def heard_error(request: Request, exc: HeardError) -> Response:
        return _respond(
            request, status=exc.status, title=exc.title, detail=exc.detail, errors=exc.errors
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = _field_errors(exc)
        named = ", ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        return _respond(
            request,
            status=422,
            title="Invalid input",
            detail=f"fix these fields and send again: {named}",
            errors=fields,
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        title = {404: "Not found", 405: "Method not allowed", 413: "Request too large"}.get(
            exc.status_code, "Request refused"
        )
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = "there is nothing at this address; check the link"
        return _respond(request, status=exc.status_code, title=title, detail=detail)

    @app.exception_handler(StaleDataError)
    async def stale(request: Request, exc: StaleDataError) -> Response:
        return _respond(
            request,
            status=409,
            title="Changed by someone else",
            detail="this record was changed by someone else; reload it and try again",
        )

    @app.exception_handler(InvalidTransition)
    async def bad_transition(request: Request, exc: InvalidTransition) -> Response:
        return _respond(request, status=409, title="Not possible now", detail=str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return _respond(
            request,
            status=500,
            title="Heard had a problem",
            detail="this is a fault in Heard, not in what you sent; it has been "
            "logged — quote the reference to the service desk",
        )
