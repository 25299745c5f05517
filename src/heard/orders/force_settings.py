"""Per-force monitoring settings, with the defaults a force gets until it chooses its own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.orders.records import MonitoringSettings
from heard.orders.schemas import SettingsIn

# Half a second: the issue asks for a breach alert within 1 s of ingest, and a point is processed
# about one window after its time, plus the monitor's own work (docs/orders.md, docs/benchmarks.md).
DEFAULT_LIVE_LATENESS_S = 0.5
DEFAULT_ESCALATE_AFTER_MINUTES = 15.0
# Long enough to rebuild every rule's state after a restart: the 300 s closing run, the 600 s
# proximity freshness and a 15-minute no-signal limit.
DEFAULT_WARMUP_MINUTES = 20.0


@dataclass(frozen=True)
class ForceMonitoring:
    live_lateness_s: float = DEFAULT_LIVE_LATENESS_S
    escalate_after_minutes: float = DEFAULT_ESCALATE_AFTER_MINUTES
    warmup_minutes: float = DEFAULT_WARMUP_MINUTES


def load(session: Session, *, force_id: int) -> ForceMonitoring:
    row = session.get(MonitoringSettings, force_id)
    if row is None:
        return ForceMonitoring()
    return ForceMonitoring(row.live_lateness_s, row.escalate_after_minutes, row.warmup_minutes)


def save(session: Session, *, force_id: int, body: SettingsIn, actor: Actor) -> ForceMonitoring:
    row = session.get(MonitoringSettings, force_id)
    if row is None:
        row = MonitoringSettings(force_id=force_id)
        session.add(row)
    row.live_lateness_s = body.live_lateness_s
    row.escalate_after_minutes = body.escalate_after_minutes
    row.warmup_minutes = body.warmup_minutes
    row.updated_at, row.updated_by = utcnow(), actor.username
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="monitoring.settings",
        record_type="force",
        record_id=force_id,
        details=body.model_dump(),
    )
    return load(session, force_id=force_id)
