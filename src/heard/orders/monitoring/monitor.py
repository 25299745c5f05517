"""One order's checks on its subject device's points, in time order (alert rules §4)."""

from __future__ import annotations

from heard.orders.monitoring.curfew import CurfewWindows, day_label
from heard.orders.monitoring.episodes import (
    CLEAR,
    CLOSED,
    MET,
    NEITHER,
    UNCHANGED,
    Alert,
    AlertKind,
    Confidence,
    RunEpisode,
)
from heard.orders.monitoring.geo import haversine_m, latitude_gap_m
from heard.orders.monitoring.points import US_PER_S, Point
from heard.orders.monitoring.spec import OrderSpec

FRESH_US = 600 * US_PER_S
BATTERY_HYSTERESIS_PCT = 5.0


class DeviceState:
    """What the processor knows of one device: its last processed point and its orders."""

    __slots__ = ("device_id", "last_ts", "latest", "monitors", "pending")

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        self.last_ts: int | None = None
        self.latest: Point | None = None
        self.monitors: list[OrderMonitor] = []
        self.pending: set[int] = set()


class _CurfewState:
    __slots__ = ("day", "episode", "windows")

    def __init__(self, windows: CurfewWindows) -> None:
        self.windows = windows
        self.day: int | None = None
        self.episode = RunEpisode()


