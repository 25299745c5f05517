"""Liveness, readiness and Prometheus metrics for whoever runs the service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from heard.auth.deps import get_runtime
from heard.db.migrate import current_revision, head_revision
from heard.jobs import service as jobs

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def liveness() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readiness(request: Request) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = current_revision(conn)
    except SQLAlchemyError as exc:
        return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, 503)
    head = head_revision()
    if current != head:
        return JSONResponse(
            {
                "status": "unavailable",
                "reason": f"database at {current}, code expects {head}; run 'heard db upgrade'",
            },
            503,
        )
    return JSONResponse({"status": "ready", "database": runtime.db.dialect, "revision": current})


@router.get("/metrics")
def metrics(request: Request) -> Response:
    registry = request.app.state.metrics.registry
    with get_runtime(request).db.unit_of_work() as uow:
        counts = jobs.counts_by_status(uow.session)
    body = generate_latest(registry).decode()
    body += "# HELP heard_jobs Jobs by status\n# TYPE heard_jobs gauge\n"
    body += "".join(f'heard_jobs{{status="{s}"}} {n}\n' for s, n in sorted(counts.items()))
    return Response(body, media_type=CONTENT_TYPE_LATEST)
