"""A capacity raised by the stop's edit form or its API goes first to the waiting list."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.companies.models import Registration, RegistrationStatus
from app.stops import manage
from app.stops.models import Stop
from tests.factories import (
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    organiser_token,
    sign_in_as,
)


def edit_form(stop: Stop) -> dict[str, object]:
    """The stop's edit form as the browser sends it, unchanged."""
    return {
        "title_it": stop.title_it,
        "title_en": stop.title_en,
        "sector": stop.sector_slug,
        "territory": stop.territory_code,
        "city": stop.city,
        "venue": stop.venue,
        "venue_address": stop.venue_address,
        "date": stop.stop_date.isoformat(),
        "start_time": stop.start_time.strftime("%H:%M"),
        "end_time": stop.end_time.strftime("%H:%M"),
        "capacity": str(stop.capacity),
        "attendees_per_company": str(stop.attendees_per_company),
        "hold_hours": str(stop.hold_hours),
        "meeting_request_quota": str(stop.meeting_request_quota),
        "b2b_slot_minutes": str(stop.b2b_slot_minutes),
        "b2b_slot_count": "0",
        "b2b_tables": "0",
        "countries": ["US", "DE"],
        "other_countries": "",
    }


def full_stop(db_session: Session) -> tuple[Stop, Registration, Registration]:
    """A one-seat stop, taken, with two companies waiting: the head and the one behind."""
    clock.set_source(lambda: datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    stop = create_stop(db_session, capacity=1)
    create_registration(db_session, stop)
    head, behind = create_registration(db_session, stop), create_registration(db_session, stop)
    assert (head.waitlist_position, behind.waitlist_position) == (1, 2)
    db_session.commit()
    return stop, head, behind


def assert_head_promoted_before_a_newcomer(
    db_session: Session, stop: Stop, head: Registration, behind: Registration
) -> None:
    db_session.refresh(head)
    db_session.refresh(behind)
    assert head.status == RegistrationStatus.CONFIRMED and head.waitlist_position is None
    assert behind.status == RegistrationStatus.WAITLISTED and behind.waitlist_position == 1
    newcomer = create_registration(db_session, stop)
    assert newcomer.status == RegistrationStatus.WAITLISTED and newcomer.waitlist_position == 2


def test_raising_capacity_with_the_edit_form_promotes_the_head_of_the_waiting_list(
    client: TestClient, db_session: Session
) -> None:
    stop, head, behind = full_stop(db_session)
    sign_in_as(client, create_user(db_session))
    db_session.commit()
    response = client.post(
        f"/manage/stops/{stop.id}/edit",
        data={**edit_form(stop), "csrf_token": csrf_token(client), "capacity": "2"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    db_session.refresh(stop)
    assert stop.capacity == 2
    assert_head_promoted_before_a_newcomer(db_session, stop, head, behind)


def test_raising_capacity_with_patch_promotes_the_head_of_the_waiting_list(
    client: TestClient, db_session: Session
) -> None:
    stop, head, behind = full_stop(db_session)
    headers = organiser_token(client, db_session)
    response = client.patch(f"/api/stops/{stop.id}", json={"capacity": 2}, headers=headers)
    assert response.status_code == 200, response.text
    assert_head_promoted_before_a_newcomer(db_session, stop, head, behind)


def test_lowering_capacity_below_the_seats_held_is_refused_by_patch(
    client: TestClient, db_session: Session
) -> None:
    stop, _head, _behind = full_stop(db_session)
    headers = organiser_token(client, db_session)
    refused = client.patch(f"/api/stops/{stop.id}", json={"capacity": 0}, headers=headers)
    assert refused.status_code == 422
    assert "capacity" in refused.text
    db_session.refresh(stop)
    assert stop.capacity == 1


def test_cancelling_a_stop_clears_its_waiting_list_and_promotes_nobody(db_session: Session) -> None:
    stop, head, behind = full_stop(db_session)
    manage.transition(stop.id or 0, "cancel", actor=None, db_session=db_session)
    for registration in (head, behind):
        db_session.refresh(registration)
        assert registration.status == RegistrationStatus.CANCELLED
        assert registration.waitlist_position is None and registration.confirmed_at is None
