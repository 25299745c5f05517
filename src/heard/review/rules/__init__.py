"""Missed-opportunity rules over a self-contained case history, and chronologies.

Pure: no database, no HTTP. `heard review case` and the service's sweep call the same `evaluate`,
so the evaluation contract cannot drift from the product. Format and rules: docs/review.md.
"""

from heard.review.rules.case import CaseHistory
from heard.review.rules.chronology import Entry, Focus, chronology
from heard.review.rules.config import RulesConfig, RuleSettings, force_settings
from heard.review.rules.engine import RULES, RULES_BY_ID, evaluate
from heard.review.rules.findings import Finding, Rule

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "CaseHistory",
    "Entry",
    "Finding",
    "Focus",
    "Rule",
    "RuleSettings",
    "RulesConfig",
    "chronology",
    "evaluate",
    "force_settings",
]
