"""The risk cue codes of the shared cue taxonomy (risk-cues.md), which instrument items map to.

Kept here rather than imported from signals: the two domains sit side by side in one layer and may
not import each other, and these codes are a stable, published vocabulary.
"""

from __future__ import annotations

CUE_CODES: frozenset[str] = frozenset(
    {
        "INJURY",
        "FEAR",
        "ISOLATION",
        "VICTIM_SUICIDAL",
        "SEPARATION",
        "CHILD_CONTACT_CONFLICT",
        "STALKING",
        "PREGNANCY",
        "CHILDREN_AT_RISK",
        "ESCALATION",
        "COERCIVE_CONTROL",
        "WEAPON",
        "THREAT_TO_KILL",
        "STRANGULATION",
        "SEXUAL_ABUSE",
        "HONOUR_BASED",
        "ANIMAL_ABUSE",
        "SUBSTANCE",
        "ABUSER_SUICIDE_THREAT",
        "ORDER_BREACH",
        "SUSPECT_PRESENT",
        "ONGOING_ASSAULT",
        "CHILDREN_PRESENT",
        "CANNOT_SPEAK",
    }
)
