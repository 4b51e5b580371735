from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from tests.factories import create_user, csrf_token, sign_in_as


def signed_in_organiser(client: TestClient, db_session: Session) -> User:
    user = create_user(db_session, role="organiser")
    sign_in_as(client, user)
    return user


def item_form(client: TestClient, **values: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": csrf_token(client),
        "kind": "keynote",
        "starts_at": "10:00",
        "ends_at": "10:30",
        "title_it": "Apertura dei lavori",
        "title_en": "Opening",
        "room": "Sala plenaria",
    }
    form.update(values)
    return form
