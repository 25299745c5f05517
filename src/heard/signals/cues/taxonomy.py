"""The stable vocabulary of transcript risk cues, speakers and relationships."""

from __future__ import annotations

from enum import StrEnum


class CueCode(StrEnum):
    """Exactly the codes of the shared risk-cue taxonomy (risk-cues.md)."""

    INJURY = "INJURY"
    FEAR = "FEAR"
    ISOLATION = "ISOLATION"
    VICTIM_SUICIDAL = "VICTIM_SUICIDAL"
    SEPARATION = "SEPARATION"
    CHILD_CONTACT_CONFLICT = "CHILD_CONTACT_CONFLICT"
    STALKING = "STALKING"
    PREGNANCY = "PREGNANCY"
    CHILDREN_AT_RISK = "CHILDREN_AT_RISK"
    ESCALATION = "ESCALATION"
    COERCIVE_CONTROL = "COERCIVE_CONTROL"
    WEAPON = "WEAPON"
    THREAT_TO_KILL = "THREAT_TO_KILL"
    STRANGULATION = "STRANGULATION"
    SEXUAL_ABUSE = "SEXUAL_ABUSE"
    HONOUR_BASED = "HONOUR_BASED"
    ANIMAL_ABUSE = "ANIMAL_ABUSE"
    SUBSTANCE = "SUBSTANCE"
    ABUSER_SUICIDE_THREAT = "ABUSER_SUICIDE_THREAT"
    ORDER_BREACH = "ORDER_BREACH"
    SUSPECT_PRESENT = "SUSPECT_PRESENT"
    ONGOING_ASSAULT = "ONGOING_ASSAULT"
    CHILDREN_PRESENT = "CHILDREN_PRESENT"
    CANNOT_SPEAK = "CANNOT_SPEAK"


class Speaker(StrEnum):
    CALLER = "CALLER"
    HANDLER = "HANDLER"


class Relationship(StrEnum):
    """The seven ways two people are "personally connected" (Domestic Abuse Act 2021 s2), or not."""

    MARRIED = "married"
    CIVIL_PARTNERS = "civil_partners"
    AGREED_TO_MARRY = "agreed_to_marry"
    CIVIL_PARTNERSHIP_AGREEMENT = "civil_partnership_agreement"
    INTIMATE_RELATIONSHIP = "intimate_relationship"
    PARENTS_SAME_CHILD = "parents_same_child"
    RELATIVES = "relatives"
    NOT_CONNECTED = "not_connected"


ALL_CODES: frozenset[str] = frozenset(code.value for code in CueCode)
