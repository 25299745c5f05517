"""Risk instruments (DASH, S-DASH, H-DASH, and room for DARA and local variants) as versioned
data, their scoring, MARAC criteria and suggested answers. Pure logic: no storage, no HTTP.
"""

from heard.risk.instruments.catalogue import Catalogue, default_catalogue, load_catalogue
from heard.risk.instruments.errors import InstrumentDefinitionError, RiskInputError
from heard.risk.instruments.evaluation import Evaluation, contract_line, evaluate
from heard.risk.instruments.marac import (
    Criterion,
    EscalationRule,
    MaracDecision,
    MaracHistory,
    marac_criteria,
    months_before,
)
from heard.risk.instruments.policy import ForcePolicy, Policies, load_policies, parse_policies
from heard.risk.instruments.request import ScoreRequest, parse_request
from heard.risk.instruments.schema import Bands, Instrument, Item
from heard.risk.instruments.scoring import (
    Answer,
    Judgement,
    Level,
    RationaleRequired,
    Response,
    Score,
    ensure_submittable,
    score,
)
from heard.risk.instruments.suggestions import (
    Decision,
    HistoryFacts,
    Suggestion,
    confirmed_responses,
    decide,
    suggest,
)

__all__ = [
    "Answer",
    "Bands",
    "Catalogue",
    "Criterion",
    "Decision",
    "EscalationRule",
    "Evaluation",
    "ForcePolicy",
    "HistoryFacts",
    "Instrument",
    "InstrumentDefinitionError",
    "Item",
    "Judgement",
    "Level",
    "MaracDecision",
    "MaracHistory",
    "Policies",
    "RationaleRequired",
    "Response",
    "RiskInputError",
    "Score",
    "ScoreRequest",
    "Suggestion",
    "confirmed_responses",
    "contract_line",
    "decide",
    "default_catalogue",
    "ensure_submittable",
    "evaluate",
    "load_catalogue",
    "load_policies",
    "marac_criteria",
    "months_before",
    "parse_policies",
    "parse_request",
    "score",
    "suggest",
]
