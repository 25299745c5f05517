"""Sign-in, sign-out and the home page."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from heard import errors
from heard.auth import service as auth
from heard.auth.deps import (
    SESSION_COOKIE,
    UowDep,
    check_csrf,
    client_addr,
    get_runtime,
    optional_principal,
)
from heard.auth.models import Force
from heard.auth.principal import Principal
from heard.settings import Environment
from heard.web.console.nav import navigation
from heard.web.templating import TEMPLATES

LOGIN_CSRF_COOKIE = "heard_login_csrf"
router = APIRouter(include_in_schema=False)
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def page_context(principal: Principal | None, **extra: Any) -> dict[str, Any]:
    return {
        "principal": principal,
        "csrf_token": principal.csrf_token if principal else None,
        "nav": navigation(principal),
        **extra,
    }


def _login_serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_runtime(request).settings.secret(), salt="login-csrf")


def _safe_next(next_url: str) -> str:
    # Only same-site paths, so the login form cannot be used as an open redirect.
    return next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"


def _login_page(request: Request, *, status: int = 200, **extra: Any) -> Response:
    nonce = secrets.token_urlsafe(16)
    runtime = get_runtime(request)
    context = page_context(
        None,
        login_csrf=_login_serializer(request).dumps(nonce),
        demo=runtime.settings.environment is Environment.DEMO,
        next_url=_safe_next(str(extra.pop("next_url", request.query_params.get("next", "/")))),
        **extra,
    )
    response = TEMPLATES.TemplateResponse(request, "login.html", context, status_code=status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=runtime.settings.session_cookie_secure,
        max_age=3600,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, principal: MaybePrincipal) -> Response:
    if principal is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    uow: UowDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        nonce = _login_serializer(request).loads(csrf_token, max_age=3600)
    except BadSignature:
        nonce = None
    if not nonce or nonce != request.cookies.get(LOGIN_CSRF_COOKIE):
        return _login_page(request, status=403, error="The sign-in form expired. Please try again.")
    runtime = get_runtime(request)
    limits = runtime.login_limits
    try:
        user = auth.authenticate(
            uow.session,
            username=username,
            password=password,
            policy=limits,
            client_addr=client_addr(request),
        )
    except (errors.NotAuthenticated, errors.Locked) as exc:
        uow.commit()  # failed attempts and lock-outs must be remembered
        return _login_page(
            request, status=exc.status, error=exc.detail, username=username, next_url=next
        )
    token = auth.open_session(
        uow.session, user=user, policy=limits, client_addr=client_addr(request)
    )
    uow.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=runtime.settings.session_cookie_secure,
        max_age=runtime.settings.session_max_age_seconds,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, principal: MaybePrincipal, uow: UowDep) -> Response:
    if principal is not None and principal.session_id is not None:
        await check_csrf(request, principal)
        auth.revoke_session(uow.session, session_id=principal.session_id)
        uow.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: MaybePrincipal, uow: UowDep) -> Response:
    if principal is None or principal.kind != "user":
        return RedirectResponse("/login", status_code=303)
    force = uow.session.get_one(Force, principal.force_id)
    context = page_context(
        principal, force_name=force.name, permissions=sorted(p.value for p in principal.permissions)
    )
    return TEMPLATES.TemplateResponse(request, "home.html", context)
