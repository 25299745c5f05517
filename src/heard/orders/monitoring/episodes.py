"""Alert episodes: the run rule that opens and closes them, and the alert records they produce."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from heard.orders.monitoring.points import US_PER_S

# Point classes for a condition (alert rules §2).
NEITHER = 0
MET = 1
CLEAR = 2

# What a step did to the episode.
UNCHANGED = 0
OPENED = 1
UPGRADED = 2
CLOSED = 3

CLOSING_RUN_POINTS = 3
CLOSING_RUN_US = 300 * US_PER_S


class AlertKind(StrEnum):
    ZONE_ENTRY = "zone_entry"
    PROXIMITY = "proximity"
    CURFEW = "curfew"
    NO_SIGNAL = "no_signal"
    TAMPER = "tamper"
    LOW_BATTERY = "low_battery"


class Confidence(StrEnum):
    CONFIRMED = "confirmed"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class Alert:
    """A snapshot of one episode. The live path stores the latest snapshot per `episode_key`.

    `condition` names the zone (its id) or curfew window the episode belongs to, empty for kinds
    that have one state per order. `end_ts` is None while the episode is open.
    """

    device_id: str
    order_id: str | int
    kind: AlertKind
    start_ts: int
    confidence: Confidence
    condition: str = ""
    end_ts: int | None = None

    @property
    def is_open(self) -> bool:
        return self.end_ts is None

    @property
    def episode_key(self) -> tuple[str, str, str, str, int]:
        return (self.device_id, str(self.order_id), self.kind, self.condition, self.start_ts)


class RunEpisode:
    """One condition's state machine: a met point opens; a clear run closes (rules §2).

    The episode closes at the first clear point that makes a run of at least 3 consecutive clear
    points spanning at least 300 s; a met or neither point breaks the run.
    """

    __slots__ = ("confirmed", "is_open", "run_count", "run_start", "start")

    def __init__(self) -> None:
        self.is_open = False
        self.start = 0
        self.confirmed = False
        self.run_count = 0
        self.run_start = 0

    def step(self, point_class: int, confirmed: bool, ts: int) -> int:
        if not self.is_open:
            if point_class == MET:
                self.is_open = True
                self.start = ts
                self.confirmed = confirmed
                self.run_count = 0
                return OPENED
            return UNCHANGED
        if point_class == CLEAR:
            if self.run_count == 0:
                self.run_start = ts
            self.run_count += 1
            if self.run_count >= CLOSING_RUN_POINTS and ts - self.run_start >= CLOSING_RUN_US:
                self.is_open = False
                return CLOSED
            return UNCHANGED
        self.run_count = 0
        if point_class == MET and confirmed and not self.confirmed:
            self.confirmed = True
            return UPGRADED
        return UNCHANGED

    def close(self) -> bool:
        """End the episode from outside (a curfew window ending); True if one was open."""
        was_open = self.is_open
        self.is_open = False
        self.run_count = 0
        return was_open

    @property
    def confidence(self) -> Confidence:
        return Confidence.CONFIRMED if self.confirmed else Confidence.POSSIBLE
