"""One error shape for the whole service: RFC 9457 problem details for the API."""

from __future__ import annotations

from typing import Any


class HeardError(Exception):
    """An error a user can act on. `detail` says what to do next."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotAuthenticated(HeardError):
    status = 401
    title = "Sign-in required"


class Forbidden(HeardError):
    status = 403
    title = "Not allowed"


class NotFound(HeardError):
    """Also used for another force's records, so their existence is never revealed."""

    status = 404
    title = "Not found"


class Conflict(HeardError):
    status = 409
    title = "Conflict"


class Invalid(HeardError):
    status = 422
    title = "Invalid input"


class TooLarge(HeardError):
    status = 413
    title = "Request too large"


class Locked(HeardError):
    status = 423
    title = "Account locked"


class RateLimited(HeardError):
    status = 429
    title = "Too many attempts"


def problem(
    *, status: int, title: str, detail: str, request_id: str | None, errors: list[Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://heard.invalid/problems/{status}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    return body
