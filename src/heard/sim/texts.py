"""Short call narratives in a handler's words. Language about victims stays factual and never
blames: it says what the caller reports, not what the victim should have done."""

from __future__ import annotations

import random

DA_TEXTS = (
    "Caller reports {their} {rel} is shouting and has pushed {them}. {kids}",
    "Caller says {their} {rel} has hit {them} and is still in the house. {kids}",
    "Caller frightened, says {their} {rel} has threatened {them} and smashed a phone. {kids}",
    "Caller reports {their} {rel} will not let {them} leave the house. {kids}",
    "Caller says {their} {rel} came home drunk and grabbed {them} by the throat. {kids}",
    "Caller reports ongoing arguments with {their} {rel}, wants advice. {kids}",
)
STALKING_TEXTS = (
    "Caller says {their} {rel} is outside {their} address again and will not leave.",
    "Caller reports repeated messages and calls from {their} {rel} tonight.",
    "Caller says {their} {rel} followed {them} from work and is waiting by the car.",
    "Caller reports {their} {rel} has turned up at the door despite being told not to.",
)
THIRD_PARTY_TEXTS = (
    "Neighbour reports screaming and banging from next door.",
    "Caller reports hearing someone crying and someone shouting at the address.",
    "Family member worried about {their_v} safety after a call with {them_v}.",
    "Caller reports a couple arguing in the street, one has been pushed over.",
)
OTHER_TEXTS = {
    "theft": "Caller reports a bag stolen at {place}.",
    "antisocial_behaviour": "Caller reports youths causing a nuisance near {place}.",
    "road_traffic": "Two-vehicle collision near {place}, no serious injuries reported.",
    "concern_for_welfare": "Caller worried about a relative who has not answered for two days.",
    "assault": "Caller reports being punched outside {place} by someone not known to them.",
    "suspicious": "Caller reports someone trying car door handles on the street.",
    "criminal_damage": "Caller reports windows smashed at their address overnight.",
    "public_order": "Caller reports a group fighting outside {place}.",
    "burglary": "Caller reports a break-in at their address while they were out.",
    "mental_health": "Caller concerned about a family member in crisis.",
    "missing_person": "Caller reports a family member has not come home.",
    "fraud": "Caller reports money taken from their account after a phone call.",
}
BREACH_TEXT = "Caller says {their} {rel} has contacted {them} despite an order."


def pronouns(sex: str) -> tuple[str, str]:
    if sex == "female":
        return "her", "her"
    if sex == "male":
        return "his", "him"
    return "their", "them"


def da_text(
    rng: random.Random, *, sex: str, rel: str, kids: bool, stalking: bool, breach: bool
) -> str:
    their, them = pronouns(sex)
    if breach:
        template = BREACH_TEXT
    elif stalking:
        template = rng.choice(STALKING_TEXTS)
    else:
        template = rng.choice(DA_TEXTS)
    kid_text = "Children in the house." if kids else ""
    return template.format(their=their, them=them, rel=rel, kids=kid_text).strip()


def third_party_text(rng: random.Random, *, victim_sex: str) -> str:
    their, them = pronouns(victim_sex)
    return rng.choice(THIRD_PARTY_TEXTS).format(their_v=their, them_v=them)


def other_text(category: str, place: str) -> str:
    return OTHER_TEXTS[category].format(place=place)
