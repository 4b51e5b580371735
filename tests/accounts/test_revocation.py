"""Access follows the roster: a deactivated organiser or an erased company loses every session
and link at once, and reactivating brings none of them back."""

import re

from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlmodel import Session, select

from app.accounts import credentials
from app.accounts import service as accounts_service
from app.accounts.models import User
from app.checkin.service import checkin_token
from app.companies import profiles
from app.companies.models import Attendee
from app.notifications.models import OutboxMessage
from app.web import SESSION_COOKIE
from tests.factories import (
    create_company,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)

PASSWORD = "correct horse battery"


def _bearer(client: TestClient, user: User) -> dict[str, str]:
    response = client.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _as_admin(client: TestClient, admin: User, action: str, organiser: User) -> None:
    client.cookies.delete(SESSION_COOKIE)
    sign_in_as(client, admin)
    response = client.post(
        f"/manage/organisers/{organiser.id}/{action}",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    client.cookies.delete(SESSION_COOKIE)


def test_a_deactivated_organiser_loses_session_and_bearer_token_even_once_reactivated(
    client: TestClient, db_session: Session
) -> None:
    admin = create_user(db_session, role="admin")
    organiser = create_user(db_session, role="organiser", password=PASSWORD)
    stop = create_stop(db_session)
    db_session.commit()
    api = f"/api/stops/{stop.id}/registrations"
    bearer = _bearer(client, organiser)
    sign_in_as(client, organiser)
    session = client.cookies.get(SESSION_COOKIE) or ""
    assert client.get("/manage", follow_redirects=False).status_code == 200
    assert client.get(api, headers=bearer).status_code == 200

    _as_admin(client, admin, "deactivate", organiser)
    client.cookies.set(SESSION_COOKIE, session)
    assert client.get("/manage", follow_redirects=False).headers["location"].startswith("/login")
    refused = client.get(api, headers={**bearer, "Accept-Language": "en"})
    assert refused.status_code == 401 and refused.json() == {"detail": "Please sign in to continue."}

    _as_admin(client, admin, "activate", organiser)
    client.cookies.set(SESSION_COOKIE, session)
    assert client.get("/manage", follow_redirects=False).status_code == 303
    assert client.get(api, headers=bearer).status_code == 401
    # Signing in afresh works: only what was issued before the deactivation is dead.
    client.cookies.delete(SESSION_COOKIE)
    assert client.get(api, headers=_bearer(client, organiser)).status_code == 200


def test_an_erased_company_loses_its_sessions_sign_in_confirmation_and_check_in_links(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=5)
    company = create_company(db_session, contact_email="ufficio@erasable.example.org")
    user = profiles.ensure_company_user(company, db_session=db_session)
    assert user is not None
    confirmed = create_registration(db_session, stop, company)
    attendee = Attendee(registration_id=confirmed.id, name="Anna Rossi", email="anna@erasable.example.org")
    db_session.add(attendee)
    other_stop = create_stop(db_session)
    create_registration(db_session, other_stop, company, public=True)
    sign_in_link = accounts_service.issue_link(db_session=db_session, user=user).split("/sign-in/")[1]
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    settings = client.app.state.settings  # type: ignore[attr-defined]
    emailed = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == "ufficio@erasable.example.org")
    ).all()
    confirmation = next(
        match.group(1)
        for message in emailed
        if (match := re.search(r"(/registrations/confirm/[^\s<\"]+)", message.body_text))
    )
    qr_code = checkin_token(attendee.id or 0, secret_key=settings.secret_key)
    sign_in_as(client, user)
    session = client.cookies.get(SESSION_COOKIE) or ""
    assert client.get("/my").status_code == 200

    erased = client.post(
        "/my/erase",
        data={"csrf_token": csrf_token(client), "vat_number": company.vat_number},
        follow_redirects=False,
    )
    assert erased.status_code == 303

    client.cookies.set(SESSION_COOKIE, session)
    assert client.get("/my", follow_redirects=False).headers["location"].startswith("/login")
    dead = client.get(f"/sign-in/{sign_in_link}", headers={"Accept-Language": "en"})
    assert dead.status_code == 410 and 'action="/sign-in"' in dead.text
    token = csrf_token(client)
    refused = client.post(confirmation, data={"csrf_token": token}, headers={"Accept-Language": "en"})
    assert refused.status_code == 404 and "This confirmation link is not valid" in refused.text
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    client.cookies.delete(SESSION_COOKIE)
    sign_in_as(client, organiser)
    assert client.get(f"/checkin/{qr_code}").status_code == 404


def test_tokens_signed_before_versions_existed_read_as_version_zero() -> None:
    serializer = URLSafeTimedSerializer("a secret of enough length for the test", salt="session")
    assert credentials.read(serializer, serializer.dumps({"uid": 7})) == credentials.Claim(7, 0)
    assert credentials.read(serializer, serializer.dumps([7, 3])) == credentials.Claim(7, 3)
    assert credentials.read(serializer, serializer.dumps([7, True])) is None
    assert credentials.read(serializer, serializer.dumps("7")) is None
    assert credentials.read(serializer, serializer.dumps([7, 3]) + "x") is None
