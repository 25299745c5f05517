"""Reading a scoring request (the `heard risk score` file format) into typed values.

Every problem is a RiskInputError naming the field, so a person fixing a file knows where to look.
Unknown keys are refused rather than ignored: a misspelt "professional_judgment" silently dropped
would drop a MARAC criterion with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from heard.risk.instruments.errors import RiskInputError, key
from heard.risk.instruments.marac import MaracHistory
from heard.risk.instruments.scoring import Answer, Judgement, Level, Response

# Forces in England and Wales: a day boundary is the local midnight, not UTC's.
FORCE_TIMEZONE = ZoneInfo("Europe/London")
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 2999
_TOP_LEVEL = {
    "instrument",
    "answers",
    "professional_judgement",
    "professional_judgement_rationale",
    "history",
    "as_of",
    "force",
}
_REQUIRED = ("instrument", "answers", "as_of", "force")
_HISTORY_KEYS = {"da_incidents", "last_marac_referral"}
_ANSWER_KEYS = {"answer", "text"}


@dataclass(frozen=True)
class ScoreRequest:
    instrument: str
    responses: Mapping[str, Response]
    judgement: Judgement | None
    history: MaracHistory
    as_of: datetime
    force: str

    @property
    def as_of_date(self) -> date:
        return local_date(self.as_of)


def local_date(moment: datetime) -> date:
    return moment.astimezone(FORCE_TIMEZONE).date()


def _choices(enum: type[Answer] | type[Level]) -> str:
    return ", ".join(member.value for member in enum)


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RiskInputError(field, "must be a non-empty string")
    return value.strip()


def _in_range(value: date, field: str) -> None:
    if not _EARLIEST_YEAR <= value.year <= _LATEST_YEAR:
        raise RiskInputError(
            field, f"year {value.year} is outside {_EARLIEST_YEAR}..{_LATEST_YEAR}"
        )


def parse_moment(value: Any, field: str) -> datetime:
    """An ISO datetime; one without a zone is read as the force's local (UK) time."""
    if not isinstance(value, str):
        raise RiskInputError(field, "must be an ISO 8601 date-time string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RiskInputError(field, f"{value!r} is not an ISO 8601 date-time") from None
    _in_range(moment.date(), field)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=FORCE_TIMEZONE)
    return moment


def parse_day(value: Any, field: str) -> date:
    """An ISO date; a date-time is accepted and reduced to its local (UK) date."""
    if not isinstance(value, str):
        raise RiskInputError(field, "must be an ISO 8601 date string")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise RiskInputError(field, f"{value!r} is not an ISO 8601 date") from None
        return local_date(parse_moment(value, field))
    _in_range(day, field)
    return day


def _response(value: Any, field: str) -> Response:
    if isinstance(value, dict):
        unexpected = sorted(set(value) - _ANSWER_KEYS)
        if unexpected:
            raise RiskInputError(field, f"unexpected keys {unexpected}; use 'answer' and 'text'")
        text = value.get("text")
        if text is not None and not isinstance(text, str):
            raise RiskInputError(f"{field}.text", "must be a string or null")
        return Response(_answer(value.get("answer"), f"{field}.answer"), text)
    return Response(_answer(value, field))


def _answer(value: Any, field: str) -> Answer:
    if isinstance(value, str):
        try:
            return Answer(value)
        except ValueError:
            pass
    raise RiskInputError(field, f"{value!r} is not one of {_choices(Answer)}")


def _responses(value: Any) -> dict[str, Response]:
    if not isinstance(value, dict):
        raise RiskInputError("answers", "must be an object mapping item ids to answers")
    return {str(name): _response(item, f"answers.{key(str(name))}") for name, item in value.items()}


def _judgement(value: Any, rationale: Any) -> Judgement | None:
    if rationale is not None and not isinstance(rationale, str):
        raise RiskInputError("professional_judgement_rationale", "must be a string or null")
    if value is None:
        if rationale is not None:
            raise RiskInputError(
                "professional_judgement_rationale", "given without a professional_judgement"
            )
        return None
    try:
        level = Level(value) if isinstance(value, str) else None
    except ValueError:
        level = None
    if level is None:
        raise RiskInputError(
            "professional_judgement", f"{value!r} is not one of {_choices(Level)} or null"
        )
    return Judgement(level, rationale)


def _history(value: Any) -> MaracHistory:
    if value is None:
        return MaracHistory()
    if not isinstance(value, dict):
        raise RiskInputError("history", "must be an object")
    unexpected = sorted(set(value) - _HISTORY_KEYS)
    if unexpected:
        raise RiskInputError(f"history.{key(unexpected[0])}", "is not a known history field")
    incidents = value.get("da_incidents", [])
    if not isinstance(incidents, list):
        raise RiskInputError("history.da_incidents", "must be a list of ISO dates")
    days = tuple(
        parse_day(day, f"history.da_incidents[{index}]") for index, day in enumerate(incidents)
    )
    last = value.get("last_marac_referral")
    return MaracHistory(
        da_incidents=days,
        last_marac_referral=None
        if last is None
        else parse_day(last, "history.last_marac_referral"),
    )


def parse_request(document: Any) -> ScoreRequest:
    if not isinstance(document, dict):
        raise RiskInputError("(file)", "must hold a JSON object")
    unexpected = sorted(set(document) - _TOP_LEVEL)
    if unexpected:
        raise RiskInputError(key(unexpected[0]), "is not a known field")
    missing = [key for key in _REQUIRED if key not in document]
    if missing:
        raise RiskInputError(missing[0], "is required")
    return ScoreRequest(
        instrument=_text(document["instrument"], "instrument"),
        responses=_responses(document["answers"]),
        judgement=_judgement(
            document.get("professional_judgement"),
            document.get("professional_judgement_rationale"),
        ),
        history=_history(document.get("history")),
        as_of=parse_moment(document["as_of"], "as_of"),
        force=_text(document["force"], "force").upper(),
    )
