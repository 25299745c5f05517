"""Ordinary calls a control room takes all night: none of them domestic abuse.

Weights follow the broad shape of police demand (welfare, anti-social behaviour, traffic and theft
lead; assaults between strangers and burglaries are fewer). `{place}` and `{street}` are filled
from the caller's area. Lines are what a speech-to-text engine would give: some punctuated, some
lower case without punctuation.
"""

from __future__ import annotations

from dataclasses import dataclass

from heard.incidents.models import Category


@dataclass(frozen=True)
class CallKind:
    category: Category
    weight: float
    emergency_share: float  # the rest come in on 101 (and a few online)
    free_text: str
    lines: tuple[tuple[str, str], ...]
    disposition: str
    # A second person named on the call, e.g. a stranger who assaulted the caller.
    other_role: str | None = None


KINDS: tuple[CallKind, ...] = (
    CallKind(
        Category.CONCERN_FOR_WELFARE,
        0.16,
        0.4,
        "Caller worried about an elderly neighbour on {street}; curtains not opened for two days.",
        (
            ("handler", "Police, what's happened?"),
            (
                "caller",
                "my neighbour's curtains have been shut for two days and she's not answering",
            ),
            ("handler", "Does anyone else have a key to the house?"),
            ("caller", "No, I don't think so. She's usually out every morning."),
        ),
        "officers_dispatched",
    ),
    CallKind(
        Category.ANTISOCIAL_BEHAVIOUR,
        0.14,
        0.2,
        "Youths throwing stones at windows near {place}.",
        (
            ("handler", "Police, how can I help?"),
            ("caller", "there's a group of lads chucking stones at the windows by the {place}"),
            ("handler", "How many of them are there, roughly?"),
            ("caller", "about six of them they've been at it for an hour"),
        ),
        "patrol_requested",
    ),
    CallKind(
        Category.ROAD_TRAFFIC,
        0.12,
        0.85,
        "Two-car collision on {street}, one driver shaken, road partly blocked.",
        (
            ("handler", "Police emergency. Where are you?"),
            ("caller", "on {street} two cars have gone into each other"),
            ("handler", "Is anybody hurt? Do you need an ambulance?"),
            ("caller", "No, nobody's hurt, one of the drivers is a bit shaken up."),
        ),
        "officers_dispatched",
    ),
    CallKind(
        Category.THEFT,
        0.12,
        0.3,
        "Caller's bike stolen from outside {place}.",
        (
            ("handler", "Police, what's the problem?"),
            ("caller", "someone's nicked my bike from outside the {place} it was locked up"),
            ("handler", "When did you last see it?"),
            ("caller", "About twenty minutes ago."),
        ),
        "crime_reference_given",
    ),
    CallKind(
        Category.SUSPICIOUS,
        0.10,
        0.6,
        "Person trying car door handles on {street}.",
        (
            ("handler", "Police emergency, what's happening?"),
            ("caller", "there's a man going along {street} trying all the car doors"),
            ("handler", "Can you describe him for me?"),
            ("caller", "dark hoodie grey joggers he's heading towards the main road"),
        ),
        "officers_dispatched",
    ),
    CallKind(
        Category.ASSAULT,
        0.08,
        0.9,
        "Caller punched by a man not known to them outside {place}; minor injury.",
        (
            ("handler", "Police emergency. Are you safe now?"),
            ("caller", "yeah he's gone now some bloke I've never seen before just punched me"),
            ("handler", "Do you need an ambulance?"),
            ("caller", "No, it's just a cut lip."),
        ),
        "officers_dispatched",
        "suspect",
    ),
    CallKind(
        Category.CRIMINAL_DAMAGE,
        0.07,
        0.2,
        "Car window smashed overnight on {street}.",
        (
            ("handler", "Police, how can I help?"),
            ("caller", "I've come out this morning and my car window's been put in"),
            ("handler", "Has anything been taken from the car?"),
            ("caller", "no nothing just the window"),
        ),
        "crime_reference_given",
    ),
    CallKind(
        Category.MENTAL_HEALTH,
        0.07,
        0.6,
        "Caller concerned about a man in distress near {place}.",
        (
            ("handler", "Police emergency, what's happened?"),
            ("caller", "there's a man sat near the {place} crying he says he's had enough"),
            ("handler", "Stay on the line with me. Is he hurt at all?"),
            ("caller", "I don't think so he's just very upset"),
        ),
        "officers_dispatched",
    ),
    CallKind(
        Category.MISSING_PERSON,
        0.05,
        0.7,
        "Caller's teenage nephew has not come home; last seen near {place}.",
        (
            ("handler", "Police emergency. Who's missing?"),
            ("caller", "my nephew he's fifteen he was meant to be home at eight"),
            ("handler", "Where was he last seen?"),
            ("caller", "By the {place}, with his mates."),
        ),
        "officers_dispatched",
    ),
    CallKind(
        Category.BURGLARY,
        0.05,
        0.6,
        "Caller home to find the back door forced; nobody inside now.",
        (
            ("handler", "Police emergency. Is anyone still in the house?"),
            ("caller", "no I don't think so the back door's been forced"),
            ("handler", "Please don't touch anything. What's been taken?"),
            ("caller", "the telly and my laptop"),
        ),
        "officers_dispatched",
    ),
    CallKind(
        Category.PUBLIC_ORDER,
        0.04,
        0.8,
        "Group shouting and squaring up outside {place}.",
        (
            ("handler", "Police emergency, what's going on?"),
            ("caller", "there's a big group outside the {place} shouting and squaring up"),
            ("handler", "Has anyone been hurt?"),
            ("caller", "Not yet."),
        ),
        "officers_dispatched",
    ),
)
