"""The instrument schema: what a versioned instrument definition file may contain."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from heard.risk.instruments.cues import CUE_CODES

INSTRUMENT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,31}$"  # fits risk_assessments.instrument (32)


class Confidence(StrEnum):
    """How well the item's topic and position are sourced (domain-facts.md tags V / S / U)."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


class ItemStatus(StrEnum):
    KNOWN = "known"
    # The instrument has this item but its content was never captured: it is listed so the
    # numbering stays honest, and it cannot be asked or answered until someone confirms it.
    UNKNOWN = "unknown"


class HistoryFact(StrEnum):
    """Facts from the force's records that can support a suggested answer."""

    MORE_OFTEN = "more_often"
    ORDER_BREACH = "order_breach"
    CRIMINAL_RECORD = "criminal_record"
    VIOLENCE_RECORD = "violence_record"
    HARASSMENT_RECORD = "harassment_record"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Bands(_Frozen):
    """Minimum "yes" counts for each level; anything below `medium` is standard."""

    medium: int = Field(ge=1)
    high: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.medium > self.high:
            raise ValueError(f"medium ({self.medium}) must not exceed high ({self.high})")
        return self


class Scoring(_Frozen):
    # None: the instrument has no published count rule, so only professional judgement grades it.
    bands: Bands | None


class Item(_Frozen):
    id: str
    group: str
    status: ItemStatus = ItemStatus.KNOWN
    question: str | None = None
    cues: tuple[str, ...] = ()
    history: tuple[HistoryFact, ...] = ()
    confidence: Confidence | None = None
    note: str | None = None
    prompts_judgement: bool = False
    follow_up: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.status is ItemStatus.KNOWN

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        unknown_cues = sorted(set(self.cues) - CUE_CODES)
        if unknown_cues:
            raise ValueError(f"item {self.id}: unknown cue codes {unknown_cues}")
        if self.known and not (self.question and self.question.strip()):
            raise ValueError(f"item {self.id}: a known item needs a question")
        if not self.known and (
            self.question or self.cues or self.history or self.prompts_judgement
        ):
            raise ValueError(f"item {self.id}: an unknown item must not carry a question or cues")
        return self


class Instrument(_Frozen):
    id: str = Field(pattern=INSTRUMENT_ID_PATTERN)
    version: int = Field(ge=1)
    title: str
    source: str
    based_on: str | None = None
    # Empty: any force may use it. Otherwise a force-specific variant for the listed force codes.
    forces: tuple[str, ...] = ()
    scoring: Scoring
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbered(self) -> Self:
        expected = [str(n) for n in range(1, len(self.items) + 1)]
        actual = [item.id for item in self.items]
        if actual != expected:
            raise ValueError(f"item ids must be '1'..'{len(self.items)}' in order, got {actual}")
        bands = self.scoring.bands
        if bands is not None and bands.high > len(self.known_items):
            raise ValueError(
                f"high band {bands.high} exceeds the {len(self.known_items)} answerable items"
            )
        return self

    @property
    def known_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.known)

    @property
    def unknown_item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items if not item.known)

    def item(self, item_id: str) -> Item | None:
        index = int(item_id) - 1 if item_id.isascii() and item_id.isdecimal() else -1
        found = self.items[index] if 0 <= index < len(self.items) else None
        # "01" must not alias "1": answers are keyed by the exact id.
        return found if found is not None and found.id == item_id else None

    def usable_by(self, force_code: str) -> bool:
        return not self.forces or force_code.upper() in {code.upper() for code in self.forces}
