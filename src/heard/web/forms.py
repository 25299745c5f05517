"""Reading page forms: local times typed by a person, and a validation failure in words."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError

from heard import errors
from heard.web.templating import LOCAL


def local_time(text: object, *, field: str) -> datetime:
    """A `datetime-local` value (Europe/London wall clock, as the control room reads it) in UTC."""
    value = str(text or "").strip()
    if not value:
        raise errors.Invalid(f"give the {field} (date and time)")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise errors.Invalid(f"the {field} is not a date and time: {value[:40]!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL)
    return parsed.astimezone(UTC)


def local_input(value: datetime | None) -> str:
    """The value a `datetime-local` input shows for a stored UTC time."""
    return value.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M") if value else ""


def version(text: object) -> int:
    value = str(text or "").strip()
    if not value.isdigit():
        raise errors.Invalid("the form is missing the record's version; reload the page")
    return int(value)


def refusal(exc: Exception) -> tuple[str, int]:
    """What a page says when a step was refused, and the status it answers with."""
    if isinstance(exc, errors.HeardError):
        return exc.detail, exc.status
    if isinstance(exc, ValidationError):
        return problem_words(exc), 422
    return str(exc), 409  # a state machine refused the move: someone else moved it first


def problem_words(exc: ValidationError) -> str:
    """The first reason pydantic gives, in the form's own terms."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "the form"
    return f"{where.replace('_', ' ')}: {first.get('msg', 'not valid')}"
