"""The outbox in the back office: every email the app wrote, and what became of it.

Without an SMTP server (the embedded default) this is where a newcomer reads the emails and
follows their links.
"""

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.i18n import gettext as _
from app.notifications import service
from app.notifications.models import OutboxStatus
from app.web import render

router = APIRouter(prefix="/manage/outbox", tags=["pages"], route_class=TransactionRoute)

PER_PAGE = 50
URL = re.compile(r"https?://[^\s<>\"']+")


def linkify(text: str) -> Markup:
    """Plain text, escaped, with its web addresses made clickable."""
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,;:)")
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="%s">%s</a>') % (url, url))
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@router.get("", response_class=HTMLResponse, name="outbox")
def outbox(
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    *,
    status: Annotated[str, Query()] = "",
    recipient: Annotated[str, Query(max_length=254)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    if status and status not in {s.value for s in OutboxStatus}:
        raise InvalidInput({"status": _("Choose a status from the list.")}, location="query")
    result = service.list_messages(
        db_session=db_session,
        status=OutboxStatus(status) if status else None,
        recipient=recipient,
        page=page,
        per_page=PER_PAGE,
    )
    query = {key: value for key, value in {"status": status, "recipient": recipient}.items() if value}
    context = {
        "user": user,
        "result": result,
        "status": status,
        "recipient": recipient,
        "statuses": list(OutboxStatus),
        "query": query,
    }
    return render(request, "notifications/manage/outbox.html", context)


@router.get("/{message_id}", response_class=HTMLResponse, name="outbox_message")
def outbox_message(
    message_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    message = service.get(message_id, db_session=db_session)
    context = {"user": user, "message": message, "body": linkify(message.body_text)}
    return render(request, "notifications/manage/message.html", context)
