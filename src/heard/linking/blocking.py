"""The in-memory blocking index: which indexed records are worth scoring against a new one.

Each record is filed under several keys, so that a true match is found when any one of them
survives the variation between two recordings of a person: sound-alike names, a nickname or
transliteration with the family name, the date of birth, the phone, the postcode with either
initial (a changed family name still meets by postcode and forename). A query also looks under
its names swapped and its day and month swapped. Records are added one at a time; nothing is
ever rebuilt.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from heard.linking.prepared import Prepared

# A key shared by more records than this says little about any one of them (a placeholder date
# of birth, a hostel postcode) and would make the query slow; such blocks are not scored.
DEFAULT_MAX_BLOCK = 1500
# How many candidates a query gathers before it stops opening larger blocks (see candidates()).
# At a million people 1,000 halved the comparisons and changed no link; 400 changed no link of
# 10,000 held-out appearances either (link F1 0.9469 both) and cut matching p99 from 11 to 4 ms
# (docs/benchmarks.md).
DEFAULT_BUDGET = 400
SMALL_BLOCK = 50
# Words that open an address without saying where it is.
_ADDRESS_NOISE = frozenset(
    ["flat", "apartment", "apt", "unit", "room", "house", "the", "floor", "block"]
)


def _name_keys(given: str | None, family: str | None, prefix: str) -> list[str]:
    return [f"{prefix}{given}|{family}"] if given and family else []


def address_key(address: str | None) -> str | None:
    """House number and street name ("12|judkins"): survives a mistyped postcode or name."""
    if not address:
        return None
    number = ""
    words: list[str] = []
    for token in address.split():
        if token[0].isdigit():
            if not number and not words:
                number = token
            continue
        if len(token) >= 3 and token not in _ADDRESS_NOISE:
            words.append(token)
            if number or len(words) == 2:
                break
    if not words:
        return None
    return f"{number}|{'|'.join(words)}"


def index_keys(record: Prepared) -> list[str]:
    keys = _name_keys(record.given_phonetic, record.family_phonetic, "n:")
    keys += _name_keys(record.given_nysiis, record.family_nysiis, "y:")
    if record.family_phonetic:
        keys += [f"v:{group}|{record.family_phonetic}" for group in record.given_groups]
    keys += _name_keys(record.given_skeleton, record.family_skeleton, "k:")
    if record.dob is not None:
        keys.append(f"d:{record.dob.iso()}")
    if record.phone:
        keys.append(f"p:{record.phone}")
    street = address_key(record.address)
    if street:
        keys.append(f"a:{street}")
    if record.postcode:
        if record.family:
            keys.append(f"c:{record.postcode}|{record.family[0]}")
        if record.given:
            keys.append(f"g:{record.postcode}|{record.given[0]}")
    return keys


def query_keys(record: Prepared) -> list[str]:
    keys = index_keys(record)
    keys += _name_keys(record.family_phonetic, record.given_phonetic, "n:")
    keys += _name_keys(record.family_nysiis, record.given_nysiis, "y:")
    dob = record.dob
    if dob is not None and dob.day != dob.month and dob.day <= 12:
        keys.append(f"d:{dob.year:04d}-{dob.day:02d}-{dob.month:02d}")
    # Deduplicated in order: a key repeated would only repeat work.
    return list(dict.fromkeys(keys))


class BlockingIndex:
    """Record numbers filed under each blocking key; a block of one is stored as a bare int."""

    def __init__(self, max_block: int = DEFAULT_MAX_BLOCK, budget: int = DEFAULT_BUDGET) -> None:
        self.max_block = max_block
        self.budget = budget
        # Most keys (a phone, a date with a name) hold a single record; a bare int instead of a
        # one-element list saves about 80 bytes per key at a million records.
        self._blocks: dict[str, int | list[int]] = {}

    def __len__(self) -> int:
        return len(self._blocks)

    def add(self, number: int, record: Prepared) -> None:
        blocks = self._blocks
        for key in dict.fromkeys(index_keys(record)):
            held = blocks.get(key)
            if held is None:
                blocks[key] = number
            elif isinstance(held, int):
                blocks[key] = [held, number]
            else:
                held.append(number)

    def candidates(self, record: Prepared) -> set[int]:
        """Numbers of the records sharing at least one usable key with this one.

        Blocks are taken smallest first: a shared phone, date of birth or address says more than
        a shared common name. Once `budget` candidates are held, larger blocks are left out, so a
        common name in a force of millions cannot turn one query into thousands of comparisons;
        blocks of up to SMALL_BLOCK records are always taken."""
        found: set[int] = set()
        blocks: list[list[int]] = []
        for key in query_keys(record):
            held = self._blocks.get(key)
            if held is None:
                continue
            if isinstance(held, int):
                found.add(held)
            elif len(held) <= self.max_block:
                blocks.append(held)
        blocks.sort(key=len)
        for held in blocks:
            if len(held) > SMALL_BLOCK and len(found) + len(held) > self.budget:
                break
            found.update(held)
        return found

    def block_sizes(self) -> Iterator[int]:
        for held in self._blocks.values():
            yield 1 if isinstance(held, int) else len(held)

    def sample_pairs(
        self, limit: int, rng: random.Random, max_block: int = 50
    ) -> list[tuple[int, int]]:
        """Distinct pairs of records that share a key, sampled evenly up to `limit`.

        These are the pairs EM learns from: sharing a block makes a match likely enough that
        matches and non-matches are both well represented. Large blocks are left out because
        their pairs are almost all non-matches and would drown the signal.
        """
        pairs: set[tuple[int, int]] = set()
        blocks = [held for held in self._blocks.values() if isinstance(held, list)]
        rng.shuffle(blocks)
        for held in blocks:
            if len(held) > max_block:
                continue
            for i, left in enumerate(held):
                for right in held[i + 1 :]:
                    if left != right:
                        pairs.add((left, right) if left < right else (right, left))
            if len(pairs) >= limit:
                break
        return sorted(pairs)[:limit]
