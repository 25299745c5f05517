"""The streaming monitoring processor, shared by the live telemetry path and `heard orders replay`.

Points may arrive a few seconds out of time order and duplicated. The processor holds each point
in a reorder buffer until the watermark passes it, then processes every device's points in time
order, all devices interleaved by time, so a protected device's point is always in place before
a subject point at the same or a later time asks for it. The watermark trails the largest time
seen by `lateness_s`; a live caller may also push it with `advance()` (for example to wall-clock
time minus the lateness) so that silent devices raise no_signal without waiting for other points.
One processor is driven from one thread (or one asyncio task) at a time; it does no locking.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from heard.orders.monitoring.episodes import Alert
from heard.orders.monitoring.monitor import DeviceState, OrderMonitor
from heard.orders.monitoring.points import US_PER_S, Point
from heard.orders.monitoring.spec import OrderSpec

DEFAULT_LATENESS_S = 60.0
_NO_WATERMARK = -(2**63)


@dataclass
class ProcessorStats:
    """Counts for operators: why points were not processed, and how much was."""

    received: int = 0
    processed: int = 0
    duplicates: int = 0
    late_dropped: int = 0
    unmonitored: int = 0


class MonitoringProcessor:
    """Turns points into alert snapshots (opened, upgraded to confirmed, closed)."""

    def __init__(self, orders: Sequence[OrderSpec], *, lateness_s: float = DEFAULT_LATENESS_S):
        if lateness_s < 0:
            raise ValueError("lateness_s must not be negative")
        self.lateness_us = round(lateness_s * US_PER_S)
        # A point exactly `lateness_s` behind the newest is still in time, so hold one us more.
        self._hold_us = self.lateness_us + 1
        self.stats = ProcessorStats()
        self._devices: dict[str, DeviceState] = {}
        self._buffer: list[tuple[int, int, Point]] = []
        # At most one entry per monitor: (earliest possible no_signal deadline, seq, monitor).
        self._silence: list[tuple[int, int, OrderMonitor]] = []
        self._seq = itertools.count()
        self._max_seen: int | None = None
        self._watermark = _NO_WATERMARK
        self._out: list[Alert] = []
        self._keys: dict[Hashable, OrderMonitor] = {}
        self.set_orders(orders)

    def set_orders(
        self, orders: Sequence[OrderSpec], *, keys: Sequence[Hashable] | None = None
    ) -> None:
        """Swap the monitored orders while running (the live register changed).

        An order whose key (default: its order_id) is unchanged keeps its episodes; a new or
        changed order starts afresh from its device's next point, with that device's position
        and last time kept; a removed order stops raising alerts at once.
        """
        chosen = list(keys) if keys is not None else [spec.order_id for spec in orders]
        if len(chosen) != len(orders) or len(set(chosen)) != len(chosen):
            raise ValueError("give one different key per order")
        previous, self._keys = self._keys, {}
        for device in self._devices.values():
            device.monitors = []
        for spec, key in zip(orders, chosen, strict=True):
            monitor = previous.pop(key, None)
            subject = self._device(spec.subject_device)
            if monitor is None or monitor.subject is not subject:
                monitor = self._new_monitor(spec, subject)
            subject.monitors.append(monitor)
            self._keys[key] = monitor
        for retired in previous.values():
            retired.retired = True

    def _new_monitor(self, spec: OrderSpec, subject: DeviceState) -> OrderMonitor:
        protected = None
        if spec.protected_device is not None:
            protected = self._device(spec.protected_device)
        monitor = OrderMonitor(spec, subject, protected)
        if subject.last_ts is not None and monitor.no_signal_us is not None:
            # Added to a device that already reports: its silence clock runs from the last point.
            monitor.silence_queued = True
            deadline = subject.last_ts + monitor.no_signal_us
            heapq.heappush(self._silence, (deadline, next(self._seq), monitor))
        return monitor

    @property
    def next_release(self) -> int | None:
        """The time (epoch us) the watermark must reach to release the oldest held point."""
        return self._buffer[0][0] + self._hold_us if self._buffer else None

    def _device(self, device_id: str) -> DeviceState:
        state = self._devices.get(device_id)
        if state is None:
            state = self._devices[device_id] = DeviceState(device_id)
        return state

    @property
    def max_seen(self) -> int | None:
        """The largest point time received (any device): the feed end of a replay."""
        return self._max_seen

    @property
    def watermark(self) -> int:
        return self._watermark

    def ingest(self, point: Point) -> list[Alert]:
        """Accept one point; return the alert snapshots that points now due produced."""
        self._accept(point)
        self._release(self._watermark_for_max())
        return self._take()

    def ingest_many(self, points: Iterable[Point]) -> list[Alert]:
        """Accept a batch (one HTTP request, or a chunk of a replay) in arrival order.

        The watermark moves after every point, exactly as with `ingest`, so how a feed is cut
        into batches never changes what is processed or dropped.
        """
        accept = self._accept
        release = self._release
        lateness = self._hold_us
        for point in points:
            accept(point)
            high = self._max_seen
            assert high is not None
            if high - lateness > self._watermark or point.ts <= self._watermark:
                release(high - lateness)
        return self._take()

    def advance(self, watermark: int) -> list[Alert]:
        """Declare that every point up to `watermark` (epoch us) has arrived; process them."""
        self._release(watermark)
        return self._take()

    def finish(self, feed_end: int | None = None) -> list[Alert]:
        """End of feed: process everything held and raise the feed-end no_signal alerts."""
        end = self._max_seen if feed_end is None else feed_end
        if end is None:
            return self._take()
        self._release(max(end, self._max_seen or end), silence_until=end)
        for device in self._devices.values():
            for monitor in device.monitors:
                monitor.finish(end, self._out)
        return self._take()

    def _accept(self, point: Point) -> None:
        stats = self.stats
        stats.received += 1
        ts = point.ts
        if self._max_seen is None or ts > self._max_seen:
            self._max_seen = ts
        device = self._devices.get(point.device_id)
        if device is None:
            stats.unmonitored += 1
            return
        last = device.last_ts
        if ts in device.pending or (last is not None and ts == last):
            # Same device and time: a copy, or a second point the rules say to drop (keep first).
            stats.duplicates += 1
        elif last is not None and ts < last:
            stats.late_dropped += 1
        else:
            device.pending.add(ts)
            heapq.heappush(self._buffer, (ts, next(self._seq), point))

    def _watermark_for_max(self) -> int:
        if self._max_seen is None:
            return self._watermark
        return self._max_seen - self._hold_us

    def _release(self, watermark: int, silence_until: int | None = None) -> None:
        if watermark > self._watermark:
            self._watermark = watermark
        watermark = self._watermark
        buffer = self._buffer
        while buffer and buffer[0][0] <= watermark:
            ts = buffer[0][0]
            group = [heapq.heappop(buffer)[2]]
            while buffer and buffer[0][0] == ts:
                group.append(heapq.heappop(buffer)[2])
            self._process_group(ts, group)
        self._check_silence(watermark if silence_until is None else silence_until)

    def _process_group(self, ts: int, group: list[Point]) -> None:
        devices = self._devices
        previous: list[int | None] = []
        # Positions first: a subject point at time t sees protected points at time <= t.
        for point in group:
            device = devices[point.device_id]
            device.pending.discard(ts)
            previous.append(device.last_ts)
            device.last_ts = ts
            device.latest = point
        out = self._out
        for point, before in zip(group, previous, strict=True):
            monitors = devices[point.device_id].monitors
            for monitor in monitors:
                monitor.on_point(point, before, out)
                if monitor.no_signal_us is not None and not monitor.silence_queued:
                    monitor.silence_queued = True
                    deadline = ts + monitor.no_signal_us
                    heapq.heappush(self._silence, (deadline, next(self._seq), monitor))
        self.stats.processed += len(group)

    def _check_silence(self, until: int) -> None:
        silence = self._silence
        # A deadline strictly before `until` means a gap longer than the limit (rules: `>`).
        while silence and silence[0][0] < until:
            _, _, monitor = heapq.heappop(silence)
            if monitor.retired:
                continue
            last_ts = monitor.subject.last_ts
            limit = monitor.no_signal_us
            assert last_ts is not None and limit is not None
            if last_ts + limit < until:
                monitor.silence_queued = False
                monitor.on_silence(last_ts, until, self._out)
            else:
                # Points came since this entry was queued: wait for the later deadline instead.
                heapq.heappush(silence, (last_ts + limit, next(self._seq), monitor))

    def _take(self) -> list[Alert]:
        out = self._out
        self._out = []
        return out
