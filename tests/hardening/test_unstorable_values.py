"""Values that pass validation but that the database cannot hold get 422, never 500: an id past
64 bits (on both engines), a NUL character in text (PostgreSQL refuses it; SQLite stores it)."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from tests.factories import create_stop, csrf_token, organiser_token, vat_number

HUGE_ID = 2**70
MESSAGE = "A value is too large or contains a character that cannot be stored (such as a NUL byte)."


def test_an_id_past_sixty_four_bits_gets_422_from_the_api_and_the_pages(client: TestClient) -> None:
    answer = client.get(f"/api/stops/{HUGE_ID}", headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"loc": ["request"], "field": "request", "msg": MESSAGE, "type": "value_error"}
    ]
    page = client.get(f"/stops/{HUGE_ID}", headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert "cannot be stored" in page.text


def test_a_nul_character_in_text_is_refused_where_the_database_cannot_store_it(
    client: TestClient, db_session: Session, engine: Engine
) -> None:
    stop = create_stop(db_session)
    headers = organiser_token(client, db_session) | {"Accept-Language": "en"}
    company = {"name": "Nul S.r.l.", "vat_number": vat_number(), "email": "nul@example.org"}
    body = {"company": company, "attendees": 1, "countries": [], "note": "before\x00after"}
    answer = client.post(f"/api/stops/{stop.id}/registrations", json=body, headers=headers)
    form = {
        "csrf_token": csrf_token(client),
        "name": "Nul\x00 S.r.l.",
        "vat_number": vat_number(),
        "contact_email": "nul.form@example.org",
        "attendees.0.name": "Persona",
        "attendees.0.email": "nul.form@example.org",
        "privacy": "yes",
    }
    page = client.post(f"/stops/{stop.id}/register", data=form, headers={"Accept-Language": "en"})
    if engine.dialect.name == "postgresql":
        assert answer.status_code == 422 and answer.json()["detail"][0]["msg"] == MESSAGE
        assert page.status_code == 422 and "cannot be stored" in page.text
    else:
        assert answer.status_code == 201
        assert page.status_code == 200 and "/registered/" in str(page.url)  # the receipt
