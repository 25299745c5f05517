"""Every taxonomy code is detected from a plain statement of it, and only when asserted."""

from __future__ import annotations

import pytest

from heard.signals.cues import ALL_CODES, CueCode
from tests.unit.cues.helpers import codes

# One fresh sentence per code (none is copied from the dev or held-out data).
ASSERTED = {
    CueCode.INJURY: "my partner punched me and my cheekbone is broken",
    CueCode.FEAR: "my husband slapped me and I'm absolutely terrified of him",
    CueCode.ISOLATION: "my boyfriend won't let me see my family any more",
    CueCode.VICTIM_SUICIDAL: "my partner hits me and I keep thinking I want to die",
    CueCode.SEPARATION: "we separated in June and he hit me tonight",
    CueCode.CHILD_CONTACT_CONFLICT: "my ex shoved me at the handover of the kids",
    CueCode.STALKING: "my ex keeps following me home from work",
    CueCode.PREGNANCY: "my boyfriend kicked me and I'm pregnant",
    CueCode.CHILDREN_AT_RISK: "my husband has hit our daughter",
    CueCode.ESCALATION: "my wife hits me and it's getting worse every week",
    CueCode.COERCIVE_CONTROL: "my husband checks my phone every night and he's so controlling",
    CueCode.WEAPON: "my partner has got a machete",
    CueCode.THREAT_TO_KILL: "my husband said he's going to kill me",
    CueCode.STRANGULATION: "my boyfriend had his hands round my throat",
    CueCode.SEXUAL_ABUSE: "my husband raped me",
    CueCode.HONOUR_BASED: "my uncles say I've brought shame on the family",
    CueCode.ANIMAL_ABUSE: "my boyfriend kicked my dog",
    CueCode.SUBSTANCE: "my husband hit me and he's off his face on coke",
    CueCode.ABUSER_SUICIDE_THREAT: "my boyfriend says he'll hang himself if I leave",
    CueCode.ORDER_BREACH: "my ex has a restraining order and he's banging on my door",
    CueCode.SUSPECT_PRESENT: "my husband hit me and he's downstairs",
    CueCode.ONGOING_ASSAULT: "my boyfriend is punching me",
    CueCode.CHILDREN_PRESENT: "my partner hit me and the kids are upstairs",
    CueCode.CANNOT_SPEAK: "[whispering] I can't talk, he's in the next room",
}


def test_every_taxonomy_code_has_an_example() -> None:
    assert {code.value for code in ASSERTED} == ALL_CODES


@pytest.mark.parametrize("code", list(ASSERTED), ids=lambda code: code.value)
def test_a_plain_statement_raises_its_cue(code: CueCode) -> None:
    assert code.value in codes(ASSERTED[code])


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (CueCode.WEAPON, "my partner hasn't got a knife"),
        (CueCode.STRANGULATION, "he has never strangled me"),
        (CueCode.THREAT_TO_KILL, "he has never threatened to kill me"),
        (CueCode.SUSPECT_PRESENT, "he hit me earlier but he's not here"),
        (CueCode.SEXUAL_ABUSE, "he never touched me"),
        (CueCode.FEAR, "he shouted at me but I'm not scared of him"),
    ],
)
def test_a_negated_statement_does_not_raise_the_cue(code: CueCode, sentence: str) -> None:
    assert code.value not in codes(sentence)


def test_the_detector_only_ever_outputs_taxonomy_codes() -> None:
    found = codes(*ASSERTED.values())
    assert found <= ALL_CODES
    assert len(found) >= 20
