"""``roadshow worker``: delivers the outbox over SMTP and runs the periodic jobs of every area.

Delivery is at least once and, in practice, exactly once: a worker *claims* due messages in
a short write transaction (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite the
``BEGIN IMMEDIATE`` of a write session serialises claims) by counting the attempt and moving
``next_attempt_at`` a lease ahead, commits, and only then talks to the SMTP server. Another
worker therefore never picks a claimed message up unless the claimant died mid-lease. The
outcome (sent, or retried later with exponential backoff, or failed after the last attempt)
is written in a second short transaction. No transaction is held open during SMTP.

Alongside, a thread runs the scheduler's and the planner's queued jobs (``app.jobs``), claimed the
same way (``FOR UPDATE SKIP LOCKED``), so that two workers never run the same job.

Without an SMTP host (the embedded default), messages are written to the log and marked
``logged``; organisers read them at ``/manage/outbox``.
"""

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.db import session_scope
from app.jobs.runner import JobRunner
from app.notifications.models import OutboxAttachment, OutboxMessage, OutboxStatus
from app.notifications.service import attachments_of

logger = logging.getLogger("roadshow.worker")

BATCH_SIZE = 20
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=2)
# Long enough for a batch to go out even against a slow server (SMTP_TIMEOUT per message).
CLAIM_LEASE = timedelta(minutes=15)
SMTP_TIMEOUT = 30


class PeriodicJobFunction(Protocol):
    def __call__(self, *, db_session: Session) -> object: ...


@dataclass
class PeriodicJob:
    """Work an area wants done regularly; it runs in its own write transaction.

    Several workers may run the same job at about the same time: jobs must be idempotent
    (expire what is due, send what has not been sent) and lock what they change.
    """

    name: str
    run: PeriodicJobFunction
    every: timedelta
    last_run: datetime | None = field(default=None, compare=False)


# Areas register their jobs here (``register_periodic_job``) when their module is imported;
# the ``roadshow worker`` command imports the whole app first.
PERIODIC_JOBS: list[PeriodicJob] = []


JobDecorator = Callable[[PeriodicJobFunction], PeriodicJobFunction]


def register_periodic_job(name: str, every: timedelta) -> JobDecorator:
    def register(function: PeriodicJobFunction) -> PeriodicJobFunction:
        if all(job.name != name for job in PERIODIC_JOBS):
            PERIODIC_JOBS.append(PeriodicJob(name=name, run=function, every=every))
        return function

    return register


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the first, second, third ... failed attempt, at most two hours."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def claim(*, engine: Engine, limit: int = BATCH_SIZE) -> list[OutboxMessage]:
    """Take up to ``limit`` due messages for this worker alone, counting the attempt."""
    now = clock.now()
    with session_scope(engine, write=True) as db_session:
        due = db_session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.QUEUED, col(OutboxMessage.next_attempt_at) <= now)
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for message in due:
            message.attempts += 1
            message.next_attempt_at = now + CLAIM_LEASE
            db_session.add(message)
        return list(due)


def build_email(
    message: OutboxMessage, settings: Settings, attachments: Sequence[OutboxAttachment] = ()
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML as the richer alternative.

    The HTML's inline images make it a multipart/related part, each image named by its
    Content-ID, which the HTML cites as ``cid:``.
    """
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    # Stable per outbox row: should a retry ever repeat a delivery, mail clients merge the two.
    domain = settings.mail_from.rsplit("@", 1)[-1].strip("> ") or "roadshow.local"
    email["Message-ID"] = f"<roadshow-outbox-{message.id}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
        html = email.get_body(("html",))
        assert html is not None
        for attachment in attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            html.add_related(
                attachment.data,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{attachment.content_id}>",
                filename=attachment.filename,
                disposition="inline",
            )
    # Last: setting the content drops every Content-* header set before it.
    email["Content-Language"] = message.language
    return email


def send_smtp(email: EmailMessage, settings: Settings) -> None:
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(email)


def _deliver(
    message: OutboxMessage, settings: Settings, attachments: Sequence[OutboxAttachment]
) -> tuple[OutboxStatus, str]:
    if not settings.smtp_host:
        logger.info(
            "Email to %s (no SMTP server configured)\nSubject: %s\n\n%s",
            message.to_address,
            message.subject,
            message.body_text,
        )
        return OutboxStatus.LOGGED, ""
    try:
        send_smtp(build_email(message, settings, attachments), settings)
    except (OSError, smtplib.SMTPException) as exc:
        # OSError covers a refused or timed-out connection: the server is down, try later.
        logger.warning("Email %s to %s not sent: %s", message.id, message.to_address, exc)
        return OutboxStatus.QUEUED, f"{type(exc).__name__}: {exc}"[:1000]
    return OutboxStatus.SENT, ""


def _record(*, engine: Engine, message_id: int, status: OutboxStatus, error: str) -> None:
    now = clock.now()
    with session_scope(engine, write=True) as db_session:
        message = db_session.get(OutboxMessage, message_id)
        if message is None:
            return
        message.last_error = error
        if status in (OutboxStatus.SENT, OutboxStatus.LOGGED):
            message.status = status
            message.sent_at = now
        elif message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            logger.error("Email %s to %s failed for good: %s", message.id, message.to_address, error)
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
        db_session.add(message)


def run_once(*, engine: Engine, settings: Settings) -> int:
    """Deliver every message due now; the number of messages handled (sent, logged or retried)."""
    handled = 0
    while batch := claim(engine=engine):
        with session_scope(engine, write=False) as db_session:
            attachments = attachments_of([m.id for m in batch if m.id is not None], db_session=db_session)
        for message in batch:
            status, error = _deliver(message, settings, attachments.get(message.id or 0, []))
            assert message.id is not None
            _record(engine=engine, message_id=message.id, status=status, error=error)
            handled += 1
    return handled


def run_due_jobs(*, engine: Engine, jobs: list[PeriodicJob] | None = None) -> list[str]:
    """Run the periodic jobs whose interval has passed; the names of those that ran."""
    ran = []
    now = clock.now()
    for job in PERIODIC_JOBS if jobs is None else jobs:
        if job.last_run is not None and now - job.last_run < job.every:
            continue
        job.last_run = now
        try:
            with session_scope(engine, write=True) as db_session:
                job.run(db_session=db_session)
        except Exception:
            # One area's broken job must not stop the email of all the others.
            logger.exception("Periodic job %s failed", job.name)
            continue
        ran.append(job.name)
    return ran


def run_forever(
    *, engine: Engine, settings: Settings, stop: threading.Event, poll_interval: float = 5.0
) -> None:
    """Deliver and run jobs until ``stop`` is set (SIGTERM/SIGINT in ``roadshow worker``)."""
    logger.info("Worker started (%s)", f"SMTP {settings.smtp_host}" if settings.smtp_host else "log only")
    jobs = JobRunner(engine).start()
    while not stop.is_set():
        try:
            run_once(engine=engine, settings=settings)
            run_due_jobs(engine=engine)
        except Exception:
            # A lost database connection, say: wait and try again rather than exit.
            logger.exception("Worker cycle failed")
        stop.wait(poll_interval)
    jobs.stop()
    logger.info("Worker stopped")
