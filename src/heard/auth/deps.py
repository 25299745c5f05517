"""FastAPI dependencies: the request's unit of work, who is asking, and what they may do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request

from heard import errors
from heard.auth import service
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.db.uow import UnitOfWork
from heard.runtime import Runtime

SESSION_COOKIE = "heard_session"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    with get_runtime(request).db.unit_of_work() as uow:
        yield uow


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def request_id(request: Request) -> str | None:
    value = getattr(request.state, "request_id", None)
    return str(value) if value else None


def client_addr(request: Request) -> str | None:
    return request.client.host if request.client else None


def optional_principal(request: Request, uow: UowDep) -> Principal | None:
    found: Principal | None = None
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret:
            raise errors.NotAuthenticated("use 'Authorization: Bearer <token>'")
        found = service.principal_from_token(uow.session, secret=secret.strip())
        if found is None:
            raise errors.NotAuthenticated("the API token is unknown, revoked or expired")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        found = service.principal_from_session(uow.session, token=cookie)
    if found is None:
        return None
    found = replace(found, request_id=request_id(request), client_addr=client_addr(request))
    request.state.principal = found
    return found


async def _csrf_value(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request, principal: Principal) -> None:
    """Cookie-authenticated writes must echo the session's CSRF token; bearer tokens are exempt."""
    if principal.kind != "user" or request.method not in UNSAFE_METHODS:
        return
    supplied = await _csrf_value(request)
    if not supplied or principal.csrf_token is None or supplied != principal.csrf_token:
        raise errors.Forbidden(
            "this form has expired or did not come from Heard (CSRF check); reload the page"
        )


async def current_principal(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal:
    if principal is None:
        raise errors.NotAuthenticated("sign in at /login, or send an API token")
    await check_csrf(request, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(*permissions: Permission) -> Callable[..., Awaitable[Principal]]:
    """Dependency factory: the caller must hold every named permission."""

    # Async: a permission check is pure computation, and a sync dependency would cost every
    # request a round trip through the thread pool.
    async def dependency(principal: PrincipalDep) -> Principal:
        missing = [p.value for p in permissions if not principal.can(p)]
        if missing:
            raise errors.Forbidden(
                f"your role ({principal.role.label}) cannot do this; it needs {', '.join(missing)}"
            )
        return principal

    dependency.required_permissions = permissions  # type: ignore[attr-defined]
    return dependency
