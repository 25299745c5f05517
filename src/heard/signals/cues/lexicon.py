"""Token normalisation: British/US spelling, slang, dropped apostrophes and common mishearings.

Speech recognition drops apostrophes and mishears words that sound alike. Mapping them to one
canonical token lets each rule be written once. Only forms that are not themselves ordinary words
are mapped, so that a real word is never rewritten into a risk word ("stranger" stays "stranger").
"""

from __future__ import annotations

_CONTRACTIONS = {
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "cant": "can't",
    "couldnt": "couldn't",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hadnt": "hadn't",
    "aint": "ain't",
    "im": "i'm",
    "ive": "i've",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "theyve": "they've",
    "youre": "you're",
    "thats": "that's",
    "theres": "there's",
    "whats": "what's",
    "cannot": "can't",
}

_SPELLING = {
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "mom": "mum",
    "moms": "mum's",
    "honor": "honour",
    "dishonor": "dishonour",
    "dishonored": "dishonoured",
    "dishonoring": "dishonouring",
    "jewelry": "jewellery",
    "fiance": "fiancé",
    "fiancee": "fiancée",
    "gf": "girlfriend",
    "bf": "boyfriend",
    "hubby": "husband",
    "missus": "wife",
    "missis": "wife",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "u": "you",
    "ur": "your",
    "tho": "though",
    "sez": "says",
    "preggers": "pregnant",
    "preggo": "pregnant",
    "preggy": "pregnant",
}

# Misheard or misspelt forms seen in speech-to-text output; none is an ordinary English word.
_MISHEARD = {
    "nife": "knife",
    "nive": "knife",
    "knif": "knife",
    "knive": "knife",
    "knifes": "knife",
    "nifes": "knife",
    "chocked": "choked",
    "choaked": "choked",
    "chokked": "choked",
    "chocking": "choking",
    "choakin": "choking",
    "chokin": "choking",
    "strangeled": "strangled",
    "strangld": "strangled",
    "stranggled": "strangled",
    "strangaled": "strangled",
    "strangulated": "strangled",
    "stangled": "strangled",
    "stranged": "strangled",
    "strangeling": "strangling",
    "strangleing": "strangling",
    "strangal": "strangle",
    "suffercate": "suffocate",
    "suffercated": "suffocated",
    "suffocateded": "suffocated",
    "pregnet": "pregnant",
    "pregant": "pregnant",
    "pregnat": "pregnant",
    "machetti": "machete",
    "machette": "machete",
    "matchete": "machete",
    "restrainin": "restraining",
    "molestaton": "molestation",
    "threatend": "threatened",
    "threatned": "threatened",
    "thretened": "threatened",
    "punshed": "punched",
    "stabed": "stabbed",
    "bleedin": "bleeding",
    "hittin": "hitting",
    "kickin": "kicking",
    "punchin": "punching",
    "followin": "following",
    "watchin": "watching",
    "drinkin": "drinking",
    "screamin": "screaming",
    "shoutin": "shouting",
    "tryin": "trying",
    "sayin": "saying",
    "gonna": "going to",
    "gunna": "going to",
    "wanna": "want to",
}

# A possessive whose apostrophe the recogniser dropped ("my boyfriends got a knife").
_POSSESSIVE_NOUNS = {
    "boyfriends": "boyfriend's",
    "girlfriends": "girlfriend's",
    "husbands": "husband's",
    "wifes": "wife's",
    "partners": "partner's",
    "dads": "dad's",
    "mums": "mum's",
    "exs": "ex's",
    "fiances": "fiancé's",
}

LEXICON: dict[str, str] = {**_CONTRACTIONS, **_SPELLING, **_MISHEARD, **_POSSESSIVE_NOUNS}


def normalise_token(raw: str) -> str:
    """Lower-case one word, fold curly apostrophes and map known variants to one form."""
    word = raw.lower().replace("\u2019", "'").replace("\u2018", "'")
    return LEXICON.get(word, word)
