"""What the test client sees: its form token, a session, an API token and the mail sent."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import Role, User
from app.accounts.service import Signer
from app.notifications.models import OutboxMessage
from app.web import SESSION_COOKIE
from tests.factories.accounts import create_user
from tests.factories.sequence import PASSWORD


def csrf_token(client: TestClient) -> str:
    """The form token of the test client's browser (its CSRF cookie is set on the first page)."""
    html = client.get("/login").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the sign-in page"
    return match.group(1)


def sign_in_as(client: TestClient, user: User) -> None:
    """Give the test client the session cookie of ``user`` (any role), as the sign-in would."""
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    client.cookies.set(SESSION_COOKIE, Signer(secret).session_cookie(user))


def organiser_token(client: TestClient, db_session: Session) -> dict[str, str]:
    """Authorization headers of a fresh organiser, through the real OAuth2 endpoint."""
    user = create_user(db_session, role=Role.ORGANISER)
    db_session.commit()
    response = client.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def outbox(db_session: Session, to: str | None = None) -> list[OutboxMessage]:
    """Emails queued so far (to one address, if given), oldest first."""
    query = select(OutboxMessage).order_by(col(OutboxMessage.id))
    if to is not None:
        query = query.where(OutboxMessage.to_address == to)
    return list(db_session.exec(query))
