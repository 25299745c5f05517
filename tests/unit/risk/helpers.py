"""Building answer sets by hand, so each test states exactly which items were answered how."""

from __future__ import annotations

from collections.abc import Iterable

from heard.risk.instruments import Answer, Response, default_catalogue


def items(first: int, last: int) -> list[str]:
    return [str(n) for n in range(first, last + 1)]


def responses(
    yes: Iterable[str] = (),
    no: Iterable[str] = (),
    not_known: Iterable[str] = (),
    declined: Iterable[str] = (),
) -> dict[str, Response]:
    out: dict[str, Response] = {}
    for answer, ids in (
        (Answer.YES, yes),
        (Answer.NO, no),
        (Answer.NOT_KNOWN, not_known),
        (Answer.DECLINED, declined),
    ):
        for item_id in ids:
            assert item_id not in out, f"item {item_id} answered twice in the test itself"
            out[item_id] = Response(answer)
    return out


def instrument(instrument_id: str):
    found = default_catalogue().get(instrument_id)
    assert found is not None
    return found
