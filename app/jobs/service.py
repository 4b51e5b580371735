"""Queueing, claiming and running jobs; each step is its own short transaction.

A job's work gets ``Sessions``, a way to open a short unit of work, instead of a session: it reads
what it needs in one, works with none open (the solver may take a minute), and writes its result
in one more. A runner claims a job with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (on
SQLite the ``BEGIN IMMEDIATE`` of the claiming transaction serialises claims), so two runners
never take the same job; a running job whose heartbeat went stale (its runner died) is queued
again and taken by the next claim.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, and_, or_
from sqlmodel import Session, col, select

from app import clock
from app.db import session_scope
from app.errors import AppError, Conflict
from app.i18n import gettext as _
from app.i18n import lazy
from app.jobs.models import ACTIVE_STATUSES, Job, JobStatus

logger = logging.getLogger("roadshow.jobs")

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=60)  # a running job silent this long lost its runner
PROGRESS_SECONDS = 1.0  # the engine's progress is written at most this often


class Sessions(Protocol):
    """Opens one short unit of work; it commits when its block ends. ``write=False`` is a read,
    which on SQLite leaves the write lock to others."""

    def __call__(self, *, write: bool = True) -> AbstractContextManager[Session]: ...


class Progress(Protocol):
    def __call__(self, best: dict[str, Any]) -> None: ...


class JobWork(Protocol):
    def __call__(self, job: Job, *, sessions: Sessions, progress: Progress) -> dict[str, Any]: ...


# Areas register what each kind of job does (``register_kind``) when their module is imported.
KINDS: dict[str, JobWork] = {}


def register_kind(kind: str) -> Callable[[JobWork], JobWork]:
    def register(work: JobWork) -> JobWork:
        KINDS[kind] = work
        return work

    return register


def engine_sessions(engine: Engine) -> Sessions:
    """Units of work on ``engine``: each commits when its block ends."""

    def unit(*, write: bool = True) -> AbstractContextManager[Session]:
        return session_scope(engine, write=write)

    return unit


# Queueing and reading (inside a request's transaction) -------------------------------------


def enqueue(
    kind: str,
    *,
    db_session: Session,
    stop_id: int | None = None,
    scenario_id: int | None = None,
    params: dict[str, Any] | None = None,
    user_id: int | None = None,
    refuse_while_active: bool = True,
) -> Job:
    """Queue a job for a stop or a scenario. While one of the same kind is queued or running for
    it, refuse (``refuse_while_active``), or else reuse the queued one: it reads its input when
    it starts, so it already plans the latest; a running one is outdone by the one queued now."""
    current = active(kind, stop_id=stop_id, scenario_id=scenario_id, db_session=db_session)
    if current is not None and refuse_while_active:
        raise Conflict(lazy("A run is already in progress: wait for it to finish."))
    if current is not None and current.status == JobStatus.QUEUED:
        current.params = params or {}
        db_session.add(current)
        return current
    job = Job(
        kind=kind, stop_id=stop_id, scenario_id=scenario_id, params=params or {}, created_by_user_id=user_id
    )
    db_session.add(job)
    db_session.flush()
    return job


def latest(
    kind: str, *, db_session: Session, stop_id: int | None = None, scenario_id: int | None = None
) -> Job | None:
    query = select(Job).where(Job.kind == kind, Job.stop_id == stop_id, Job.scenario_id == scenario_id)
    return db_session.exec(query.order_by(col(Job.id).desc()).limit(1)).first()


def active(
    kind: str, *, db_session: Session, stop_id: int | None = None, scenario_id: int | None = None
) -> Job | None:
    job = latest(kind, stop_id=stop_id, scenario_id=scenario_id, db_session=db_session)
    return job if job is not None and job.status in ACTIVE_STATUSES else None


def error_text(job: Job) -> str | None:
    """Why a failed job failed, in the reader's language when it is a reason we gave."""
    if job.status != JobStatus.FAILED:
        return None
    if job.result and "message" in job.result:
        text = _(job.result["message"])
        params = job.result.get("params") or {}
        return text % params if params else text
    return _("The run failed unexpectedly: %s") % (job.error or "")


def elapsed_seconds(job: Job) -> int:
    """How long the job has been waiting or running (or ran, once finished)."""
    start = job.started_at or job.created_at
    end = job.finished_at or clock.now()
    return max(0, int((end - start).total_seconds()))


