"""The SMTP server is down while companies register (on the public form and through the API)
and comes back later: every email the registrations queued is delivered, each exactly once."""

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.db import session_scope
from app.main import create_app
from app.notifications import worker
from app.notifications.models import OutboxMessage, OutboxStatus
from tests.conftest import migrated_and_seeded
from tests.factories import create_stop, create_user, csrf_token, vat_number
from tests.notifications.smtp import SmtpServer

PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(
    request: pytest.FixtureRequest,
    sqlite_database: Callable[[], str],
    postgres_database: Callable[[], str],
) -> Iterator[Engine]:
    """A committed database: requests and worker rounds each run their own transactions."""
    url = sqlite_database() if request.param == "sqlite" else postgres_database()
    engine = migrated_and_seeded(url)
    yield engine
    engine.dispose()


def register_on_the_form(client: TestClient, stop_id: int, n: int) -> None:
    response = client.post(
        f"/stops/{stop_id}/register",
        data={
            "csrf_token": csrf_token(client),
            "name": f"Modulo {n} S.r.l.",
            "vat_number": vat_number(80_000 + n),
            "contact_email": f"form{n}@example.org",
            "attendees.0.name": f"Persona {n}",
            "attendees.0.email": f"form{n}@example.org",
            "privacy": "yes",
        },
    )
    assert response.status_code == 200 and "/registered/" in str(response.url), response.text[:300]


def register_through_the_api(client: TestClient, stop_id: int, headers: dict[str, str], n: int) -> None:
    company = {
        "name": f"Api {n} S.r.l.",
        "vat_number": vat_number(90_000 + n),
        "email": f"api{n}@example.org",
        "province": "MI",
        "sector": "aerospace",
    }
    body = {"company": company, "attendees": 1, "countries": ["US"]}
    response = client.post(f"/api/stops/{stop_id}/registrations", json=body, headers=headers)
    assert response.status_code == 201, response.text


def outbox(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as db_session:
        return list(db_session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def test_emails_of_registrations_made_while_smtp_is_down_arrive_once_when_it_is_back(engine: Engine) -> None:
    start = clock.now()
    clock.set_source(lambda: start)
    url = engine.url.render_as_string(hide_password=False)
    smtp = SmtpServer()  # its port is chosen, but nothing listens there yet
    settings = Settings(database_url=url, environment="test", smtp_host="127.0.0.1", smtp_port=smtp.port)
    with session_scope(engine) as db_session:
        stop_id = create_stop(db_session, capacity=3).id or 0
        email = create_user(db_session, role="organiser", password=PASSWORD).email

    with TestClient(create_app(settings)) as client:
        token = client.post("/api/auth/token", data={"username": email, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for n in range(3):
            register_on_the_form(client, stop_id, n)
            register_through_the_api(client, stop_id, headers, n)
        queued = outbox(engine)
        assert len(queued) >= 6
        assert worker.run_once(engine=engine, settings=settings) == len(queued)
        assert {m.status for m in outbox(engine)} == {OutboxStatus.QUEUED}

        # Still down a minute later, and more companies register meanwhile.
        clock.set_source(lambda: start + timedelta(minutes=1))
        register_on_the_form(client, stop_id, 3)
        register_through_the_api(client, stop_id, headers, 3)
        worker.run_once(engine=engine, settings=settings)

    queued = outbox(engine)
    assert {m.status for m in queued} == {OutboxStatus.QUEUED}
    assert max(m.attempts for m in queued) == 2
    smtp.start()
    try:
        clock.set_source(lambda: start + timedelta(minutes=4))
        assert worker.run_once(engine=engine, settings=settings) == len(queued)
        clock.set_source(lambda: start + timedelta(hours=6))
        assert worker.run_once(engine=engine, settings=settings) == 0
    finally:
        smtp.stop()

    delivered = outbox(engine)
    assert {m.status for m in delivered} == {OutboxStatus.SENT}
    received = sorted((str(m["To"]), str(m["Subject"])) for m in smtp.inbox.messages)
    assert received == sorted((m.to_address, m.subject) for m in delivered)
    assert len({m["Message-ID"] for m in smtp.inbox.messages}) == len(delivered)
    recipients = {m.to_address for m in delivered}
    assert {f"form{n}@example.org" for n in range(4)} <= recipients
    assert {f"api{n}@example.org" for n in range(4)} <= recipients
