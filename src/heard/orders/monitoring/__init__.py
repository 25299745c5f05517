"""Electronic monitoring: zones, curfews, proximity and device health, checked point by point.

`MonitoringProcessor` is the one processor: the live telemetry path feeds it batches as they
arrive, and `heard orders replay` feeds it a recorded feed. Rules: `docs/orders.md`.
"""

from heard.orders.monitoring.episodes import Alert, AlertKind, Confidence
from heard.orders.monitoring.points import Point, PointError, make_point
from heard.orders.monitoring.processor import MonitoringProcessor, ProcessorStats
from heard.orders.monitoring.spec import CurfewSpec, Home, OrderSpec, SpecError, parse_orders

__all__ = [
    "Alert",
    "AlertKind",
    "Confidence",
    "CurfewSpec",
    "Home",
    "MonitoringProcessor",
    "OrderSpec",
    "Point",
    "PointError",
    "ProcessorStats",
    "SpecError",
    "make_point",
    "parse_orders",
]
