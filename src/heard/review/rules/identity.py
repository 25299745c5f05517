"""Which person ids in a case are probably one person recorded twice.

A force's records split people: a second subject made for someone already known, a record left
unlinked. A rule that counts people ("several victims") or follows one person ("her MARAC
referral") would then see two people where there is one. Two ids are taken as one person when
both carry the same date of birth and either a name recorded for one is close to a name recorded
for the other (a slip of the keyboard), or a first name of one appears among the other's names
(a change of surname, names written family-name first). A shared surname alone does not count,
so twins stay two people; without a date of birth on both, ids stay apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from difflib import SequenceMatcher

from heard.review.rules.case import Person

_NOT_LETTERS = re.compile(r"[^a-z]+")


def _normal(name: str) -> str:
    return _NOT_LETTERS.sub("", name.lower())


def _names(person: Person) -> list[str]:
    return [n for n in (_normal_words(x) for x in (person.name, *person.other_names) if x) if n]


def _normal_words(name: str) -> str:
    return " ".join(w for w in (_normal(part) for part in name.split()) if w)


def _close(a: str, b: str, similarity: float) -> bool:
    return SequenceMatcher(None, a, b).ratio() >= similarity


def same_details(a: Person, b: Person, *, similarity: float) -> bool:
    if a.date_of_birth is None or a.date_of_birth != b.date_of_birth:
        return False
    for one in _names(a):
        for two in _names(b):
            if _close(one.replace(" ", ""), two.replace(" ", ""), similarity):
                return True
            first_one, first_two = one.split()[0], two.split()[0]
            if any(_close(first_one, w, similarity) for w in two.split()) or any(
                _close(first_two, w, similarity) for w in one.split()
            ):
                return True
    return False


def canonical_ids(people: Iterable[Person], *, similarity: float) -> dict[str, str]:
    """Person id -> the smallest id of the group of ids recorded with the same details."""
    born: dict[date, list[Person]] = defaultdict(list)
    for person in people:
        if person.date_of_birth is not None and _names(person):
            born[person.date_of_birth].append(person)
    parent: dict[str, str] = {}

    def root(pid: str) -> str:
        while parent.setdefault(pid, pid) != pid:
            pid = parent[pid]
        return pid

    for group in born.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if same_details(first, second, similarity=similarity):
                    low, high = sorted((root(first.id), root(second.id)))
                    parent[high] = low
    return {pid: root(pid) for pid in parent}
