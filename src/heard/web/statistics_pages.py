"""The pilot statistics page: charts drawn on the server, the figures in a table, downloads.

Aggregates of the signed-in person's own force only. The page is not audited as a read of person
data (it names nobody); the CSV and Parquet downloads are audited as exports by their API routes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.metrics import service
from heard.metrics.charts import charts
from heard.metrics.measures import MEASURES, Figure
from heard.metrics.views import month_range
from heard.web.templating import TEMPLATES
from heard.web.views import page_context

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Principal, Depends(require(Permission.STATISTICS_READ))]

# The table's columns: a measure, summed over its groups when it has them (group "" only for
# MARAC, whose total sits beside the per-criterion counts).
COLUMNS = (
    ("da_calls", "DA calls"),
    ("da_calls_reviewed_percent", "Reviewed %"),
    ("review_minutes_median", "Review min"),
    ("warning_signs_raised", "Signs"),
    ("acknowledge_seconds_median", "Ack s"),
    ("grades_lowered", "Grades lowered"),
    ("grades_lowered_signed_off", "Signed off"),
    ("referrals_made", "Referrals"),
    ("referrals_on_time", "On time"),
    ("marac_referrals", "MARAC"),
    ("encompass_notices", "Encompass"),
    ("encompass_on_time", "On time"),
    ("orders_made", "Orders"),
    ("breaches", "Breaches"),
    ("repeat_da_calls_12m", "Repeat calls"),
    ("findings", "Findings"),
)
TOTALLED_BY_GROUP = {"referrals_made", "referrals_on_time", "orders_made", "breaches", "findings"}


def table(months: list[str], figures: list[Figure]) -> list[dict[str, object]]:
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for f in figures:
        if f.value is None or (f.group and f.measure not in TOTALLED_BY_GROUP):
            continue
        cells[(f.month, f.measure)] += f.value
    return [
        {"month": month, "cells": [_show(cells.get((month, m))) for m, _ in COLUMNS]}
        for month in months
    ]


def _show(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def breakdowns(figures: list[Figure]) -> list[dict[str, object]]:
    """Each grouped measure's totals over the period, by group (kind, criterion, rule...)."""
    found: list[dict[str, object]] = []
    for measure in MEASURES:
        if not measure.group_by:
            continue
        totals: dict[str, float] = defaultdict(float)
        for f in figures:
            if f.measure == measure.id and f.group and f.value:
                totals[f.group] += f.value
        if totals:
            rows = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
            found.append({"label": measure.label, "group_by": measure.group_by, "rows": rows})
    return found


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    principal: Analyst,
    uow: UowDep,
    from_month: Annotated[str | None, Query(alias="from", max_length=32)] = None,
    to_month: Annotated[str | None, Query(alias="to", max_length=32)] = None,
) -> Response:
    months = month_range(from_month, to_month)
    figures = service.pilot_statistics(uow.session, force_id=principal.force_id, months=months)
    labels = [str(m) for m in months.months()]
    context = page_context(
        principal,
        first=str(months.first),
        last=str(months.last),
        charts=charts(labels, figures),
        columns=[label for _, label in COLUMNS],
        rows=table(labels, figures),
        breakdowns=breakdowns(figures),
        measures=MEASURES,
    )
    return TEMPLATES.TemplateResponse(request, "statistics.html", context)