class OrderMonitor:
    """Every alert kind of one order, fed the subject device's points in time order."""

    __slots__ = (
        "battery_open",
        "battery_start",
        "curfews",
        "gap_from",
        "no_signal_us",
        "order_id",
        "protected",
        "proximity",
        "retired",
        "silence_queued",
        "spec",
        "subject",
        "tamper",
        "zone_episodes",
    )

    def __init__(
        self, spec: OrderSpec, subject: DeviceState, protected: DeviceState | None
    ) -> None:
        self.spec = spec
        self.order_id = spec.order_id
        self.subject = subject
        self.protected = protected if spec.proximity_m is not None else None
        self.zone_episodes = [RunEpisode() for _ in spec.zones]
        self.proximity = RunEpisode()
        self.curfews = [_CurfewState(CurfewWindows(c)) for c in spec.curfews]
        self.tamper = RunEpisode()
        self.battery_open = False
        self.battery_start = 0
        minutes = spec.no_signal_minutes
        self.no_signal_us = None if minutes is None else round(minutes * 60 * US_PER_S)
        # The t_k of a gap whose no_signal episode is open, so it is raised once.
        self.gap_from: int | None = None
        self.silence_queued = False
        # Set when the live register drops or replaces this order (MonitoringProcessor.set_orders).
        self.retired = False

    def _alert(
        self,
        kind: AlertKind,
        start: int,
        confidence: Confidence = Confidence.CONFIRMED,
        condition: str = "",
        end: int | None = None,
    ) -> Alert:
        return Alert(self.subject.device_id, self.order_id, kind, start, confidence, condition, end)

    def _run(
        self,
        episode: RunEpisode,
        kind: AlertKind,
        change: int,
        ts: int,
        condition: str,
        out: list[Alert],
    ) -> None:
        if change != UNCHANGED:
            end = ts if change == CLOSED else None
            out.append(self._alert(kind, episode.start, episode.confidence, condition, end))

    def on_point(self, point: Point, previous_ts: int | None, out: list[Alert]) -> None:
        if self.no_signal_us is not None and previous_ts is not None:
            self._gap_ends(previous_ts, point.ts, out)
        ts = point.ts
        tamper = self.tamper
        if point.tamper or tamper.is_open:
            change = tamper.step(MET if point.tamper else CLEAR, True, ts)
            self._run(tamper, AlertKind.TAMPER, change, ts, "", out)
        if point.battery is not None and self.spec.low_battery_pct is not None:
            self._battery(point.battery, ts, out)
        if self.zone_episodes:
            self._zones(point, out)
        if self.protected is not None:
            self._proximity(point, out)
        if self.curfews:
            self._curfews(point, out)

    def _gap_ends(self, previous_ts: int, ts: int, out: list[Alert]) -> None:
        limit = self.no_signal_us
        assert limit is not None
        if self.gap_from == previous_ts:
            out.append(self._alert(AlertKind.NO_SIGNAL, previous_ts + limit, end=ts))
            self.gap_from = None
        elif ts - previous_ts > limit:
            out.append(self._alert(AlertKind.NO_SIGNAL, previous_ts + limit, end=ts))

    def on_silence(self, last_ts: int, watermark: int, out: list[Alert]) -> None:
        """Open no_signal when every point up to `watermark` is in and none followed `last_ts`."""
        limit = self.no_signal_us
        if limit is None or self.gap_from == last_ts or watermark - last_ts <= limit:
            return
        self.gap_from = last_ts
        out.append(self._alert(AlertKind.NO_SIGNAL, last_ts + limit))

    def _battery(self, battery: float, ts: int, out: list[Alert]) -> None:
        threshold = self.spec.low_battery_pct
        assert threshold is not None
        if not self.battery_open and battery < threshold:
            self.battery_open = True
            self.battery_start = ts
            out.append(self._alert(AlertKind.LOW_BATTERY, ts))
        elif self.battery_open and battery > threshold + BATTERY_HYSTERESIS_PCT:
            self.battery_open = False
            out.append(self._alert(AlertKind.LOW_BATTERY, self.battery_start, end=ts))

    def _zones(self, point: Point, out: list[Alert]) -> None:
        acc = point.accuracy_m
        for zone, episode in zip(self.spec.zones, self.zone_episodes, strict=True):
            depth = zone.depth(point.lat, point.lon, acc)
            if depth is None:
                if not episode.is_open:
                    continue
                point_class = CLEAR
            elif depth >= 0.0:
                point_class = MET
            elif -depth > acc:
                point_class = CLEAR
            else:
                point_class = NEITHER
            change = episode.step(point_class, depth is not None and depth > acc, point.ts)
            self._run(episode, AlertKind.ZONE_ENTRY, change, point.ts, zone.zone_id, out)

    def _proximity(self, point: Point, out: list[Alert]) -> None:
        assert self.protected is not None and self.spec.proximity_m is not None
        victim = self.protected.latest
        limit = self.spec.proximity_m
        confirmed = False
        if victim is None or point.ts - victim.ts > FRESH_US:
            point_class = NEITHER
        else:
            slack = point.accuracy_m + victim.accuracy_m
            if latitude_gap_m(point.lat, victim.lat) - slack >= limit:
                point_class = CLEAR
            else:
                distance = haversine_m(point.lat, point.lon, victim.lat, victim.lon)
                point_class = MET if distance - slack < limit else CLEAR
                confirmed = distance + slack < limit
        episode = self.proximity
        if point_class == MET or episode.is_open:
            change = episode.step(point_class, confirmed, point.ts)
            self._run(episode, AlertKind.PROXIMITY, change, point.ts, "", out)

    def _curfews(self, point: Point, out: list[Alert]) -> None:
        ts = point.ts
        for index, state in enumerate(self.curfews):
            day = state.windows.window_at(ts)
            if day != state.day:
                self._end_window(state, index, out)
                state.day = day
            if day is None:
                continue
            home = state.windows.spec.home
            distance = haversine_m(point.lat, point.lon, home.lat, home.lon)
            acc = point.accuracy_m
            if distance > home.radius_m:
                point_class = MET
            elif home.radius_m - distance > acc:
                point_class = CLEAR
            else:
                point_class = NEITHER
            change = state.episode.step(point_class, distance - home.radius_m > acc, ts)
            if change != UNCHANGED:
                label = f"curfew{index}@{day_label(day)}"
                self._run(state.episode, AlertKind.CURFEW, change, ts, label, out)

    def _end_window(self, state: _CurfewState, index: int, out: list[Alert]) -> None:
        """A window's episode ends with the window at the latest (rules §4 curfew)."""
        if state.day is None or not state.episode.close():
            return
        label = f"curfew{index}@{day_label(state.day)}"
        end = state.windows.end_of(state.day)
        episode = state.episode
        out.append(self._alert(AlertKind.CURFEW, episode.start, episode.confidence, label, end))

    def finish(self, feed_end: int, out: list[Alert]) -> None:
        """Close curfew windows that ended before the feed did."""
        for index, state in enumerate(self.curfews):
            if state.day is not None and state.windows.end_of(state.day) <= feed_end:
                self._end_window(state, index, out)
                state.day = None
