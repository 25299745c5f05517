"""The one Jinja2 environment for pages: autoescaped HTML, with filters for times and grades.

Everything a caller, a transcript or a record says reaches the page through autoescaping;
no template marks user data safe.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates

from heard.clock import utcnow

# Control rooms read local time; storage stays UTC.
LOCAL = ZoneInfo("Europe/London")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
GRADE_WORDS = {
    "emergency": "Emergency",
    "priority": "Priority",
    "scheduled": "Scheduled",
    "resolution": "Resolution without deployment",
}


def clock(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return value.astimezone(LOCAL).strftime("%H:%M:%S" if seconds else "%H:%M")


def day(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(LOCAL).strftime("%-d %b %Y")


def duration(value: timedelta | float | None) -> str:
    """Whole minutes and seconds, the way a timer reads: 4:05, 1:02:10."""
    if value is None:
        return ""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def ago(value: datetime | None) -> str:
    if value is None:
        return ""
    minutes = int((utcnow() - value).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} days ago"


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def grade_words(value: object) -> str:
    key = getattr(value, "value", value)
    return GRADE_WORDS.get(str(key), "Not graded") if key else "Not graded"


def words(value: object) -> str:
    """An enum value or code read aloud: 'passed_to_officers' -> 'passed to officers'."""
    key = str(getattr(value, "value", value) or "")
    return key.replace("_", " ").lower()


SERVICE_NAMES = {
    "idva": "IDVA",
    "marac": "MARAC",
    "operation_encompass": "Operation Encompass",
    "childrens_social_care": "Children's social care",
    "adult_social_care": "Adult social care",
    "refuge": "Refuge",
    "perpetrator_programme": "Perpetrator programme",
}


def service_name(value: object) -> str:
    key = str(getattr(value, "value", value) or "")
    return SERVICE_NAMES.get(key, words(key).capitalize())


def count_of(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


for _name, _filter in {
    "clock": clock,
    "day": day,
    "duration": duration,
    "ago": ago,
    "iso": iso,
    "grade_words": grade_words,
    "words": words,
    "service_name": service_name,
    "count_of": count_of,
}.items():
    TEMPLATES.env.filters[_name] = _filter


def warm(prefix: str) -> int:
    """Compile every template under `prefix` now, so the first person to open a page in a
    control room does not wait for it; returns how many."""
    names = TEMPLATES.env.list_templates(filter_func=lambda name: name.startswith(prefix))
    for name in names:
        TEMPLATES.env.get_template(name)
    return len(names)
