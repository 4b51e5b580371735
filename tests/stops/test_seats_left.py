"""The public "seats left" is what the next registration would find: lapsed holds are free."""

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.companies import seats
from app.companies.models import RegistrationStatus
from app.stops import service
from app.stops.models import Stop
from tests.factories import create_registration, create_stop

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _hold(db_session: Session, stop: Stop, expires_at: datetime) -> None:
    create_registration(
        db_session,
        stop,
        status=RegistrationStatus.PENDING,
        hold_expires_at=expires_at,
    )


def _seats_left(client: TestClient, stop: Stop) -> int:
    response = client.get(f"/api/stops/{stop.id}")
    assert response.status_code == 200
    return int(response.json()["seats_left"])


def test_a_lapsed_hold_leaves_its_seat_free_and_the_next_registration_gets_it(
    client: TestClient, db_session: Session
) -> None:
    clock.set_source(lambda: NOW)
    stop = create_stop(db_session, capacity=3, stop_date=date(2027, 5, 12))
    create_registration(db_session, stop, status="confirmed")
    _hold(db_session, stop, NOW + timedelta(hours=2))
    _hold(db_session, stop, NOW - timedelta(minutes=1))
    create_registration(db_session, stop, status=RegistrationStatus.CANCELLED)

    assert _seats_left(client, stop) == 1
    assert create_registration(db_session, stop).status == RegistrationStatus.CONFIRMED
    assert _seats_left(client, stop) == 0
    assert create_registration(db_session, stop).status == RegistrationStatus.WAITLISTED


def test_a_seat_freed_by_a_lapsed_hold_goes_to_the_waiting_list_not_to_newcomers(
    client: TestClient, db_session: Session
) -> None:
    clock.set_source(lambda: NOW)
    stop = create_stop(db_session, capacity=2, stop_date=date(2027, 5, 12))
    create_registration(db_session, stop, status="confirmed")
    _hold(db_session, stop, NOW - timedelta(hours=1))
    create_registration(
        db_session,
        stop,
        status=RegistrationStatus.WAITLISTED,
        waitlist_position=1,
        email_verified_at=NOW - timedelta(days=1),
    )

    assert _seats_left(client, stop) == 0
    assert create_registration(db_session, stop).status == RegistrationStatus.WAITLISTED


def test_the_stop_page_shows_the_same_seats_left(client: TestClient, db_session: Session) -> None:
    clock.set_source(lambda: NOW)
    stop = create_stop(db_session, capacity=5, stop_date=date(2027, 5, 12))
    _hold(db_session, stop, NOW - timedelta(hours=1))
    _hold(db_session, stop, NOW + timedelta(hours=1))

    html = client.get(f"/stops/{stop.id}").text
    assert "<strong>4</strong> / 5" in html


def test_listings_count_the_same_seats_as_the_seats_module_for_every_status(db_session: Session) -> None:
    clock.set_source(lambda: NOW)
    stop = create_stop(db_session, capacity=20, stop_date=date(2027, 5, 12))
    for status in ("confirmed", "confirmed", RegistrationStatus.CANCELLED, RegistrationStatus.WAITLISTED):
        create_registration(db_session, stop, status=status)
    _hold(db_session, stop, NOW + timedelta(minutes=5))
    _hold(db_session, stop, NOW - timedelta(minutes=5))
    create_registration(db_session, stop, status=RegistrationStatus.PENDING, hold_expires_at=None)

    expected = seats.seat_counts([stop.id or 0], db_session=db_session)[stop.id or 0]
    (view,) = service.counted_views(select(Stop).where(Stop.id == stop.id), db_session=db_session)

    assert (expected.held, expected.waiting) == (4, 1)
    assert view.seats_taken == expected.spoken_for(stop.capacity) == 5
