"""Composition root: settings -> database -> bus -> jobs -> ASGI app. Nothing connects at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from heard import __version__
from heard.audit import service as audit
from heard.audit import views as audit_views
from heard.audit.verify import verify_chain
from heard.auth import views as auth_views
from heard.calls import views as calls_views
from heard.calls.index import LinkIndexes
from heard.db.checkpoint import Checkpointer
from heard.db.engine import make_engine, refresh_planner_statistics
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.jobs import views as jobs_views
from heard.jobs.models import Job
from heard.jobs.worker import JobRegistry, Worker
from heard.live.delivery import LiveDelivery
from heard.logs import configure_logging
from heard.metrics import views as metrics_views
from heard.orders import feed as orders_feed
from heard.orders import jobs as orders_jobs
from heard.orders import views as orders_views
from heard.orders.live import LiveMonitor
from heard.referrals import delivery as referral_delivery
from heard.referrals import pack as marac_pack
from heard.referrals import service as referrals_service
from heard.referrals import views as referrals_views
from heard.review import feed as review_feed
from heard.review import hooks as review_hooks
from heard.review import views as review_views
from heard.review.findings import triggers as review_triggers
from heard.review.findings import views as findings_views
from heard.risk import marac_service
from heard.risk import views as risk_views
from heard.runtime import Runtime
from heard.settings import Settings
from heard.signals import ledger as signals_ledger
from heard.signals import service as signals_service
from heard.signals import views as signals_views
from heard.signals.for_risk import cue_codes_for
from heard.signals.transcript import CueStates
from heard.web import (
    assessment_review_pages,
    breach_pages,
    escalation_pages,
    findings_pages,
    health,
    marac_pages,
    orders_pages,
    risk_pages,
    statistics_pages,
)
from heard.web import views as web_views
from heard.web.console import calls as console_calls
from heard.web.console import live as console_live
from heard.web.console import pages as console_pages
from heard.web.errors import install_error_handlers
from heard.web.middleware import Metrics, RequestContextMiddleware

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "web" / "static"


def verify_chain_job(session: Session, job: Job) -> None:
    """Scheduled integrity check: the result itself goes into the chain it checked."""
    report = verify_chain(session, force_id=job.force_id)
    audit.record(
        session,
        actor=audit.system_actor(job.force_id, reason_source="job"),
        action="audit.verify",
        details={"ok": report.ok, "checked": report.entries_checked, "problem": report.problem},
    )


def build_job_registry(settings: Settings | None = None) -> JobRegistry:
    registry = JobRegistry()
    registry.register("audit.verify_chain", verify_chain_job)
    orders_jobs.register(registry)
    registry.register(signals_ledger.ESCALATE_JOB, signals_ledger.escalate_job)
    registry.register(signals_service.RECOMPUTE_JOB, signals_service.recompute_job)
    if settings is not None:
        config = referral_delivery.DeliveryConfig.from_settings(settings)
        registry.register(referral_delivery.DELIVER_JOB, referral_delivery.deliver_handler(config))
    registry.register(referrals_service.OVERDUE_JOB, referrals_service.overdue_job)
    registry.register(marac_service.PACK_JOB, marac_pack.pack_job)
    registry.register(marac_service.REPEAT_CHECK_JOB, marac_service.repeat_check_job)
    registry.register(review_triggers.RERUN_JOB, review_triggers.rerun_job)
    return registry


def build_runtime(settings: Settings) -> Runtime:
    engine = make_engine(settings.database_url, echo=settings.debug)
    db = Database(engine, InProcessBus())
    review_feed.install(db)  # every process that changes data tells the console's pages
    orders_feed.install(db)  # and the breach pages
    review_triggers.install(db)  # and queues the missed-opportunity rules for what changed
    return Runtime(settings=settings, db=db)


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> FastAPI:
    configure_logging(level=settings.log_level, json_lines=settings.log_json)
    runtime = runtime or build_runtime(settings)
    registry = build_job_registry(settings)
    metrics = Metrics()
    live = LiveDelivery(runtime.db, settings)
    live_monitor = LiveMonitor(runtime.db)
    checkpointer = Checkpointer(runtime.db.engine)  # SQLite only; does nothing on PostgreSQL

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        # SQLite only: statistics for tables that changed a lot since they were last measured.
        # Run inline, not in a thread: nothing is served until start-up ends anyway.
        refresh_planner_statistics(runtime.db.engine)
        if settings.link_warm_on_start:
            built = app.state.link_indexes.warm(runtime.db)
            log.info("linking indexes built", extra={"build_seconds": built})
        if settings.run_worker_in_process:
            worker = Worker(runtime.db, registry, lease_seconds=settings.job_lease_seconds)
            worker.start_thread(poll_seconds=settings.job_poll_seconds)
            live_monitor.start_thread()
        checkpointer.start()
        await live.start()
        yield
        await live.stop()
        if worker is not None:
            worker.stop()
            live_monitor.stop()
        checkpointer.stop()
        runtime.db.dispose()

    app = FastAPI(
        title="Heard",
        version=__version__,
        debug=settings.debug,
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.runtime = runtime
    app.state.jobs = registry
    app.state.metrics = metrics
    app.state.link_indexes = LinkIndexes()
    app.state.live = live.hub
    app.state.live_monitor = live_monitor
    # Warning signs react to intake through a hook: calls sits below signals and cannot call it.
    app.state.call_hooks = signals_service.call_hooks()
    # The specialist queue's hook runs after the warning signs' (which decide domestic abuse).
    app.state.call_hooks.register(review_hooks.HOOK_NAME, review_hooks.on_call_change)
    app.state.cue_states = CueStates()
    app.state.cue_source = cue_codes_for
    install_error_handlers(app)
    app.add_middleware(
        RequestContextMiddleware, max_body_bytes=settings.max_request_bytes, metrics=metrics
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (
        health.router,
        web_views.router,
        auth_views.router,
        calls_views.router,
        jobs_views.router,
        audit_views.router,
        review_views.router,
        console_calls.router,
        console_pages.router,
        console_live.router,
        signals_views.router,
        risk_views.router,
        referrals_views.router,
        findings_views.router,
        risk_pages.router,
        orders_pages.router,
        breach_pages.router,
        assessment_review_pages.router,
        marac_pages.router,
        escalation_pages.router,
        orders_views.router,
        metrics_views.router,
        statistics_pages.router,
        findings_pages.router,
    ):
        app.include_router(router)
    return app
