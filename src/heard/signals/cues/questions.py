"""A handler's closed question and the caller's short answer assert a cue together.

"Is he still in the house?" followed by "Yes" asserts SUSPECT_PRESENT although neither segment does
alone. Some questions take "no" as the warning ("Can you talk freely?" - "No"); "where" questions
are answered by a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from heard.signals.cues.rules_base import ABUSE, ORDER, REL_PREFIX, expand
from heard.signals.cues.taxonomy import CueCode as C
from heard.signals.cues.taxonomy import Relationship as R


class Answer(Enum):
    YES = "yes"
    NO = "no"
    PLACE = "place"


@dataclass(frozen=True, slots=True)
class Question:
    codes: tuple[str, ...]
    pattern: re.Pattern[str]
    answered_by: Answer


def _q(codes: tuple[str, ...], pattern: str, answered_by: Answer = Answer.YES) -> Question:
    return Question(codes, re.compile(r"(?<!\S)(?:" + expand(pattern) + r")(?!\S)"), answered_by)


_PERSON = r"(?:he|she|they|the person|the man|the woman|your \S+|him|her)"

# fmt: off
QUESTIONS: tuple[Question, ...] = (
    _q((C.SUSPECT_PRESENT,), r"(?:is|are) " + _PERSON + r"(?: who's hurting you)? (?:still )?"
       r"(?:there|here|with you|in the (?:house|flat|property|room)|inside|outside|at the door|"
       r"nearby|present|in)"),
    _q((C.SUSPECT_PRESENT,), r"where(?:'s| is| are) " + _PERSON + r"(?: now| right now)?",
       Answer.PLACE),
    _q((C.CHILDREN_PRESENT,), r"(?:are there|is there|have you got|"
       r"do you have) (?:any )?(?:children"
       r"|kids|child|babies|baby)|anyone else (?:in|there|with you)"),
    _q((C.CHILDREN_PRESENT,), r"where are the (?:children|kids)", Answer.PLACE),
    _q((C.WEAPON,), r"(?:weapons?|knife|knives|gun)"),
    _q((C.FEAR,), r"(?:are|were) you (?:\S+ )?(?:scared|frightened|afraid|fearful|terrified)"),
    _q((C.STRANGULATION,), r"(?:strangle|choke|strangled|choked|suffocate|round your neck|"
       r"round your throat)"),
    _q((C.THREAT_TO_KILL,), r"threaten(?:ed)? to kill|threats to kill"),
    _q((C.SUBSTANCE,), r"(?:drunk|drinking|been drinking|taken anything|on drugs|taken drugs)"),
    _q((C.PREGNANCY,), r"pregnant"),
    _q((C.SEXUAL_ABUSE,), r"(?:sexual|raped|rape)"),
    _q((C.STALKING,), r"(?:following you|stalking you|turning up)"),
    _q((C.CANNOT_SPEAK,), r"(?:unable to|can't|cannot) (?:talk|speak)|pretending to (?:talk|be)"),
    _q((C.CANNOT_SPEAK, C.SUSPECT_PRESENT), r"someone (?:with you|there) (?:who )?you can't talk"),
    _q((C.CANNOT_SPEAK,), r"(?:can|are) you (?:able to )?(?:talk|speak)(?: freely)?|(?:is it|"
       r"are you)"
       r" safe to (?:talk|speak)", Answer.NO),
    _q((ABUSE,), r"(?:hurting you|hurt you|hit you|been violent|attacked you)"),
    _q((ORDER,), r"(?:order|bail|injunction)"),
    _q((REL_PREFIX + R.MARRIED.value,), r"(?:are you married|your husband|your wife)"),
    _q((REL_PREFIX + R.INTIMATE_RELATIONSHIP.value,), r"(?:(?:a|your) partner|your boyfriend|"
       r"your girlfriend|your ex)"),
)
# fmt: on

_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|aye|yes yes|uh huh|mm hmm|mhm|he is|she is|they are|he has|she has|"
    r"he does|she does|he did|she did|i am|correct|definitely|always|all the time|i think so)(?!\S)"
)
_NO = re.compile(r"^(?:no|nope|nah|not really|never|he's not|he isn't|she isn't|he hasn't)(?!\S)")
_PLACE = re.compile(
    r"(?<!\S)(?:here|downstairs|upstairs|outside|in the \S+(?: room)?|at the (?:door|window|gate)|"
    r"next door|in his room|in her room|in their (?:room|bedroom)|in my car|with me)(?!\S)"
)


def answer_matches(question: Question, answer_head: str) -> bool:
    """Whether the first words of the caller's reply answer this question with the warning."""
    if question.answered_by is Answer.YES:
        return bool(_YES.match(answer_head))
    if question.answered_by is Answer.NO:
        return bool(_NO.match(answer_head))
    return not _NO.match(answer_head) and bool(_PLACE.search(answer_head))
