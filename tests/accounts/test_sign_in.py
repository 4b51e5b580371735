import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.errors import Conflict, InvalidInput
from tests.factories import create_user, csrf_token


def test_organiser_gets_a_bearer_token_with_the_password_flow(
    client: TestClient, db_session: Session
) -> None:
    create_user(db_session, email="org@example.org", password="correct horse battery")
    db_session.commit()
    response = client.post(
        "/api/auth/token", data={"username": "org@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"]


def test_wrong_password_and_unknown_user_get_the_same_401(client: TestClient, db_session: Session) -> None:
    create_user(db_session, email="org2@example.org")
    db_session.commit()
    wrong = client.post(
        "/api/auth/token", data={"username": "org2@example.org", "password": "nope nope nope"}
    )
    unknown = client.post(
        "/api/auth/token", data={"username": "who@example.org", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_missing_form_fields_get_422(client: TestClient) -> None:
    response = client.post("/api/auth/token", data={"username": "x@example.org"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["password"]


def test_login_page_sets_an_httponly_lax_cookie_and_logout_clears_it(
    client: TestClient, db_session: Session
) -> None:
    create_user(db_session, email="org3@example.org", password="correct horse battery")
    db_session.commit()
    response = client.post(
        "/login",
        data={
            "email": "org3@example.org",
            "password": "correct horse battery",
            "next": "/",
            "csrf_token": csrf_token(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "roadshow_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # the base URL is http
    logout = client.post("/logout", data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert logout.status_code == 303


def test_failed_login_shows_the_form_again_with_one_message(client: TestClient) -> None:
    response = client.post(
        "/login",
        data={"email": "nobody@example.org", "password": "whatever123", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 401
    assert "Email o password errate." in response.text
    assert 'value="nobody@example.org"' in response.text


def test_passwords_are_stored_as_argon2_hashes(db_session: Session) -> None:
    user = create_user(db_session, password="correct horse battery")
    assert user.password_hash and user.password_hash.startswith("$argon2")


def test_duplicate_email_and_short_password_are_refused(db_session: Session) -> None:
    create_user(db_session, email="dup@example.org")
    with pytest.raises(Conflict):
        accounts_service.create(
            "DUP@example.org", role=Role.ORGANISER, password="x" * 12, db_session=db_session
        )
    with pytest.raises(InvalidInput) as error:
        accounts_service.create(
            "new@example.org", role=Role.ORGANISER, password="short", db_session=db_session
        )
    assert "password" in error.value.errors


def test_cli_creates_an_organiser_reading_the_password_from_stdin(sqlite_database) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_database()
    env = {"ROADSHOW_DATABASE_URL": url, "PATH": ""}
    run = [sys.executable, "-m", "app.cli"]
    subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True)
    created = subprocess.run(
        [*run, "users", "create", "boss@example.org", "--role", "organiser"],
        env=env,
        input="correct horse battery\n",
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    again = subprocess.run(
        [*run, "users", "create", "boss@example.org", "--role", "organiser"],
        env=env,
        input="correct horse battery\n",
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1 and "already exists" in again.stderr


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    csrf_token(client)  # the browser has its cookie, but the form does not carry the token
    response = client.post("/login", data={"email": "a@example.org", "password": "whatever123"})
    assert response.status_code == 403
    assert "Questo modulo è scaduto" in response.text
    forged = client.post("/logout", data={"csrf_token": "0" * 64})
    assert forged.status_code == 403


def test_account_sends_each_role_home(client: TestClient, db_session: Session) -> None:
    create_user(db_session, email="home@example.org", password="correct horse battery")
    db_session.commit()
    client.post(
        "/login",
        data={
            "email": "home@example.org",
            "password": "correct horse battery",
            "csrf_token": csrf_token(client),
        },
    )
    assert client.get("/account", follow_redirects=False).headers["location"] == "/manage"


def test_account_asks_anonymous_visitors_to_sign_in(client: TestClient) -> None:
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faccount"
