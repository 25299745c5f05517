"""The one place Heard reads the time, so every timestamp is UTC-aware."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Reject naive datetimes: a time without a zone is ambiguous in a control-room record."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp must carry a time zone (use UTC, e.g. 2026-11-30T15:00:00Z)")
    return value.astimezone(UTC)
