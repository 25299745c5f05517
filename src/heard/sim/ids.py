"""Identifiers assigned by the generator, so rows can reference each other before they are written
and the same seed gives the same ids on SQLite and PostgreSQL."""

from __future__ import annotations


class Ids:
    def __init__(self, start_after: dict[str, int] | None = None) -> None:
        self._last: dict[str, int] = dict(start_after or {})

    def next(self, table: str) -> int:
        value = self._last.get(table, 0) + 1
        self._last[table] = value
        return value

    def last(self, table: str) -> int:
        return self._last.get(table, 0)
