from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from tests.factories import create_user, csrf_token, sign_in_as


def _admin(client: TestClient, db_session: Session) -> User:
    admin = create_user(db_session, role="admin", email="chief@example.org")
    db_session.commit()
    sign_in_as(client, admin)
    return admin


def test_admin_adds_an_organiser_who_can_then_sign_in(client: TestClient, db_session: Session) -> None:
    admin = _admin(client, db_session)
    response = client.post(
        "/manage/organisers",
        data={
            "email": "New.Organiser@example.org",
            "password": "a long enough secret",
            "language": "en",
            "csrf_token": csrf_token(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert (
        "new.organiser@example.org" in page.text and "La persona che organizza ora può accedere" in page.text
    )
    event = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "user")).one()
    assert event.actor_user_id == admin.id and event.action == "create"
    assert event.after == {
        "email": "new.organiser@example.org",
        "role": "organiser",
        "language": "en",
        "is_active": True,
    }
    client.cookies.clear()
    token = client.post(
        "/api/auth/token", data={"username": "new.organiser@example.org", "password": "a long enough secret"}
    )
    assert token.status_code == 200


def test_bad_organiser_forms_are_shown_again_with_messages(client: TestClient, db_session: Session) -> None:
    _admin(client, db_session)
    short = client.post(
        "/manage/organisers",
        data={
            "email": "x@example.org",
            "password": "short",
            "language": "it",
            "csrf_token": csrf_token(client),
        },
    )
    assert short.status_code == 422
    assert 'aria-invalid="true"' in short.text and "Usi una password di almeno 10 caratteri." in short.text
    taken = client.post(
        "/manage/organisers",
        data={
            "email": "chief@example.org",
            "password": "a long enough secret",
            "csrf_token": csrf_token(client),
        },
    )
    assert taken.status_code == 409 and "Esiste già un account con questa email." in taken.text


def test_deactivated_organisers_lose_their_session_and_the_change_is_audited(
    client: TestClient, db_session: Session
) -> None:
    admin = _admin(client, db_session)
    organiser = create_user(db_session, role="organiser", email="leaving@example.org")
    db_session.commit()
    response = client.post(
        f"/manage/organisers/{organiser.id}/deactivate",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    events = db_session.exec(select(AuditEvent).where(AuditEvent.entity_id == str(organiser.id))).all()
    assert [(e.action, e.before, e.after) for e in events] == [
        ("deactivate", {"is_active": True}, {"is_active": False})
    ]
    assert events[0].actor_user_id == admin.id

    sign_in_as(client, organiser)
    assert client.get("/account", follow_redirects=False).headers["location"].startswith("/login")

    sign_in_as(client, admin)
    client.post(f"/manage/organisers/{organiser.id}/activate", data={"csrf_token": csrf_token(client)})
    # A session signed now carries the credential version the deactivation raised.
    db_session.refresh(organiser)
    sign_in_as(client, organiser)
    assert client.get("/account", follow_redirects=False).headers["location"] == "/manage"


def test_admins_cannot_deactivate_themselves_and_organisers_cannot_manage_staff(
    client: TestClient, db_session: Session
) -> None:
    admin = _admin(client, db_session)
    refused = client.post(
        f"/manage/organisers/{admin.id}/deactivate", data={"csrf_token": csrf_token(client)}
    )
    assert refused.status_code == 403 and "Non può disattivare il suo stesso account." in refused.text
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    assert client.get("/manage/organisers").status_code == 403


def test_deactivating_an_organiser_is_confirmed_on_a_page_saying_what_it_does(
    client: TestClient, db_session: Session
) -> None:
    _admin(client, db_session)
    organiser = create_user(db_session, role="organiser", email="maybe.leaving@example.org")
    db_session.commit()
    listing = client.get("/manage/organisers", headers={"Accept-Language": "en"}).text
    assert f'href="/manage/organisers/{organiser.id}/deactivate"' in listing
    assert f'action="/manage/organisers/{organiser.id}/deactivate"' not in listing  # a link, not a POST

    page = client.get(f"/manage/organisers/{organiser.id}/deactivate", headers={"Accept-Language": "it"})
    assert page.status_code == 200
    assert "maybe.leaving@example.org" in page.text
    assert "le sue sessioni, i token API e i link di accesso smettono di funzionare" in page.text
    assert f'action="/manage/organisers/{organiser.id}/deactivate"' in page.text
    db_session.refresh(organiser)
    assert organiser.is_active  # showing the page changed nothing
