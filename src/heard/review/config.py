"""Per-force service levels for specialist review, read from `Force.settings["review"]`.

    {"review": {"minutes": {"emergency": 5, "priority": 60, "scheduled": 60, "resolution": 60},
                "amber_fraction": 0.5, "closed_hours": 12}}

The clock runs from the call's arrival until a specialist first picks the call up. It turns
amber once `amber_fraction` of the time has gone and red when it has run out. Anything left
out takes the default; an unreadable setting is logged and the defaults are used.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heard.incidents.models import Grade

log = logging.getLogger(__name__)
REVIEW_SETTING = "review"
DEFAULT_MINUTES = {
    Grade.EMERGENCY: 5.0,
    Grade.PRIORITY: 60.0,
    Grade.SCHEDULED: 60.0,
    Grade.RESOLUTION: 60.0,
}


class ReviewSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    minutes: dict[Grade, float] = Field(default_factory=lambda: dict(DEFAULT_MINUTES))
    amber_fraction: float = Field(default=0.5, gt=0, lt=1)
    # How long a closed review stays on the queue page, for the record of the shift.
    closed_hours: float = Field(default=12, gt=0, le=24 * 7)

    def allowed(self, grade: Grade | None) -> timedelta:
        """The time to pick up a call of this grade; an ungraded call counts as Priority."""
        minutes = self.minutes.get(grade or Grade.PRIORITY)
        if minutes is None:
            minutes = DEFAULT_MINUTES[grade or Grade.PRIORITY]
        return timedelta(minutes=minutes)


def review_settings(settings: dict[str, Any], *, force_id: int = 0) -> ReviewSettings:
    raw = settings.get(REVIEW_SETTING) or {}
    try:
        return ReviewSettings.model_validate(raw)
    except ValidationError as exc:
        log.error(
            "force review settings unreadable; defaults used",
            extra={"force_id": force_id, "problem": str(exc)},
        )
        return ReviewSettings()
