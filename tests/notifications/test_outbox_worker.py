import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from app import clock
from app.config import Settings
from app.db import make_engine, session_scope
from app.migrate import upgrade
from app.notifications import worker
from app.notifications.models import OutboxMessage, OutboxStatus
from app.notifications.service import InlineImage, queue_email
from tests.notifications.smtp import SmtpServer


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def outbox_engine(
    request: pytest.FixtureRequest,
    sqlite_database: Callable[[], str],
    postgres_database: Callable[[], str],
) -> Iterator[Engine]:
    """A committed database: workers claim in their own transactions, as in production."""
    url = sqlite_database() if request.param == "sqlite" else postgres_database()
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(outbox_engine: Engine) -> Engine:
    with session_scope(outbox_engine) as db_session:
        db_session.exec(delete(OutboxMessage))  # type: ignore[call-overload]
    return outbox_engine


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _settings(engine: Engine, port: int | None) -> Settings:
    return Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        environment="test",
        smtp_host="127.0.0.1" if port else None,
        smtp_port=port or 25,
        mail_from="Roadshow <roadshow@confindustria.example.org>",
    )


def _queue(engine: Engine, count: int, prefix: str = "company") -> list[int]:
    with session_scope(engine) as db_session:
        messages = [
            queue_email(
                db_session=db_session,
                to=f"{prefix}{n}@example.org",
                template="accounts/emails/sign_in_link",
                context={"link": f"http://127.0.0.1:8000/sign-in/token{n}", "minutes": 30},
                language="it" if n % 2 else "en",
            )
            for n in range(count)
        ]
        return [m.id for m in messages if m.id is not None]


def _statuses(engine: Engine) -> list[OutboxStatus]:
    with Session(engine) as db_session:
        return [m.status for m in db_session.exec(select(OutboxMessage).order_by(OutboxMessage.id))]  # type: ignore[arg-type]


def test_sends_html_and_plain_text_in_the_recipients_language(engine: Engine, smtp: SmtpServer) -> None:
    _queue(engine, 2)
    assert worker.run_once(engine=engine, settings=_settings(engine, smtp.port)) == 2
    english = smtp.inbox.to("company0@example.org")[0]
    italian = smtp.inbox.to("company1@example.org")[0]
    assert english["Subject"] == "Your sign-in link to the Internationalisation Roadshow"
    assert italian["Subject"] == "Il suo link di accesso al Roadshow per l'internazionalizzazione"
    assert english.get_content_type() == "multipart/alternative"
    text = english.get_body(("plain",))
    html = english.get_body(("html",))
    assert text is not None and "http://127.0.0.1:8000/sign-in/token0" in text.get_content()
    assert html is not None and 'href="http://127.0.0.1:8000/sign-in/token0"' in html.get_content()
    assert english["From"] == "Roadshow <roadshow@confindustria.example.org>"
    assert _statuses(engine) == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert worker.run_once(engine=engine, settings=_settings(engine, smtp.port)) == 0


