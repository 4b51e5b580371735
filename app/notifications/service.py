"""Queueing emails in the outbox, inside the transaction of the change that causes them.

An email is three templates under ``templates/notifications/emails/`` (or another area's
``emails/`` folder): ``NAME.subject.txt``, ``NAME.txt`` and ``NAME.html``, rendered in the
recipient's language. ``roadshow worker`` delivers what is queued.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from app.errors import NotFound
from app.i18n import current_language, set_language
from app.notifications.models import OutboxMessage, OutboxStatus
from app.web import environment


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of an email, in ``language``."""
    previous = current_language()
    set_language(language)
    try:
        env = environment()
        values = {**context, "lang": language}
        subject = env.get_template(f"{template}.subject.txt").render(values).strip()
        text = env.get_template(f"{template}.txt").render(values)
        html = env.get_template(f"{template}.html").render(values)
    finally:
        set_language(previous)
    return " ".join(subject.split()), text, html


def queue_email(
    *, db_session: Session, to: str, template: str, context: dict[str, Any], language: str
) -> OutboxMessage:
    subject, text, html = render_email(template, context, language)
    message = OutboxMessage(
        to_address=to,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        template=template,
    )
    db_session.add(message)
    db_session.flush()
    return message


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_messages(
    *,
    db_session: Session,
    status: OutboxStatus | None = None,
    recipient: str = "",
    page: int = 1,
    per_page: int = 50,
) -> OutboxPage:
    """The outbox, newest first, optionally by status and by (part of) the recipient's address."""
    conditions: list[Any] = []
    if status is not None:
        conditions.append(OutboxMessage.status == status)
    if recipient.strip():
        conditions.append(col(OutboxMessage.to_address).contains(recipient.strip().lower()))
    total = db_session.exec(select(func.count()).select_from(OutboxMessage).where(*conditions)).one()
    messages = db_session.exec(
        select(OutboxMessage)
        .where(*conditions)
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return OutboxPage(messages=list(messages), total=total, page=page, per_page=per_page)


def get(message_id: int, *, db_session: Session) -> OutboxMessage:
    message = db_session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound()
    return message
