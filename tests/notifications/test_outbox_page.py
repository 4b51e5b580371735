from fastapi.testclient import TestClient
from sqlmodel import Session

from app.notifications.models import OutboxStatus
from app.notifications.service import queue_email
from tests.factories import create_user, sign_in_as


def test_organisers_read_queued_emails_and_follow_their_links(
    client: TestClient, db_session: Session
) -> None:
    message = queue_email(
        db_session=db_session,
        to="reader@example.org",
        template="accounts/emails/sign_in_link",
        context={"link": "http://127.0.0.1:8000/sign-in/abc<def", "minutes": 30},
        language="it",
    )
    message.status = OutboxStatus.LOGGED
    db_session.add(message)
    sign_in_as(client, create_user(db_session, role="organiser"))
    db_session.commit()

    listing = client.get("/manage/outbox", params={"recipient": "reader@"}).text
    assert "reader@example.org" in listing and f'href="/manage/outbox/{message.id}"' in listing
    assert "Registrata nel log (nessun server SMTP)" in listing
    page = client.get(f"/manage/outbox/{message.id}").text
    assert '<a href="http://127.0.0.1:8000/sign-in/abc">http://127.0.0.1:8000/sign-in/abc</a>&lt;def' in page
    assert "<def" not in page


def test_outbox_filters_by_status_and_refuses_unknown_ones(client: TestClient, db_session: Session) -> None:
    sign_in_as(client, create_user(db_session, role="organiser"))
    assert client.get("/manage/outbox", params={"status": "failed"}).status_code == 200
    assert client.get("/manage/outbox", params={"status": "lost"}).status_code == 422
    assert client.get("/manage/outbox/999999").status_code == 404


def test_companies_cannot_read_the_outbox(client: TestClient, db_session: Session) -> None:
    sign_in_as(client, create_user(db_session, role="company"))
    assert client.get("/manage/outbox").status_code == 403
