"""One entry point for scoring an assessment and applying the MARAC criteria.

The CLI and the service both call `evaluate`, so the evaluation contract and the product cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heard.risk.instruments.catalogue import Catalogue
from heard.risk.instruments.errors import RiskInputError
from heard.risk.instruments.marac import MaracDecision, marac_criteria
from heard.risk.instruments.policy import Policies
from heard.risk.instruments.request import ScoreRequest
from heard.risk.instruments.schema import Instrument
from heard.risk.instruments.scoring import Score, score


@dataclass(frozen=True)
class Evaluation:
    score: Score
    marac: MaracDecision


def find_instrument(catalogue: Catalogue, instrument_id: str, force: str) -> Instrument:
    instrument = catalogue.get(instrument_id)
    if instrument is None:
        known = ", ".join(catalogue.ids)
        raise RiskInputError("instrument", f"unknown instrument {instrument_id!r} (known: {known})")
    if not instrument.usable_by(force):
        raise RiskInputError(
            "instrument", f"{instrument_id} is a variant for {', '.join(instrument.forces)} only"
        )
    return instrument


def evaluate(request: ScoreRequest, catalogue: Catalogue, policies: Policies) -> Evaluation:
    instrument = find_instrument(catalogue, request.instrument, request.force)
    policy = policies.for_force(request.force)
    result = score(instrument, request.responses, policy.bands_for(instrument), request.judgement)
    marac = marac_criteria(result, request.history, request.as_of_date, policy.escalation)
    return Evaluation(score=result, marac=marac)


def contract_line(evaluation: Evaluation) -> dict[str, Any]:
    """The `heard risk score` output object, field for field as the issue specifies."""
    result = evaluation.score
    return {
        "instrument": result.instrument_id,
        "yes_count": result.yes_count,
        "computed_level": None if result.computed_level is None else result.computed_level.value,
        "final_level": None if result.final_level is None else result.final_level.value,
        "marac": {
            "criteria": [criterion.value for criterion in evaluation.marac.criteria],
            "refer": evaluation.marac.refer,
        },
    }


def level_note(evaluation: Evaluation) -> str | None:
    """Why `computed_level` is null, for a person reading the output; None when it is not.

    Null means the instrument has no count rule for this force: no published cut-off for its
    "yes" count was found (S-DASH: "the more yes answers, the higher the risk", no number; H-DASH:
    7 of its 10 questions are unknown), and Heard does not invent one (docs/risk.md, Scoring).
    """
    result = evaluation.score
    if result.computed_level is not None:
        return None
    final = (
        "final_level is the assessor's professional judgement"
        if result.final_level is not None
        else "final_level stays null until the assessor gives a professional judgement"
    )
    return (
        f"{result.instrument_id} has no count rule (no published cut-off for its 'yes' count; "
        f"a force may set bands in its policies file), so computed_level is null and {final}"
    )
