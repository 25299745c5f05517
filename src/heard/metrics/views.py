"""Pilot statistics API: the figures as JSON, and as CSV or Parquet downloads (each audited)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.clock import utcnow
from heard.metrics import export, service
from heard.metrics.export import ExportFormat
from heard.metrics.measures import MEASURES
from heard.metrics.periods import Month, MonthRange
from heard.metrics.schemas import FigureOut, MeasureOut, StatisticsOut

router = APIRouter(prefix="/api/v1/statistics", tags=["pilot statistics"])
Analyst = Annotated[Principal, Depends(require(Permission.STATISTICS_READ))]
Reason = Annotated[str | None, Query(max_length=500, description="Why the figures leave Heard")]
DEFAULT_MONTHS = 12


def month_range(first: str | None, last: str | None) -> MonthRange:
    """Both given, or the twelve months to this one (or to `last`)."""
    end = Month.parse(last, field="to") if last else Month.of(utcnow())
    start = first or str(end.minus(DEFAULT_MONTHS - 1))
    return MonthRange.parse(start, str(end))


@router.get("", response_model=StatisticsOut)
def statistics(
    principal: Analyst,
    uow: UowDep,
    from_month: Annotated[str | None, Query(alias="from", max_length=32)] = None,
    to_month: Annotated[str | None, Query(alias="to", max_length=32)] = None,
) -> StatisticsOut:
    months = month_range(from_month, to_month)
    figures = service.pilot_statistics(uow.session, force_id=principal.force_id, months=months)
    return StatisticsOut(
        force=principal.force_code,
        from_month=str(months.first),
        to_month=str(months.last),
        measures=[MeasureOut.model_validate(asdict(m)) for m in MEASURES],
        figures=[FigureOut.model_validate(asdict(f)) for f in figures],
    )


def _download(
    principal: Principal,
    uow: UowDep,
    form: ExportFormat,
    from_month: str | None,
    to_month: str | None,
    reason: str | None,
) -> Response:
    months = month_range(from_month, to_month)
    figures = service.pilot_statistics(uow.session, force_id=principal.force_id, months=months)
    service.record_export(
        uow.session,
        actor=principal.actor(),
        force_id=principal.force_id,
        months=months,
        form=form.value,
        figures=len(figures),
        reason=(reason or "").strip() or None,
    )
    uow.commit()
    name = f"heard-statistics-{principal.force_code}-{months.first}-{months.last}.{form.value}"
    return Response(
        export.render(form, principal.force_code, figures),
        media_type=form.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(".csv")
def statistics_csv(
    principal: Analyst,
    uow: UowDep,
    from_month: Annotated[str | None, Query(alias="from", max_length=32)] = None,
    to_month: Annotated[str | None, Query(alias="to", max_length=32)] = None,
    reason: Reason = None,
) -> Response:
    return _download(principal, uow, ExportFormat.CSV, from_month, to_month, reason)


@router.get(".parquet")
def statistics_parquet(
    principal: Analyst,
    uow: UowDep,
    from_month: Annotated[str | None, Query(alias="from", max_length=32)] = None,
    to_month: Annotated[str | None, Query(alias="to", max_length=32)] = None,
    reason: Reason = None,
) -> Response:
    return _download(principal, uow, ExportFormat.PARQUET, from_month, to_month, reason)
