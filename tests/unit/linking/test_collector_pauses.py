"""The linking index is frozen out of the garbage collector's reach once built; filing a record
afterwards must not bring any of its big containers back, or the next young collections walk all
of it in the middle of a 999 call (16 ms per 600,000 names, twice; docs/benchmarks.md)."""

from __future__ import annotations

import gc

from heard.linking.linker import Linker
from heard.linking.records import LinkRecord

BIG = 2_000


def _letters(number: int) -> str:
    """Names are normalised to letters, so each number is spelt in them."""
    word = ""
    while True:
        number, at = divmod(number, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[at]
        if not number:
            return word


def _records(count: int) -> list[LinkRecord]:
    return [
        LinkRecord(
            f"R{i}",
            f"Ann{_letters(i % 700)}",
            f"Fam{_letters(i)}",
            f"19{50 + i % 50}-0{1 + i % 9}-1{i % 10}",
            f"07700 9{i:05d}",
            f"{i} Long Row",
            f"LS{i % 20} 1AA",
            "f" if i % 2 else "m",
        )
        for i in range(count)
    ]


def _big_young_containers() -> list[tuple[str, int]]:
    young = gc.get_objects(generation=0) + gc.get_objects(generation=1)
    return [
        (type(obj).__name__, len(obj))
        for obj in young
        if isinstance(obj, dict | list | set) and len(obj) >= BIG
    ]


def test_filing_a_record_after_the_build_leaves_no_big_container_for_the_young_collector():
    linker = Linker.build(_records(5 * BIG))  # collects, then freezes what it built
    try:
        gc.disable()  # nothing is promoted or untracked between the filing and the look
        linker.add(LinkRecord("late", "Annd", "Newname", "1980-01-01", "07700 955555"))
        linker.add(LinkRecord("late2", "Annd", "Famd", "1953-04-13", "07700 955556"))
        assert _big_young_containers() == []
    finally:
        gc.enable()
        gc.unfreeze()
