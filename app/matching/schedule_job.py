"""The scheduler as a job: the organiser's POST queues it, a runner solves it off the request path.

Three steps, none holding a transaction while the engine works: read the stop and build its
instance; solve with no session open, the best result so far written as the job's progress;
write the result in one short transaction that re-checks what changed meanwhile (``storing``).
"""

from typing import Any

from sqlmodel import Session

from app.i18n import gettext as _
from app.jobs import service as jobs
from app.jobs.models import Job, JobStatus
from app.matching import scheduling
from app.matching.storing import DROPPED, store
from app.stops import service as stops_service
from app.stops.models import Stop

KIND = "schedule"


def start(stop: Stop, *, time_limit: float, user_id: int | None, db_session: Session) -> Job:
    """Queue a run for the stop, refusing at once what the run would refuse (no block, no requests)."""
    scheduling.prepare(stop, db_session=db_session)
    return jobs.enqueue(
        KIND, stop_id=stop.id, params={"time_limit": time_limit}, user_id=user_id, db_session=db_session
    )


@jobs.register_kind(KIND)
def run_job(job: Job, *, sessions: jobs.Sessions, progress: jobs.Progress) -> dict[str, Any]:
    assert job.stop_id is not None
    with sessions(write=False) as db_session:
        stop = stops_service.get(job.stop_id, db_session=db_session)
        prepared = scheduling.prepare(stop, db_session=db_session)
    schedule = scheduling.solve_prepared(
        prepared, time_limit=float(job.params["time_limit"]), progress=progress
    )
    with sessions() as db_session:
        stored = store(prepared, schedule, user_id=job.created_by_user_id, db_session=db_session)
        return {"run_id": stored.run.id, "meetings": stored.run.meeting_count, "dropped": stored.dropped}


def view(stop: Stop, *, db_session: Session) -> dict[str, Any] | None:
    """The stop's latest run as the organisers' page shows it, or None if it never ran as a job."""
    job = jobs.latest(KIND, stop_id=stop.id, db_session=db_session)
    if job is None:
        return None
    dropped = (job.result or {}).get("dropped", {}) if job.status == JobStatus.DONE else {}
    return {
        "job": job,
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "queued": job.status == JobStatus.QUEUED,
        "failed": job.status == JobStatus.FAILED,
        "seconds": jobs.elapsed_seconds(job),
        "progress": job.progress,
        "error": jobs.error_text(job),
        "dropped": [_(DROPPED[key]) % {"count": count} for key, count in sorted(dropped.items()) if count],
    }
