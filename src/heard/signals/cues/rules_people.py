"""Who the people are to each other: the Domestic Abuse Act 2021 s2 "personally connected" types."""

from __future__ import annotations

from heard.signals.cues.rules_base import ANY_SPEAKER, REL_PREFIX, Rule, rule
from heard.signals.cues.taxonomy import Relationship as R

_POSSESSOR = r"(?:my|her|his|their|your|our|the)"
_CHILD_OF = r"(?:kids|kid's|children's|child's|son's|daughter's|baby's|babies|kids')"

# fmt: off
_PATTERNS: tuple[tuple[R, str], ...] = (
    (R.CIVIL_PARTNERSHIP_AGREEMENT, r"(?P<h>civil partnership agreement|agreed to (?:a |have a "
     r"|enter a )?civil partnership|booked (?:our|a|the) civil partnership)"),
    (R.CIVIL_PARTNERS, r"(?<!agreed to a )(?<!agreed to )(?<!booked our )(?<!booked a )"
     r"(?P<h>civil partner|civil partnership)(?! agreement)"),
    (R.MARRIED, _POSSESSOR + r" (?:ex |ex-)?(?P<h>husband|wife|spouse|ex-husband|ex-wife)(?:'s)?"),
    (R.MARRIED, r"(?P<h>(?:we're|we are|we've been|been|are you|we got|i'm|i am) married|"
     r"married (?:to him|to her|for))"),
    (R.AGREED_TO_MARRY, _POSSESSOR + r" (?:ex |ex-)?(?P<h>fiancé|fiancée|fiance|fiancee)(?:'s)?"),
    (R.AGREED_TO_MARRY, r"(?P<h>(?:we're|we are|we were|we got) engaged|engaged to)"),
    (R.INTIMATE_RELATIONSHIP, _POSSESSOR + r" (?:ex |ex-)?(?P<h>boyfriend|girlfriend|partner|"
     r"ex-boyfriend|ex-girlfriend|ex-partner|fella|bloke|man|other half|lover)(?:'s)?"
     r"(?! (?:from|at|in the|next))"),
    (R.INTIMATE_RELATIONSHIP, r"(?:my|her|his) (?P<h>ex)(?:'s)?"),
    (R.INTIMATE_RELATIONSHIP, r"(?P<h>girlfriends|boyfriends|girlfriend's|boyfriend's)"),
    (R.INTIMATE_RELATIONSHIP, r"(?P<h>(?:is it|it's) (?:a|your) partner|seeing (?:him|her)|"
     r"we live together|been together|dating)"),
    (R.PARENTS_SAME_CHILD, r"(?:my|our|her|his|the) " + _CHILD_OF + r" (?P<h>dad|father|mum|mother|"
     r"mom)|(?P<h2>baby (?:father|daddy|dad|mother|mum|mama))|(?P<h3>father of my (?:kids|children|"
     r"child|son|daughter|baby)|mother of (?:my|his) (?:kids|children|child))|(?P<h4>co-parent)"),
    (R.RELATIVES, _POSSESSOR + r" (?:younger |older |little |big |eldest |youngest |adult |"
     r"grown-up |own )?(?P<h>son|daughter|brother|sister|brothers|sisters|mum|mother|dad|father|"
     r"stepdad|stepfather|step-dad|stepmum|stepmother|uncle|uncles|aunt|auntie|cousin|cousins|"
     r"nephew|niece|grandson|granddaughter|grandad|granddad|grandma|gran|nan|nanna|grandfather|"
     r"grandmother|parents|family|in-laws|father-in-law|mother-in-law|brother-in-law|"
     r"sister-in-law|stepson|stepdaughter)(?:'s)?"),
    (R.NOT_CONNECTED, r"(?P<h>neighbour|neighbours|next door|stranger|a man|a bloke|a lad|a guy|"
     r"two lads|some (?:man|guy|bloke|lad|woman|girl)|a woman|flatmate|flatmate's|housemate|"
     r"colleague|my boss|landlord|customer|(?:don't|do not|didn't) (?:really )?know (?:him|her|"
     r"them|"
     r"who)|never (?:met|seen) (?:him|her|them)|not related|not friends|no idea who|"
     r"someone (?:i|we) (?:don't|do not) know|someone's trying|the boy)"),
)
# fmt: on

PEOPLE_RULES: tuple[Rule, ...] = tuple(
    rule(
        REL_PREFIX + relationship.value,
        pattern,
        speakers=ANY_SPEAKER,
        ignore=("negation", "hypothetical", "modal"),
        confidence=0.5 if relationship is R.NOT_CONNECTED else 0.8,
    )
    for relationship, pattern in _PATTERNS
)
