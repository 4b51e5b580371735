from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import clock
from app.audit.models import AuditEvent
from app.reference.models import Country
from app.stops.models import Stop, StopCountry
from tests.factories import create_user, organiser_token, sign_in_as

BODY = {
    "title": "Aerospazio a Como",
    "sector": "aerospace",
    "territory": "CO",
    "city": "Como",
    "venue": "Villa Erba",
    "date": "2027-06-15",
    "capacity": 60,
    "countries": ["US", "FR"],
    "status": "published",
}


def fixed_clock() -> None:
    clock.set_source(lambda: datetime(2026, 11, 21, 9, 0, tzinfo=UTC))


def test_organiser_creates_a_published_stop_that_the_public_api_lists(
    client: TestClient, db_session: Session
) -> None:
    fixed_clock()
    headers = organiser_token(client, db_session)
    response = client.post("/api/stops", json=BODY, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"] and created["status"] == "published"
    public = client.get(f"/api/stops/{created['id']}").json()
    assert public["countries"] == ["US", "FR"] and public["sector"] == "aerospace"
    stop = db_session.get(Stop, created["id"])
    assert stop is not None
    assert stop.title_it == stop.title_en == "Aerospazio a Como"
    assert stop.slug == "como-2027-06-15"
    assert (stop.start_time.isoformat(), stop.end_time.isoformat()) == ("09:30:00", "17:30:00")
    event = db_session.exec(
        select(AuditEvent).where(AuditEvent.entity_type == "stop", AuditEvent.entity_id == str(stop.id))
    ).one()
    assert event.action == "create" and event.after is not None
    assert event.after["countries"] == ["US", "FR"] and event.after["capacity"] == 60


def test_bad_input_gets_one_message_per_field_naming_unknown_codes(
    client: TestClient, db_session: Session
) -> None:
    headers = organiser_token(client, db_session)
    body = {**BODY, "sector": "nope", "territory": "ZZ", "countries": ["US", "XX"]}
    body.update(date="12/06/2027", capacity=-3, end_time="25:00")
    response = client.post("/api/stops", json=body, headers=headers)
    assert response.status_code == 422
    errors = {e["field"]: e["msg"] for e in response.json()["detail"]}
    assert set(errors) == {"sector", "territory", "countries", "date", "capacity", "end_time"}
    assert "nope" in errors["sector"] and "ZZ" in errors["territory"] and "XX" in errors["countries"]
    assert "US" not in errors["countries"]


def test_missing_fields_are_each_named(client: TestClient, db_session: Session) -> None:
    headers = organiser_token(client, db_session)
    response = client.post("/api/stops", json={"capacity": 10}, headers=headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"title", "sector", "territory", "city", "venue", "date"}


def test_another_iso_country_is_added_with_babel_names_not_as_a_prospect(
    client: TestClient, db_session: Session
) -> None:
    fixed_clock()
    headers = organiser_token(client, db_session)
    response = client.post("/api/stops", json={**BODY, "countries": ["jp", "US"]}, headers=headers)
    assert response.status_code == 201, response.text
    japan = db_session.get(Country, "JP")
    assert japan is not None and not japan.is_prospect
    assert (japan.name_it, japan.name_en) == ("Giappone", "Japan")
    links = db_session.exec(
        select(StopCountry.country_code)
        .where(StopCountry.stop_id == response.json()["id"])
        .order_by(col(StopCountry.position))
    ).all()
    assert list(links) == ["JP", "US"]


def test_without_a_token_401_and_for_a_company_403(client: TestClient, db_session: Session) -> None:
    assert client.post("/api/stops", json=BODY).status_code == 401
    company_user = create_user(db_session, role="company", password=None)
    db_session.commit()
    sign_in_as(client, company_user)
    assert client.post("/api/stops", json=BODY).status_code == 403


def test_a_draft_stays_off_the_public_api_until_published(client: TestClient, db_session: Session) -> None:
    fixed_clock()
    headers = organiser_token(client, db_session)
    stop_id = client.post("/api/stops", json={**BODY, "status": "draft"}, headers=headers).json()["id"]
    assert client.get(f"/api/stops/{stop_id}").status_code == 404
    published = client.post(f"/api/stops/{stop_id}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert client.get(f"/api/stops/{stop_id}").status_code == 200
    again = client.post(f"/api/stops/{stop_id}/publish", headers=headers)
    assert again.status_code == 409


def test_patch_changes_only_what_is_sent_and_checks_it(client: TestClient, db_session: Session) -> None:
    fixed_clock()
    headers = organiser_token(client, db_session)
    stop_id = client.post("/api/stops", json=BODY, headers=headers).json()["id"]
    changed = client.patch(f"/api/stops/{stop_id}", json={"capacity": 90}, headers=headers)
    assert changed.status_code == 200 and changed.json()["capacity"] == 90
    wrong = client.patch(
        f"/api/stops/{stop_id}",
        json={"start_time": "18:00", "capcity": 3, "status": "closed"},
        headers=headers,
    )
    assert wrong.status_code == 422
    fields = {e["field"] for e in wrong.json()["detail"]}
    assert fields == {"end_time", "capcity", "status"}
