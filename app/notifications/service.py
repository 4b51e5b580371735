"""Queueing emails in the outbox, inside the transaction of the change that causes them.

An email is three templates under ``templates/notifications/emails/`` (or another area's
``emails/`` folder): ``NAME.subject.txt``, ``NAME.txt`` and ``NAME.html``, rendered in the
recipient's language. ``roadshow worker`` delivers what is queued.
"""

from typing import Any

from sqlmodel import Session

from app.i18n import current_language, set_language
from app.notifications.models import OutboxMessage
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
