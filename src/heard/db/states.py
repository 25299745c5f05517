"""State machines: an enum plus one table of allowed transitions."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Generic, TypeVar

S = TypeVar("S", bound=Enum)


class InvalidTransition(ValueError):
    def __init__(self, machine: str, current: Enum, target: Enum) -> None:
        super().__init__(f"{machine}: cannot move from {current.value!r} to {target.value!r}")
        self.current = current
        self.target = target


class StateMachine(Generic[S]):
    def __init__(self, name: str, transitions: Mapping[S, frozenset[S]]) -> None:
        self.name = name
        self.transitions = dict(transitions)

    def allowed(self, current: S, target: S) -> bool:
        return target in self.transitions.get(current, frozenset())

    def check(self, current: S, target: S) -> S:
        if not self.allowed(current, target):
            raise InvalidTransition(self.name, current, target)
        return target

    def terminal(self, state: S) -> bool:
        return not self.transitions.get(state)
