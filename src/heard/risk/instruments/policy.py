"""Per-force settings for scoring: the level bands per instrument and the escalation threshold.

A policy file looks like:

    forces:
      KNT:
        escalation: {incidents: 3, months: 6}
        bands:
          dash-acpo-27: {medium: 10, high: 14}
          s-dash-11: {medium: 4, high: 6}

Forces not listed, and instruments a force does not list, use the instrument's own bands and the
default rule (3 incidents in 12 months). Force codes match case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heard.risk.instruments.catalogue import Catalogue
from heard.risk.instruments.errors import InstrumentDefinitionError
from heard.risk.instruments.marac import EscalationRule
from heard.risk.instruments.schema import Bands, Instrument


class _EscalationDoc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    incidents: int = Field(ge=1, le=100)
    months: int = Field(ge=1, le=120)


class _ForceDoc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    escalation: _EscalationDoc | None = None
    # An explicit null turns an instrument's count rule off for the force (judgement only).
    bands: dict[str, Bands | None] = Field(default_factory=dict)


class _PolicyDoc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    forces: dict[str, _ForceDoc] = Field(default_factory=dict)


@dataclass(frozen=True)
class ForcePolicy:
    escalation: EscalationRule = field(default_factory=EscalationRule)
    band_overrides: Mapping[str, Bands | None] = field(default_factory=dict)

    def bands_for(self, instrument: Instrument) -> Bands | None:
        if instrument.id in self.band_overrides:
            return self.band_overrides[instrument.id]
        return instrument.scoring.bands


@dataclass(frozen=True)
class Policies:
    forces: Mapping[str, ForcePolicy] = field(default_factory=dict)
    default: ForcePolicy = field(default_factory=ForcePolicy)

    def for_force(self, force_code: str) -> ForcePolicy:
        return self.forces.get(force_code.upper(), self.default)


def _check_bands(code: str, doc: _ForceDoc, catalogue: Catalogue) -> None:
    for instrument_id, bands in doc.bands.items():
        instrument = catalogue.get(instrument_id)
        if instrument is None:
            raise InstrumentDefinitionError(f"force {code}: no instrument {instrument_id!r}")
        answerable = len(instrument.known_items)
        if bands is not None and bands.high > answerable:
            raise InstrumentDefinitionError(
                f"force {code}: {instrument_id} high band {bands.high} exceeds its "
                f"{answerable} answerable items"
            )


def parse_policies(text: str, catalogue: Catalogue, origin: str = "policy") -> Policies:
    try:
        raw = yaml.safe_load(text) or {}
        doc = _PolicyDoc.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise InstrumentDefinitionError(f"{origin}: {exc}") from exc
    forces: dict[str, ForcePolicy] = {}
    for code, force_doc in doc.forces.items():
        _check_bands(code, force_doc, catalogue)
        escalation = (
            EscalationRule(force_doc.escalation.incidents, force_doc.escalation.months)
            if force_doc.escalation
            else EscalationRule()
        )
        if code.upper() in forces:
            raise InstrumentDefinitionError(f"{origin}: force {code} is listed twice")
        forces[code.upper()] = ForcePolicy(escalation, dict(force_doc.bands))
    return Policies(forces=forces)


def load_policies(path: Path, catalogue: Catalogue) -> Policies:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise InstrumentDefinitionError(f"{path}: cannot be read: {exc}") from exc
    return parse_policies(text, catalogue, origin=str(path))
