"""Queueing emails in the outbox, inside the transaction of the change that causes them.

An email is three templates in an area's ``emails/`` folder: ``NAME.subject.txt``, ``NAME.txt``
and ``NAME.html``, rendered in the recipient's language. The text and HTML parts extend the
one layout, ``templates/_email/base.txt`` and ``base.html`` (greeting, body, signature, a full
HTML document titled by the subject), and write links, lists and the stop with the pieces of
``_email/parts.txt`` and ``parts.html``. Images travel as inline attachments (``cid:``), never
as ``data:`` URIs. ``roadshow worker`` delivers what is queued.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from app.errors import NotFound
from app.i18n import current_language, set_language
from app.notifications.models import OutboxAttachment, OutboxMessage, OutboxStatus
from app.web import environment


@dataclass(frozen=True)
class InlineImage:
    """An image shown in the HTML part as ``<img src="{{ image.src }}">``."""

    content_id: str  # unique within the message, e.g. "checkin-12@roadshow"
    filename: str
    data: bytes
    content_type: str = "image/png"

    @property
    def src(self) -> str:
        return f"cid:{self.content_id}"


def plain_text(rendered: str) -> str:
    """The text part tidied: no indentation or trailing blanks, at most one empty line in a row.

    Templates may then leave blank lines around links and lists freely: each stands apart.
    """
    lines = [line.strip() for line in rendered.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of an email, in ``language``."""
    previous = current_language()
    set_language(language)
    try:
        env = environment()
        values = {**context, "lang": language}
        subject = " ".join(env.get_template(f"{template}.subject.txt").render(values).split())
        values["subject"] = subject
        text = plain_text(env.get_template(f"{template}.txt").render(values))
        html = env.get_template(f"{template}.html").render(values)
    finally:
        set_language(previous)
    return subject, text, html


def queue_email(
    *,
    db_session: Session,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    images: Sequence[InlineImage] = (),
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
    for image in images:
        db_session.add(
            OutboxAttachment(
                message_id=message.id,  # type: ignore[arg-type]
                content_id=image.content_id,
                filename=image.filename,
                content_type=image.content_type,
                data=image.data,
            )
        )
    if images:
        db_session.flush()
    return message


def attachments_of(message_ids: Sequence[int], *, db_session: Session) -> dict[int, list[OutboxAttachment]]:
    """The inline images of each message, in the order they were queued."""
    found: dict[int, list[OutboxAttachment]] = {message_id: [] for message_id in message_ids}
    if not message_ids:
        return found
    rows = db_session.exec(
        select(OutboxAttachment)
        .where(col(OutboxAttachment.message_id).in_(message_ids))
        .order_by(col(OutboxAttachment.id))
    )
    for row in rows:
        found[row.message_id].append(row)
    return found


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
