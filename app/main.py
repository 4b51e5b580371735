"""The application factory."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from app import pages
from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.agenda import confirm_pages as agenda_confirm_pages
from app.agenda import pages as agenda_pages
from app.agenda import personal_pages as agenda_personal_pages
from app.audit import pages as audit_pages
from app.backpressure import ConcurrencyLimitMiddleware
from app.cache import PublicPageCache
from app.checkin import pages as checkin_pages
from app.companies import api as companies_api
from app.companies import manage_pages as companies_manage_pages
from app.companies import my_pages as companies_my_pages
from app.companies import pages as companies_pages
from app.config import Settings, get_settings
from app.consuls import manage_pages as consuls_manage_pages
from app.consuls import pages as consuls_pages
from app.csrf import CsrfCookieMiddleware, verify_csrf
from app.db import make_engine
from app.errors import install_error_handlers
from app.freshness import service as freshness
from app.i18n import LocaleMiddleware
from app.jobs.runner import JobProcess
from app.manage import pages as manage_pages
from app.manage import viewing_pages as manage_viewing_pages
from app.matching import answer_pages as matching_answer_pages
from app.matching import confirm_pages as matching_confirm_pages
from app.matching import expiry as _request_expiry  # noqa: F401  (registers its periodic job)
from app.matching import manage_pages as matching_manage_pages
from app.matching import meeting_pages as matching_meeting_pages
from app.matching import pages as matching_pages
from app.notifications import pages as notifications_pages
from app.outcomes import pages as outcomes_pages
from app.planning import pages as planning_pages
from app.reference import pages as reference_pages
from app.results import pages as results_pages
from app.security import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from app.stops import api as stops_api
from app.stops import manage_pages as stops_manage_pages
from app.stops import pages as stops_pages

STATIC_DIR = Path(__file__).parent / "static"
# How long shutting down waits for a job in hand (its time limit is at most 600 s; it is
# queued again once its heartbeat goes stale, should the process exit first).
JOB_STOP_SECONDS = 15


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What is loaded by now (modules, routes, templates) lives as long as the process: out
        # of the collector's reach, the full collections that set the slowest responses under
        # load stop walking it (p99 of a personal agenda about 400 ms -> 300 at 50 connections).
        # Not in tests, which start an application per test.
        if settings.environment != "test":
            gc.collect()
            gc.freeze()
        if settings.runs_jobs_in_process:
            app.state.job_runner = JobProcess(settings.database_url).start()
        yield
        if app.state.job_runner is not None:
            await run_in_threadpool(app.state.job_runner.stop, JOB_STOP_SECONDS)
        app.state.engine.dispose()

    app = FastAPI(
        dependencies=[Depends(verify_csrf)],
        title="Roadshow",
        summary="Confindustria Lombardia's internationalisation roadshow",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.public_copies = freshness.Copies(keep=settings.public_copies)
    app.state.job_runner = None
    install_error_handlers(app)
    # Innermost, so that a copy from the public cache is served without waiting for a turn.
    app.add_middleware(ConcurrencyLimitMiddleware, limit=settings.requests_at_once)
    app.add_middleware(PublicPageCache, seconds=settings.public_cache_seconds)
    app.add_middleware(LocaleMiddleware, default_language=settings.default_language)
    app.add_middleware(CsrfCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodySizeLimitMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Each request tries the routes in this order until one matches: the most requested
    # pages (calendar, stop, /api/stops, personal agendas) come first. No route takes
    # another's paths, so the order changes nothing else (tests/hardening/test_route_order.py).
    app.include_router(stops_pages.router)
    app.include_router(stops_api.router)
    app.include_router(agenda_personal_pages.router)
    app.include_router(pages.router)
    app.include_router(companies_my_pages.router)
    app.include_router(consuls_pages.router)
    app.include_router(matching_pages.router)
    app.include_router(accounts_api.router)
    app.include_router(accounts_pages.router)
    app.include_router(stops_manage_pages.router)
    app.include_router(manage_pages.router)
    app.include_router(manage_viewing_pages.router)
    app.include_router(reference_pages.router)
    app.include_router(audit_pages.router)
    app.include_router(notifications_pages.router)
    app.include_router(consuls_manage_pages.router)
    app.include_router(matching_answer_pages.router)
    app.include_router(matching_manage_pages.router)
    app.include_router(matching_meeting_pages.router)
    app.include_router(matching_confirm_pages.router)
    app.include_router(agenda_pages.router)
    app.include_router(agenda_confirm_pages.router)
    app.include_router(checkin_pages.router)
    app.include_router(results_pages.router)
    app.include_router(outcomes_pages.router)
    app.include_router(planning_pages.router)
    app.include_router(companies_api.router)
    app.include_router(companies_pages.router)
    app.include_router(companies_manage_pages.router)
    return app


app = create_app()
