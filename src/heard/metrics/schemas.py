"""API shapes for the pilot statistics."""

from __future__ import annotations

from heard.metrics.measures import Unit
from heard.schemas_base import Output


class MeasureOut(Output):
    id: str
    label: str
    unit: Unit
    explanation: str
    group_by: str


class FigureOut(Output):
    month: str
    measure: str
    group: str
    value: float | None


class StatisticsOut(Output):
    force: str
    from_month: str
    to_month: str
    measures: list[MeasureOut]
    figures: list[FigureOut]