# Claiming and running (a runner, with no request around) -----------------------------------


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(*, sessions: Sessions, runner: str) -> int | None:
    """Take the oldest queued job (or one whose runner died) for ``runner`` alone; its id."""
    now = clock.now()
    waiting = or_(
        col(Job.status) == JobStatus.QUEUED,
        and_(col(Job.status) == JobStatus.RUNNING, col(Job.heartbeat_at) < now - STALE_AFTER),
    )
    with sessions(write=False) as db_session:  # an idle poll takes no write lock
        if db_session.exec(select(Job.id).where(waiting).limit(1)).first() is None:
            return None
    with sessions() as db_session:
        stale = db_session.exec(
            select(Job)
            .where(Job.status == JobStatus.RUNNING, col(Job.heartbeat_at) < now - STALE_AFTER)
            .with_for_update(skip_locked=True)
        ).all()
        for job in stale:
            logger.warning("Job %s lost its runner %s: queued again", job.id, job.claimed_by)
            job.status, job.claimed_by = JobStatus.QUEUED, None
            db_session.add(job)
        db_session.flush()
        queued = db_session.exec(
            select(Job)
            .where(Job.status == JobStatus.QUEUED)
            .order_by(col(Job.id))
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if queued is None:
            return None
        queued.status, queued.claimed_by = JobStatus.RUNNING, runner
        queued.started_at = queued.heartbeat_at = now
        queued.progress = None
        db_session.add(queued)
        return queued.id


def run(job_id: int, *, sessions: Sessions, runner: str) -> JobStatus:
    """Do a claimed job's work and record how it ended."""
    with sessions() as db_session:
        job = db_session.get(Job, job_id)
        assert job is not None
        db_session.expunge(job)
    work = KINDS.get(job.kind)
    reporter = _Reporter(job_id, sessions=sessions, runner=runner)
    status, result, error = JobStatus.FAILED, None, None
    with reporter.beating():
        try:
            if work is None:
                raise RuntimeError(f"no work registered for jobs of kind {job.kind!r}")
            result, status = work(job, sessions=sessions, progress=reporter), JobStatus.DONE
        except AppError as exc:  # a reason for the organiser (the locks cannot hold, ...)
            # The msgid and its values: the page translates them into its reader's language.
            result, error = {"message": exc.message, "params": exc.params}, str(exc)
        except Exception as exc:
            logger.exception("Job %s (%s) failed", job_id, job.kind)
            error = f"{type(exc).__name__}: {exc}"[:1000]
    with sessions() as db_session:
        done = db_session.get(Job, job_id)
        if done is not None and done.claimed_by == runner:
            done.status, done.result, done.error = status, result, error
            done.finished_at = clock.now()
            db_session.add(done)
    return status


def run_pending(*, sessions: Sessions, runner: str | None = None, limit: int | None = None) -> int:
    """Run queued jobs one after the other until none is left; how many ran."""
    name = runner or runner_name()
    count = 0
    while (limit is None or count < limit) and (job_id := claim(sessions=sessions, runner=name)) is not None:
        run(job_id, sessions=sessions, runner=name)
        count += 1
    return count


class _Reporter:
    """The job's progress callback and heartbeat, each write in its own tiny transaction."""

    def __init__(self, job_id: int, *, sessions: Sessions, runner: str) -> None:
        self.job_id, self.sessions, self.runner = job_id, sessions, runner
        self.last_write = 0.0
        self.lock = threading.Lock()

    def __call__(self, best: dict[str, Any]) -> None:
        if time.monotonic() - self.last_write < PROGRESS_SECONDS:
            return
        self._write(progress=dict(best))

    def _write(self, progress: dict[str, Any] | None = None) -> None:
        with self.lock:
            self.last_write = time.monotonic()
            try:
                with self.sessions() as db_session:
                    job = db_session.get(Job, self.job_id)
                    if job is None or job.claimed_by != self.runner:
                        return
                    job.heartbeat_at = clock.now()
                    if progress is not None:
                        job.progress = progress
                    db_session.add(job)
            except Exception:  # progress is a courtesy: never let it break the run
                logger.exception("Progress of job %s not written", self.job_id)

    @contextmanager
    def beating(self) -> Iterator[None]:
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(HEARTBEAT_SECONDS):
                self._write()

        thread = threading.Thread(target=beat, name=f"job-{self.job_id}-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
