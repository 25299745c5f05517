"""What the simulator sent and how the server answered, counted per kind of request."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from heard.sim.live.timeline import Kind

ACCEPTED = "accepted"


@dataclass
class Stats:
    """Thread-safe counters; `outcomes[kind]` counts "accepted", "refused 404", "error ...",
    "skipped ..." and so on, and `examples` keeps the first server answer for each."""

    sent: Counter[Kind] = field(default_factory=Counter)
    outcomes: dict[Kind, Counter[str]] = field(default_factory=dict)
    examples: dict[tuple[Kind, str], str] = field(default_factory=dict)
    warnings: Counter[str] = field(default_factory=Counter)
    scenarios_started: Counter[str] = field(default_factory=Counter)
    background_calls: int = 0
    seconds: float = 0.0  # wall-clock time the run played for
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: Kind, outcome: str, *, example: str = "", sent: bool = True) -> None:
        with self._lock:
            if sent:
                self.sent[kind] += 1
            self.outcomes.setdefault(kind, Counter())[outcome] += 1
            if example and (kind, outcome) not in self.examples:
                self.examples[(kind, outcome)] = example[:300]

    def warn(self, message: str) -> None:
        with self._lock:
            self.warnings[message] += 1

    def count(self, kind: Kind, outcome: str = ACCEPTED) -> int:
        return self.outcomes.get(kind, Counter())[outcome]

    def refused(self) -> int:
        """Requests the server answered with an error, and requests that never got an answer."""
        return sum(
            n
            for counts in self.outcomes.values()
            for outcome, n in counts.items()
            if outcome.startswith(("refused", "error"))
        )

    def table(self) -> Table:
        table = Table("request", "sent", "accepted", "refused / failed", "skipped")
        table.title = f"Simulator summary ({self.seconds:.1f} s)"
        for kind in Kind:
            counts = self.outcomes.get(kind, Counter())
            if not counts:
                continue
            bad = ", ".join(
                f"{o.removeprefix('refused ')}: {n}"
                for o, n in sorted(counts.items())
                if o.startswith(("refused", "error"))
            )
            skipped = ", ".join(
                f"{o.removeprefix('skipped: ')}: {n}"
                for o, n in sorted(counts.items())
                if o.startswith("skipped")
            )
            table.add_row(kind.value, str(self.sent[kind]), str(counts[ACCEPTED]), bad, skipped)
        return table

    def print(self, console: Console) -> None:
        console.print(self.table())
        started = ", ".join(f"{name}: {n}" for name, n in sorted(self.scenarios_started.items()))
        console.print(f"scenarios started: {started or 'none'}")
        console.print(f"background calls: {self.background_calls}")
        for message, n in sorted(self.warnings.items()):
            console.print(f"[yellow]warning ({n} times): {message}[/yellow]")
        for (kind, outcome), example in sorted(self.examples.items()):
            if outcome != ACCEPTED:
                console.print(f"[red]{kind.value} {outcome}[/red], first answer: {example}")
