from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.audit.models import AuditEvent
from app.stops.models import Stop, StopStatus
from tests.factories import create_stop, create_user, csrf_token, sign_in_as

FORM = {
    "title_it": "Moda a Como",
    "title_en": "Fashion in Como",
    "sector": "fashion",
    "territory": "CO",
    "city": "Como",
    "venue": "Villa Erba",
    "venue_address": "Largo Luchino Visconti 4, Cernobbio",
    "date": "2027-04-20",
    "start_time": "09:00",
    "end_time": "17:00",
    "capacity": "80",
    "attendees_per_company": "2",
    "hold_hours": "48",
    "registration_opens_at": "2027-02-01T09:00",
    "registration_closes_at": "2027-04-15T18:00",
    "meeting_request_quota": "3",
    "b2b_first_slot": "14:00",
    "b2b_slot_minutes": "20",
    "b2b_slot_count": "6",
    "b2b_tables": "8",
    "countries": ["FR", "US"],
    "other_countries": "",
}


def signed_in_organiser(client: TestClient, db_session: Session) -> None:
    clock.set_source(lambda: datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    sign_in_as(client, create_user(db_session))
    db_session.commit()


def test_back_office_pages_need_an_organiser(client: TestClient, db_session: Session) -> None:
    response = client.get("/manage/stops", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    sign_in_as(client, create_user(db_session, role="company", password=None))
    db_session.commit()
    assert client.get("/manage/stops/new").status_code == 403


def test_organiser_creates_a_draft_with_the_form_and_it_is_audited(
    client: TestClient, db_session: Session
) -> None:
    signed_in_organiser(client, db_session)
    assert "Nuova tappa" in client.get("/manage/stops/new").text
    response = client.post(
        "/manage/stops/new", data={**FORM, "csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    stop_id = int(response.headers["location"].split("/")[3].split("?")[0])
    stop = db_session.get(Stop, stop_id)
    assert stop is not None and stop.status == StopStatus.DRAFT
    assert stop.registration_opens_at == datetime(2027, 2, 1, 8, 0, tzinfo=UTC)  # 09:00 in Italy
    assert stop.b2b_slot_count == 6 and not stop.auto_accept_requests
    page = client.get(response.headers["location"]).text
    assert "Bozza" in page and "Pubblica" in page
    assert (
        db_session.exec(select(AuditEvent).where(AuditEvent.entity_id == str(stop_id))).one().action
        == "create"
    )


def test_a_bad_form_comes_back_with_each_message_next_to_its_field(
    client: TestClient, db_session: Session
) -> None:
    signed_in_organiser(client, db_session)
    bad = {
        **FORM,
        "end_time": "08:00",
        "registration_closes_at": "2027-04-25T09:00",
        "b2b_first_slot": "16:00",
        "other_countries": "XX",
        "title_it": "",
        "title_en": "",
    }
    response = client.post("/manage/stops/new", data={**bad, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    html = response.text
    for field in ("end_time", "registration_closes_at", "other_countries", "title_it"):
        assert f'id="field-{field}-error"' in html, field
        assert (
            f'aria-describedby="field-{field}-error"' in html
            or f"field-{field}-hint field-{field}-error" in html
        )
    assert "La tappa deve finire dopo l&#39;inizio." in html
    assert 'value="Villa Erba"' in html  # what was typed is kept


def test_b2b_block_must_fit_within_the_day(client: TestClient, db_session: Session) -> None:
    signed_in_organiser(client, db_session)
    bad = {**FORM, "b2b_first_slot": "16:00", "b2b_slot_count": "6"}
    html = client.post("/manage/stops/new", data={**bad, "csrf_token": csrf_token(client)}).text
    assert 'id="field-b2b_slot_count-error"' in html and "16:00–18:00" in html


def test_publish_close_and_reopen_with_buttons(client: TestClient, db_session: Session) -> None:
    signed_in_organiser(client, db_session)
    stop = create_stop(db_session, status=StopStatus.DRAFT)
    db_session.commit()
    token = csrf_token(client)
    for action, status in (("publish", "published"), ("close", "closed"), ("publish", "published")):
        response = client.post(f"/manage/stops/{stop.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 200
        db_session.refresh(stop)
        assert stop.status == status
    wrong = client.post(f"/manage/stops/{stop.id}/publish", data={"csrf_token": token})
    assert wrong.status_code == 409 and "Solo una bozza" in wrong.text
    actions = db_session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == str(stop.id))).all()
    assert list(actions) == ["publish", "close", "publish"]


def test_duplicate_makes_a_draft_copy_with_the_same_countries(
    client: TestClient, db_session: Session
) -> None:
    signed_in_organiser(client, db_session)
    stop = create_stop(db_session, countries=("IN", "AE"))
    db_session.commit()
    response = client.post(
        f"/manage/stops/{stop.id}/duplicate", data={"csrf_token": csrf_token(client)}, follow_redirects=False
    )
    copy_id = int(response.headers["location"].split("/")[3])
    page = client.get(response.headers["location"]).text
    assert "copia" in page and 'value="IN" checked' in page and 'value="AE" checked' in page
    copy = db_session.get(Stop, copy_id)
    assert copy is not None and copy.status == StopStatus.DRAFT and copy.slug != stop.slug


def test_list_filters_by_status_and_names_bad_filters(client: TestClient, db_session: Session) -> None:
    signed_in_organiser(client, db_session)
    create_stop(
        db_session, status=StopStatus.DRAFT, title_it="Bozza segreta", stop_date=datetime(2027, 1, 5).date()
    )
    db_session.commit()
    drafts = client.get("/manage/stops", params={"status": "draft"}).text
    assert "Bozza segreta" in drafts and "Meccanica a Bergamo" not in drafts
    bad = client.get("/manage/stops", params={"status": "nope", "when": "later"})
    assert (
        bad.status_code == 422
        and 'id="field-status-error"' in bad.text
        and 'id="field-when-error"' in bad.text
    )
