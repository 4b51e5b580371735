"""Scheduler and planner runs as jobs: queued by the page, run by a runner, written in one go."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.db import session_scope
from app.errors import Conflict
from app.jobs import service as jobs
from app.jobs.models import Job, JobStatus
from app.matching import scheduling
from app.matching.models import Meeting, MeetingRequest, RequestStatus, ScheduleRun
from app.matching.storing import CHANGED_MEANWHILE, LOCKED, WITHDRAWN, store
from tests.factories import create_meeting_request, create_user, sign_in_as
from tests.jobs_helpers import run_pending, unit_sessions
from tests.matching.b2b_helpers import B2BStop, b2b_stop, in_english, post_form

pytestmark = pytest.mark.usefixtures(in_english.__name__)


def _stop_with_requests(db_session: Session) -> B2BStop:
    b2b = b2b_stop(db_session, companies=4)
    for registration in b2b.registrations:
        create_meeting_request(db_session, registration, b2b.us, priority="high")
        create_meeting_request(db_session, registration, b2b.de)
    return b2b


def _start(client: TestClient, db_session: Session, b2b: B2BStop) -> str:
    organiser = create_user(db_session)
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    started = post_form(client, f"/manage/stops/{b2b.stop.id}/meetings/schedule")
    assert started.status_code == 303
    return f"/manage/stops/{b2b.stop.id}/meetings"


def _job(db_session: Session, b2b: B2BStop) -> Job:
    job = db_session.exec(select(Job).where(Job.stop_id == b2b.stop.id).order_by(col(Job.id).desc())).first()
    assert job is not None
    db_session.refresh(job)
    return job


def test_a_run_goes_from_queued_to_running_to_done_and_writes_its_meetings(
    client: TestClient, db_session: Session, connection: object
) -> None:
    b2b = _stop_with_requests(db_session)
    page_url = _start(client, db_session, b2b)
    job = _job(db_session, b2b)
    assert job.status == JobStatus.QUEUED and job.kind == "schedule" and job.params == {"time_limit": 10.0}
    assert db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id)).first() is None
    # A second click while it waits is refused, not queued twice.
    again = post_form(client, f"/manage/stops/{b2b.stop.id}/meetings/schedule")
    assert again.status_code == 409 and "already in progress" in again.text

    sessions = unit_sessions(connection)
    job_id = jobs.claim(sessions=sessions, runner="runner-a")
    assert job_id == job.id
    job = _job(db_session, b2b)
    assert job.status == JobStatus.RUNNING and job.claimed_by == "runner-a" and job.started_at is not None
    running = client.get(page_url)
    assert "The scheduler is running" in running.text and 'http-equiv="refresh"' in running.text

    assert jobs.run(job.id or 0, sessions=sessions, runner="runner-a") == JobStatus.DONE
    job = _job(db_session, b2b)
    assert job.status == JobStatus.DONE and job.finished_at is not None and job.error is None
    assert job.progress is not None and {"objective", "bound", "idle_gaps"} <= set(job.progress)
    assert job.result is not None and job.result["meetings"] == 8 and job.result["dropped"] == {}
    run = db_session.get(ScheduleRun, job.result["run_id"])
    assert run is not None and run.meeting_count == 8
    assert len(db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id)).all()) == 8
    done = client.get(page_url)
    assert 'http-equiv="refresh"' not in done.text and 'class="meeting-grid"' in done.text


def test_changes_made_while_the_engine_works_are_rechecked_and_reported(
    client: TestClient, db_session: Session, connection: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    b2b = _stop_with_requests(db_session)
    page_url = _start(client, db_session, b2b)
    solve = scheduling.solve_prepared

    def solve_then_change(prepared: scheduling.Prepared, **options: Any) -> dict[str, Any]:
        schedule = solve(prepared, **options)
        # Meanwhile, in another transaction: a consul declines a request the engine placed.
        with unit_sessions(connection)() as other:
            first = other.exec(
                select(MeetingRequest).where(MeetingRequest.invitation_id == b2b.de.id)
            ).first()
            assert first is not None
            first.status = RequestStatus.DECLINED
            other.add(first)
        return schedule

    monkeypatch.setattr(scheduling, "solve_prepared", solve_then_change)
    assert run_pending(connection) == 1
    job = _job(db_session, b2b)
    assert job.status == JobStatus.DONE and job.result is not None
    assert job.result["dropped"] == {WITHDRAWN: 1} and job.result["meetings"] == 7
    page = client.get(page_url)
    assert "1 meetings dropped: request withdrawn meanwhile." in page.text


def test_a_meeting_locked_meanwhile_keeps_its_slot_and_pushes_out_what_collides(db_session: Session) -> None:
    b2b = _stop_with_requests(db_session)
    prepared = scheduling.prepare(b2b.stop, db_session=db_session)
    schedule = scheduling.solve_prepared(prepared, time_limit=5)
    # Meanwhile the organiser places one US meeting by hand, locked, where the engine put another.
    us_items = [m for m in schedule["meetings"] if m["representative"] == f"i{b2b.us.id}"]
    taken, moved = us_items[0], us_items[1]
    moved_request = prepared.built.requests[(moved["company"], moved["representative"])]
    slot = prepared.built.data["slots"].index(taken["slot"])
    db_session.add(
        Meeting(
            stop_id=b2b.stop.id, request_id=moved_request.id, slot_index=slot, table_number=3, locked=True
        )
    )
    db_session.flush()
    stored = store(prepared, schedule, user_id=None, db_session=db_session)
    # The meeting it displaced, and the moved company's own meeting at that time if it had one.
    collides = [
        m for m in schedule["meetings"] if m["slot"] == taken["slot"] and m["company"] == moved["company"]
    ]
    assert stored.dropped == {LOCKED: 1 + len(collides)}
    kept = db_session.exec(select(Meeting).where(Meeting.request_id == moved_request.id)).one()
    assert kept.slot_index == slot and kept.locked
    taken_request = prepared.built.requests[(taken["company"], taken["representative"])]
    assert db_session.exec(select(Meeting).where(Meeting.request_id == taken_request.id)).first() is None
    assert {"request_id": taken_request.id, "reason": CHANGED_MEANWHILE} in stored.run.unscheduled
    assert stored.run.meeting_count == len(schedule["meetings"]) - 1 - len(collides)


def test_a_failed_solve_shows_its_error_on_the_page(
    client: TestClient, db_session: Session, connection: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    b2b = _stop_with_requests(db_session)
    page_url = _start(client, db_session, b2b)

    def broken(prepared: scheduling.Prepared, **options: Any) -> dict[str, Any]:
        raise Conflict("The locked meetings cannot all hold: %(reasons)s", reasons="two at 14:00")

    monkeypatch.setattr(scheduling, "solve_prepared", broken)
    assert run_pending(connection) == 1
    job = _job(db_session, b2b)
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    page = client.get(page_url)
    assert (
        "The last run of the scheduler failed: The locked meetings cannot all hold: two at 14:00" in page.text
    )
    client.cookies.set("roadshow_lang", "it")
    italian = client.get(page_url).text  # the reason is translated for its reader
    assert "L'ultima esecuzione del pianificatore non è riuscita: Gli incontri bloccati" in italian
    assert db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id)).first() is None


def test_an_unexpected_failure_is_recorded_and_the_next_job_still_runs(
    db_session: Session, connection: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    b2b = _stop_with_requests(db_session)
    first = scheduling.prepare(b2b.stop, db_session=db_session)
    assert first.built.data["requests"]
    broken_job = jobs.enqueue(
        "schedule", stop_id=b2b.stop.id, params={"time_limit": 1}, db_session=db_session
    )
    planner_job = jobs.enqueue("nothing-registered", params={}, db_session=db_session)
    db_session.commit()

    def boom(prepared: scheduling.Prepared, **options: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(scheduling, "solve_prepared", boom)
    assert run_pending(connection) == 2
    db_session.refresh(broken_job)
    db_session.refresh(planner_job)
    assert broken_job.status == JobStatus.FAILED and broken_job.error == "RuntimeError: boom"
    assert jobs.error_text(broken_job) == "The run failed unexpectedly: RuntimeError: boom"
    assert planner_job.status == JobStatus.FAILED and "no work registered" in (planner_job.error or "")


def test_a_job_whose_runner_died_is_queued_again_and_taken_by_the_next_claim(
    db_session: Session, connection: object
) -> None:
    job = Job(kind="nothing-registered", status=JobStatus.RUNNING, claimed_by="dead-runner")
    job.heartbeat_at = clock.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    alive = Job(kind="nothing-registered", status=JobStatus.RUNNING, claimed_by="live-runner")
    alive.heartbeat_at = clock.now()
    db_session.add(job)
    db_session.add(alive)
    db_session.commit()
    assert jobs.claim(sessions=unit_sessions(connection), runner="runner-b") == job.id
    db_session.refresh(job)
    db_session.refresh(alive)
    assert job.status == JobStatus.RUNNING and job.claimed_by == "runner-b"
    assert alive.claimed_by == "live-runner"
    # The dead runner's late report changes nothing: the job is no longer its own.
    jobs.run(job.id or 0, sessions=unit_sessions(connection), runner="dead-runner")
    db_session.refresh(job)
    assert job.status == JobStatus.RUNNING and job.claimed_by == "runner-b"


# SQLite serialises claims with BEGIN IMMEDIATE: there is no row lock to skip there.
@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_runners_on_postgresql_never_take_the_same_job(engine: Engine) -> None:
    with session_scope(engine) as db_session:
        ids = []
        for _ in range(5):
            job = Job(kind="nothing-registered")
            db_session.add(job)
            db_session.flush()
            ids.append(job.id)
    claimed_by_a: list[int | None] = []
    holding, release = threading.Event(), threading.Event()

    @contextmanager
    def slow_sessions(*, write: bool = True) -> Iterator[Session]:
        """Runner A's claim keeps its transaction (and its row lock) open until released."""
        with session_scope(engine, write=write) as db_session:
            yield db_session
            if write:
                db_session.flush()
                holding.set()
                release.wait(10)

    try:
        runner_a = threading.Thread(
            target=lambda: claimed_by_a.append(jobs.claim(sessions=slow_sessions, runner="a"))
        )
        runner_a.start()
        assert holding.wait(10)
        # While A holds its row, B skips it instead of waiting for it or taking it too.
        sessions = jobs.engine_sessions(engine)
        claimed_by_b = [jobs.claim(sessions=sessions, runner="b") for _ in range(4)]
        release.set()
        runner_a.join(10)
        assert claimed_by_a == [ids[0]]
        assert claimed_by_b == ids[1:]
        assert jobs.claim(sessions=sessions, runner="b") is None
    finally:
        release.set()
        with session_scope(engine) as db_session:
            db_session.exec(delete(Job).where(col(Job.id).in_(ids)))  # type: ignore[call-overload]


def test_jobs_run_in_the_app_on_sqlite_and_in_workers_on_postgresql() -> None:
    assert Settings(database_url="sqlite:///./roadshow.db").runs_jobs_in_process
    assert not Settings(database_url="postgresql+psycopg://db/roadshow").runs_jobs_in_process
    assert Settings(
        database_url="postgresql+psycopg://db/roadshow", jobs_in_process=True
    ).runs_jobs_in_process
    assert not Settings(database_url="sqlite:///./roadshow.db", jobs_in_process=False).runs_jobs_in_process
