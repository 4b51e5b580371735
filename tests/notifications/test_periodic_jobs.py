"""The areas' periodic work runs in ``roadshow worker``: lapsed holds expire (and the waiting
list moves up) and unanswered invitations are reminded, without anyone opening a page."""

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Registration, RegistrationStatus
from app.consuls.models import Representative
from app.db import session_scope
from app.notifications import worker
from app.notifications.models import OutboxMessage
from tests.conftest import migrated_and_seeded
from tests.factories import create_company, create_invitation, create_registration, create_stop

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
JOBS = ("companies.expire-stale-holds", "consuls.invitation-reminders")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def jobs_engine(
    request: pytest.FixtureRequest,
    sqlite_database: Callable[[], str],
    postgres_database: Callable[[], str],
) -> Iterator[Engine]:
    """A committed database: the worker's jobs run in their own transactions, as in production."""
    url = sqlite_database() if request.param == "sqlite" else postgres_database()
    engine = migrated_and_seeded(url)
    yield engine
    engine.dispose()


@dataclass
class Situation:
    lapsed_id: int
    waiting_id: int
    company_email: str
    consul_email: str


def _situation(engine: Engine, now: datetime, stop_date: date) -> Situation:
    """A full stop whose only seat is held by a lapsed hold, with a company waiting behind it,
    and a consul who has not answered for six days."""
    with session_scope(engine) as db_session:
        stop = create_stop(db_session, capacity=1, countries=("US",), stop_date=stop_date)
        lapsed_company = create_company(db_session)
        lapsed = create_registration(
            db_session,
            stop,
            lapsed_company,
            status=RegistrationStatus.PENDING,
            hold_expires_at=now - timedelta(hours=1),
        )
        waiting = create_registration(
            db_session,
            stop,
            status=RegistrationStatus.WAITLISTED,
            waitlist_position=1,
            email_verified_at=now - timedelta(days=1),
        )
        invitation = create_invitation(db_session, stop=stop, invited_at=now - timedelta(days=6))
        consul_email = _representative_email(db_session, invitation.representative_id)
        return Situation(lapsed.id, waiting.id, lapsed_company.contact_email, consul_email)


def _representative_email(db_session: Session, representative_id: int) -> str:
    person = db_session.get(Representative, representative_id)
    assert person is not None
    return person.email


def _status(engine: Engine, registration_id: int) -> str:
    with Session(engine) as db_session:
        registration = db_session.get(Registration, registration_id)
        assert registration is not None
        return str(registration.status)


def _templates_to(engine: Engine, address: str) -> list[str]:
    with Session(engine) as db_session:
        return list(
            db_session.exec(
                select(OutboxMessage.template)
                .where(OutboxMessage.to_address == address)
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def test_the_worker_registry_holds_the_hold_expiry_and_the_invitation_reminders() -> None:
    import app.main  # noqa: F401  (what `roadshow worker` imports before running)

    registered = [job.name for job in worker.PERIODIC_JOBS]
    assert all(name in registered for name in JOBS)


def test_due_jobs_expire_lapsed_holds_promote_the_waiting_list_and_remind_consuls(
    jobs_engine: Engine,
) -> None:
    import app.main  # noqa: F401

    clock.set_source(lambda: NOW)
    situation = _situation(jobs_engine, NOW, date(2027, 5, 12))
    # Fresh copies of the registered jobs, so that no earlier run's interval holds them back.
    jobs = [
        worker.PeriodicJob(job.name, job.run, job.every) for job in worker.PERIODIC_JOBS if job.name in JOBS
    ]

    assert sorted(worker.run_due_jobs(engine=jobs_engine, jobs=jobs)) == sorted(JOBS)

    assert _status(jobs_engine, situation.lapsed_id) == RegistrationStatus.EXPIRED
    assert _status(jobs_engine, situation.waiting_id) == RegistrationStatus.CONFIRMED
    assert "companies/emails/hold_expired" in _templates_to(jobs_engine, situation.company_email)
    assert _templates_to(jobs_engine, situation.consul_email) == ["consuls/emails/reminder"]
    # Within their intervals, the jobs wait.
    clock.set_source(lambda: NOW + timedelta(minutes=1))
    assert worker.run_due_jobs(engine=jobs_engine, jobs=jobs) == []


def test_roadshow_worker_once_runs_the_jobs_from_the_command_line(jobs_engine: Engine) -> None:
    now = clock.now()
    situation = _situation(jobs_engine, now, clock.today() + timedelta(days=60))
    env = {"ROADSHOW_DATABASE_URL": jobs_engine.url.render_as_string(hide_password=False), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # Every area's periodic job runs on the first round (the app registers them all).
    assert f"ran {len(worker.PERIODIC_JOBS)} periodic jobs" in done.stdout
    assert _status(jobs_engine, situation.lapsed_id) == RegistrationStatus.EXPIRED
    assert _status(jobs_engine, situation.waiting_id) == RegistrationStatus.CONFIRMED
    assert "consuls/emails/reminder" in _templates_to(jobs_engine, situation.consul_email)
