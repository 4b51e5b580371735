"""A thread that runs queued jobs: inside the app's process (the embedded default) or in
``roadshow worker`` processes (``ROADSHOW_JOBS_IN_PROCESS``, see ``Settings``)."""

import logging
import threading

from fastapi import Request
from sqlalchemy import Engine

from app.jobs import service

logger = logging.getLogger("roadshow.jobs")

POLL_SECONDS = 1.0


class JobRunner:
    """Claims and runs jobs one at a time until stopped; ``wake`` shortens the wait."""

    def __init__(self, engine: Engine, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.sessions = service.engine_sessions(engine)
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
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


def wake_runner(request: Request) -> None:
    """Tell the app's own runner, if it has one, that a job may be waiting (it polls anyway:
    the job becomes visible when the request's transaction commits, just after this)."""
    runner: JobRunner | None = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        runner.wake()
