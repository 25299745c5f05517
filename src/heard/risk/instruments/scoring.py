"""Scoring one completed instrument: the "yes" count, the computed level, and the final level.

Professional judgement may raise the level and never lower it: the Oudeh review found a grade
downgraded without anyone probing why, so no path here can produce a final level below the count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from heard.risk.instruments.errors import RiskInputError, key
from heard.risk.instruments.schema import Bands, Instrument


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"
    DECLINED = "declined"


class Level(StrEnum):
    """Same values as heard.risk.models.RiskGrade, so a score can be stored as a grade."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Level.STANDARD: 0, Level.MEDIUM: 1, Level.HIGH: 2}


@dataclass(frozen=True)
class Response:
    answer: Answer
    text: str | None = None


@dataclass(frozen=True)
class Judgement:
    """The assessor's own grade. The service refuses to submit one without a rationale."""

    level: Level
    rationale: str | None = None

    @property
    def has_rationale(self) -> bool:
        return bool(self.rationale and self.rationale.strip())


class RationaleRequired(RiskInputError):
    def __init__(self) -> None:
        super().__init__(
            "professional_judgement.rationale",
            "a professional judgement needs a rationale saying what it is based on",
        )


@dataclass(frozen=True)
class Score:
    instrument_id: str
    instrument_version: int
    yes_count: int
    computed_level: Level | None
    judgement: Judgement | None
    final_level: Level | None
    unanswered: tuple[str, ...]
    # Items such as strangulation or threats to kill that, answered "yes", often justify raising
    # the grade on judgement alone; the assessor is shown them, nothing is raised automatically.
    judgement_prompts: tuple[str, ...]

    @property
    def judgement_below_count(self) -> bool:
        """A judgement lower than the count: recorded, not applied, and worth a reviewer's look."""
        return (
            self.judgement is not None
            and self.computed_level is not None
            and self.judgement.level.rank < self.computed_level.rank
        )

    @property
    def needs_rationale(self) -> bool:
        return self.judgement is not None and not self.judgement.has_rationale


def level_for_count(yes_count: int, bands: Bands | None) -> Level | None:
    if bands is None:
        return None
    if yes_count >= bands.high:
        return Level.HIGH
    if yes_count >= bands.medium:
        return Level.MEDIUM
    return Level.STANDARD


def raise_only(computed: Level | None, judgement: Level | None) -> Level | None:
    """The higher of the two; judgement fills in when the instrument has no count rule."""
    if computed is None:
        return judgement
    if judgement is None:
        return computed
    return max(computed, judgement, key=lambda level: level.rank)


def check_responses(instrument: Instrument, responses: Mapping[str, Response]) -> None:
    for item_id in responses:
        item = instrument.item(item_id)
        if item is None:
            raise RiskInputError(
                f"answers.{key(item_id)}",
                f"{instrument.id} has no item {item_id!r} "
                f"(items are '1'..'{len(instrument.items)}')",
            )
        if not item.known:
            raise RiskInputError(
                f"answers.{key(item_id)}",
                f"{instrument.id} item {item_id} is not known yet (its content was never "
                "captured), so it cannot be answered",
            )


def score(
    instrument: Instrument,
    responses: Mapping[str, Response],
    bands: Bands | None,
    judgement: Judgement | None = None,
) -> Score:
    """Score answers with the force's bands (None: no count rule for this instrument)."""
    check_responses(instrument, responses)
    yes = {item_id for item_id, r in responses.items() if r.answer is Answer.YES}
    computed = level_for_count(len(yes), bands)
    return Score(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        yes_count=len(yes),
        computed_level=computed,
        judgement=judgement,
        final_level=raise_only(computed, judgement.level if judgement else None),
        unanswered=tuple(i.id for i in instrument.known_items if i.id not in responses),
        judgement_prompts=tuple(
            i.id for i in instrument.known_items if i.prompts_judgement and i.id in yes
        ),
    )


def ensure_submittable(result: Score) -> Score:
    """The service's gate before an assessment becomes an immutable record."""
    if result.needs_rationale:
        raise RationaleRequired()
    return result
