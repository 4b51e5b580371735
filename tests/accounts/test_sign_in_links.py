import hashlib
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import SignInToken, User
from app.notifications.models import OutboxMessage
from tests.factories import create_user, csrf_token


def _ask_for_link(client: TestClient, email: str, next_path: str = "/account") -> str:
    response = client.post(
        "/sign-in", data={"email": email, "next": next_path, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 200
    return response.text


def _emailed_link(db_session: Session, email: str) -> str:
    message = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == email).order_by(OutboxMessage.id.desc())  # type: ignore[union-attr]
    ).first()
    assert message is not None, f"no email to {email}"
    match = re.search(r"http://\S+/sign-in/\S+", message.body_text)
    assert match and match.group(0) in message.body_html
    return match.group(0)


def test_company_signs_in_once_through_the_emailed_link(client: TestClient, db_session: Session) -> None:
    user = create_user(db_session, role="company", email="buyer@acme.example.org")
    _ask_for_link(client, "Buyer@Acme.example.org", next_path="/stops/1")
    link = _emailed_link(db_session, "buyer@acme.example.org")
    path = link.removeprefix("http://127.0.0.1:8000")

    confirm = client.get(path)
    assert confirm.status_code == 200 and "buyer@acme.example.org" in confirm.text
    signed_in = client.post(path, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/stops/1"
    assert "roadshow_session=" in signed_in.headers["set-cookie"]
    assert client.get("/account", follow_redirects=False).headers["location"] == "/my"
    db_session.refresh(user)
    assert user.last_login_at is not None

    client.cookies.clear()
    again = client.post(path, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert again.status_code == 410
    assert "Questo link non funziona più" in again.text and 'action="/sign-in"' in again.text
    assert client.get(path).status_code == 410


def test_the_page_answers_the_same_whether_or_not_the_email_is_known(
    client: TestClient, db_session: Session
) -> None:
    create_user(db_session, role="consul", email="known@consul.example.org")
    create_user(db_session, role="organiser", email="staff@example.org")
    known = _ask_for_link(client, "known@consul.example.org")
    unknown = _ask_for_link(client, "stranger@example.org")
    staff = _ask_for_link(client, "staff@example.org")
    assert known.replace("known@consul.example.org", "X") == unknown.replace("stranger@example.org", "X")
    assert staff.replace("staff@example.org", "X") == unknown.replace("stranger@example.org", "X")
    sent = db_session.exec(select(OutboxMessage.to_address)).all()
    assert "known@consul.example.org" in sent
    assert "stranger@example.org" not in sent and "staff@example.org" not in sent


def test_links_expire_after_thirty_minutes_and_are_stored_only_as_hashes(
    client: TestClient, db_session: Session
) -> None:
    user = create_user(db_session, role="company")
    start = clock.now()
    clock.set_source(lambda: start)
    link = accounts_service.issue_link(db_session=db_session, user=user, next_path="/my/registrations")
    token = link.rsplit("/", 1)[1]
    row = db_session.exec(select(SignInToken).where(SignInToken.user_id == user.id)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert row.expires_at == start + timedelta(minutes=30) and row.next_path == "/my/registrations"

    clock.set_source(lambda: start + timedelta(minutes=29))
    assert client.get(f"/sign-in/{token}").status_code == 200
    clock.set_source(lambda: start + timedelta(minutes=31))
    expired = client.get(f"/sign-in/{token}", headers={"Accept-Language": "en"})
    assert expired.status_code == 410 and "This link no longer works" in expired.text
    assert client.post(f"/sign-in/{token}", data={"csrf_token": csrf_token(client)}).status_code == 410


def test_a_link_is_spent_by_only_one_of_two_uses(db_session: Session) -> None:
    user = create_user(db_session, role="consul")
    token = accounts_service.issue_link(db_session=db_session, user=user).rsplit("/", 1)[1]
    assert accounts_service.use_link(token, db_session=db_session) is not None
    assert accounts_service.use_link(token, db_session=db_session) is None


def test_links_of_deactivated_people_do_not_work(client: TestClient, db_session: Session) -> None:
    user = create_user(db_session, role="company")
    token = accounts_service.issue_link(db_session=db_session, user=user).rsplit("/", 1)[1]
    user.is_active = False
    db_session.add(user)
    db_session.flush()
    assert client.post(f"/sign-in/{token}", data={"csrf_token": csrf_token(client)}).status_code == 410


def test_links_lead_only_to_local_paths(db_session: Session) -> None:
    user = create_user(db_session, role="company")
    with pytest.raises(ValueError, match="local path"):
        accounts_service.issue_link(db_session=db_session, user=user, next_path="https://evil.example.org/")
    assert "/sign-in/" in accounts_service.issue_link(
        db_session=db_session, user=user, purpose="invitation", lifetime=timedelta(days=7)
    )


def test_a_bad_email_is_shown_again_with_its_message(client: TestClient) -> None:
    response = client.post("/sign-in", data={"email": "not-an-email", "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text and "Inserisca un indirizzo email valido." in response.text
    assert 'value="not-an-email"' in response.text


def test_the_sign_in_email_is_written_in_the_persons_language(
    client: TestClient, db_session: Session
) -> None:
    create_user(db_session, role="consul", email="consul.en@example.org", language="en")
    _ask_for_link(client, "consul.en@example.org")
    message = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == "consul.en@example.org")
    ).one()
    assert message.subject == "Your sign-in link to the Internationalisation Roadshow"
    assert message.language == "en" and "30 minutes" in message.body_text


def test_session_cookie_is_secure_when_the_site_is_served_over_https(
    db_session: Session, client: TestClient
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    settings_https = settings.model_copy(update={"base_url": "https://roadshow.example.org"})
    client.app.state.settings = settings_https  # type: ignore[attr-defined]
    user = create_user(db_session, role="company")
    token = accounts_service.issue_link(db_session=db_session, user=user).rsplit("/", 1)[1]
    response = client.post(
        f"/sign-in/{token}", data={"csrf_token": csrf_token(client)}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()


def test_stale_links_are_forgotten_by_the_periodic_job(db_session: Session) -> None:
    user: User = create_user(db_session, role="company")
    accounts_service.issue_link(db_session=db_session, user=user)
    start = clock.now()
    clock.set_source(lambda: start + timedelta(days=8))
    accounts_service.forget_stale_records(db_session=db_session)
    assert db_session.exec(select(SignInToken).where(SignInToken.user_id == user.id)).all() == []
