"""Idioms, games, food and sport do not raise cues; the caller's own danger still does."""

from __future__ import annotations

import pytest

from tests.unit.cues.helpers import codes, detect

TRAPS = {
    "a threat shouted in a video game": (
        "my son is on his xbox shouting I'll kill you at his mates online",
        "THREAT_TO_KILL",
    ),
    "a toddler choking on food": ("my toddler is choking on a grape, he can't breathe", None),
    "killing me meaning laughing": ("I was laughing so much, honestly he's killing me", None),
    "a shot in a football match": ("he took a shot in the match and it hit the bar", "WEAPON"),
    "a knife that was for the bread": ("he had a knife but it was for the bread", "WEAPON"),
    "pissed meaning annoyed": ("I'm a bit pissed off, someone parked on my drive", "SUBSTANCE"),
    "following on social media": ("someone keeps following me on instagram", "STALKING"),
    "weather getting worse": ("the weather is getting worse and a tree is down", "ESCALATION"),
    "a dog suffocating in a hot car": ("my dog is suffocating in the car, it's boiling", None),
    "a medical stabbing pain": ("I've got a stabbing pain in my chest", None),
}


@pytest.mark.parametrize("case", list(TRAPS), ids=list(TRAPS))
def test_a_trap_phrase_asserts_no_cue(case: str) -> None:
    sentence, _named = TRAPS[case]
    assert codes(sentence) == set()


def test_a_trap_call_is_not_domestic_abuse() -> None:
    result = detect("my brother is on his playstation shouting I'll kill you, it's just his game")
    assert not result.domestic_abuse
    assert result.codes() == []


def test_choking_by_a_partner_is_still_strangulation() -> None:
    assert "STRANGULATION" in codes("my boyfriend choked me until I couldn't breathe")


def test_a_knife_held_by_the_abuser_is_still_a_weapon() -> None:
    assert "WEAPON" in codes("my husband is holding a knife to my throat")


def test_fear_on_a_medical_call_is_not_a_warning_sign() -> None:
    assert codes("my dad's breathing is getting worse and I'm scared") == set()
