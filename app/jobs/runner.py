"""Who runs queued jobs: a thread of each ``roadshow worker``, or, when the app runs its own
(``ROADSHOW_JOBS_IN_PROCESS``, see ``Settings``), a child process that the app's lifespan starts
and stops. A process rather than a thread of the app: the engine's Python phases and OR-Tools
calls hold the GIL for long stretches, and measured in one process a registration then waited
over 2 s behind a solve."""

import logging
import multiprocessing
import os
import threading
from typing import Any

from fastapi import Request
from sqlalchemy import Engine

from app.jobs import service

logger = logging.getLogger("roadshow.jobs")

POLL_SECONDS = 1.0
PERIODIC_SECONDS = 5.0


class JobRunner:
    """Claims and runs jobs one at a time until stopped; ``wake`` shortens the wait."""

    def __init__(self, engine: Engine, *, poll_seconds: float = POLL_SECONDS, wake: Any = None) -> None:
        self.sessions = service.engine_sessions(engine)
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wake = wake if wake is not None else threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "JobRunner":
        self._thread = threading.Thread(target=self._loop, name="roadshow-jobs", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the job in hand (a solve ends within its time limit)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        runner = service.runner_name()
        logger.info("Job runner %s started", runner)
        while not self._stop.is_set():
            try:
                ran = service.run_pending(sessions=self.sessions, runner=runner, limit=1)
            except Exception:  # a lost database connection, say: wait and try again
                logger.exception("Job runner cycle failed")
                ran = 0
            if not ran:  # nothing was waiting: sleep until woken or the next poll
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
        logger.info("Job runner %s stopped", runner)


def _run_jobs(database_url: str, stop: Any, wake: Any) -> None:
    """The child process: run jobs until told to stop, or until the app that started it is gone.
    Like ``roadshow worker``, it also delivers the outbox and runs the periodic jobs (digests,
    reminders, expiry, rating requests), so that ``make run`` alone carries people through."""
    import app.main  # noqa: F401  (every area loaded, so that its kinds of job are registered)
    from app.config import get_settings
    from app.db import make_engine
    from app.notifications import worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parent = os.getppid()
    settings = get_settings()
    engine = make_engine(database_url)
    runner = JobRunner(engine, wake=wake).start()
    while not stop.wait(PERIODIC_SECONDS) and os.getppid() == parent:
        try:
            worker.run_once(engine=engine, settings=settings)
            worker.run_due_jobs(engine=engine)
        except Exception:  # a locked or lost database: try again on the next round
            logger.exception("Periodic round failed")
    runner.stop()
    engine.dispose()


class JobProcess:
    """The app's own job runner, in a child process (started by the lifespan)."""

    def __init__(self, database_url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop, self._wake = context.Event(), context.Event()
        self.process = context.Process(
            target=_run_jobs, args=(database_url, self._stop, self._wake), name="roadshow-jobs"
        )

    def start(self) -> "JobProcess":
        self.process.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the job in hand; one still running then is queued again once stale."""
        self._stop.set()
        self._wake.set()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


def wake_runner(request: Request) -> None:
    """Tell the app's own runner, if it has one, that a job may be waiting (it polls anyway:
    the job becomes visible when the request's transaction commits, just after this)."""
    runner: JobProcess | None = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        runner.wake()