def test_inline_images_travel_as_related_parts_of_the_html(engine: Engine, smtp: SmtpServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    with session_scope(engine) as db_session:
        queue_email(
            db_session=db_session,
            to="images@example.org",
            template="accounts/emails/sign_in_link",
            context={"link": "http://127.0.0.1:8000/sign-in/token", "minutes": 30},
            language="en",
            images=[InlineImage(content_id="code-1@roadshow", filename="code-1.png", data=png)],
        )
    assert worker.run_once(engine=engine, settings=_settings(engine, smtp.port)) == 1
    [email] = smtp.inbox.to("images@example.org")
    html = email.get_body(("related", "html"))
    assert html is not None and html.get_content_type() == "multipart/related"
    [image] = [part for part in email.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<code-1@roadshow>" and image.get_content_disposition() == "inline"
    assert image.get_content() == png
    assert email["Content-Language"] == "en"


def test_messages_wait_for_a_server_that_is_down_and_each_arrives_once(engine: Engine) -> None:
    server = SmtpServer()  # its port is chosen, but nothing listens there yet
    settings = _settings(engine, server.port)
    _queue(engine, 3)
    start = clock.now()
    clock.set_source(lambda: start)
    assert worker.run_once(engine=engine, settings=settings) == 3
    with Session(engine) as db_session:
        waiting = db_session.exec(select(OutboxMessage)).all()
        assert {m.status for m in waiting} == {OutboxStatus.QUEUED}
        assert {m.attempts for m in waiting} == {1}
        assert all("Connection" in m.last_error or "refused" in m.last_error for m in waiting)
        assert {m.next_attempt_at for m in waiting} == {start + timedelta(minutes=1)}

    server.start()
    try:
        assert worker.run_once(engine=engine, settings=settings) == 0  # not due yet: backoff
        clock.set_source(lambda: start + timedelta(minutes=1))
        assert worker.run_once(engine=engine, settings=settings) == 3
        assert worker.run_once(engine=engine, settings=settings) == 0
        clock.set_source(lambda: start + timedelta(hours=3))
        assert worker.run_once(engine=engine, settings=settings) == 0
    finally:
        server.stop()
    assert sorted(m["To"] for m in server.inbox.messages) == [f"company{n}@example.org" for n in range(3)]
    assert len({m["Message-ID"] for m in server.inbox.messages}) == 3
    assert _statuses(engine) == [OutboxStatus.SENT] * 3


def test_backoff_doubles_and_the_last_attempt_marks_the_message_failed(engine: Engine) -> None:
    settings = _settings(engine, SmtpServer().port)  # nobody ever listens
    _queue(engine, 1)
    start = clock.now()
    moment = start
    delays = []
    for _ in range(worker.MAX_ATTEMPTS):
        clock.set_source(lambda moment=moment: moment)  # type: ignore[misc]
        assert worker.run_once(engine=engine, settings=settings) == 1
        with Session(engine) as db_session:
            message = db_session.exec(select(OutboxMessage)).one()
        delays.append(message.next_attempt_at - moment)
        moment = message.next_attempt_at
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert message.status == OutboxStatus.FAILED and message.attempts == worker.MAX_ATTEMPTS
    clock.set_source(lambda: moment + timedelta(days=1))
    assert worker.run_once(engine=engine, settings=settings) == 0


def test_several_workers_never_send_one_message_twice(engine: Engine, smtp: SmtpServer) -> None:
    ids = _queue(engine, 40)
    settings = _settings(engine, smtp.port)
    handled: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        try:
            barrier.wait()
            handled.append(worker.run_once(engine=engine, settings=settings))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sum(handled) == len(ids) == 40
    received = sorted(m["To"] for m in smtp.inbox.messages)
    assert received == sorted(f"company{n}@example.org" for n in range(40))
    assert set(_statuses(engine)) == {OutboxStatus.SENT}


def test_without_smtp_messages_are_logged_and_kept_for_the_outbox_page(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _queue(engine, 1)
    with caplog.at_level("INFO", logger="roadshow.worker"):
        assert worker.run_once(engine=engine, settings=_settings(engine, None)) == 1
    assert "http://127.0.0.1:8000/sign-in/token0" in caplog.text
    with Session(engine) as db_session:
        message = db_session.exec(select(OutboxMessage)).one()
    assert message.status == OutboxStatus.LOGGED and message.sent_at is not None


def test_periodic_jobs_run_on_their_interval_and_one_failure_spares_the_others(engine: Engine) -> None:
    calls: list[str] = []

    def good(*, db_session: Session) -> None:
        calls.append("good")

    def broken(*, db_session: Session) -> None:
        raise RuntimeError("bug in another area")

    jobs = [
        worker.PeriodicJob("broken", broken, timedelta(minutes=5)),
        worker.PeriodicJob("good", good, timedelta(minutes=5)),
    ]
    start = clock.now()
    clock.set_source(lambda: start)
    assert worker.run_due_jobs(engine=engine, jobs=jobs) == ["good"]
    assert worker.run_due_jobs(engine=engine, jobs=jobs) == []
    clock.set_source(lambda: start + timedelta(minutes=5))
    assert worker.run_due_jobs(engine=engine, jobs=jobs) == ["good"]
    assert calls == ["good", "good"]


def test_accounts_registers_its_cleanup_as_a_periodic_job() -> None:
    import app.accounts.service  # noqa: F401

    assert "accounts.forget-stale-records" in [job.name for job in worker.PERIODIC_JOBS]


def test_the_worker_loop_stops_when_asked(engine: Engine, smtp: SmtpServer) -> None:
    _queue(engine, 2)
    stop = threading.Event()
    loop = threading.Thread(
        target=worker.run_forever,
        kwargs={
            "engine": engine,
            "settings": _settings(engine, smtp.port),
            "stop": stop,
            "poll_interval": 0.05,
        },
    )
    loop.start()
    try:
        for _ in range(200):
            if len(smtp.inbox.messages) == 2:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        loop.join(timeout=10)
    assert not loop.is_alive() and len(smtp.inbox.messages) == 2


def test_roadshow_worker_once_delivers_from_the_command_line(engine: Engine, smtp: SmtpServer) -> None:
    _queue(engine, 1)
    env = {
        "ROADSHOW_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "ROADSHOW_SMTP_HOST": "127.0.0.1",
        "ROADSHOW_SMTP_PORT": str(smtp.port),
        "PATH": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Handled 1 messages" in done.stdout
    assert len(smtp.inbox.messages) == 1
