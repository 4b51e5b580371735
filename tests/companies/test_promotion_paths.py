"""Every path that frees a seat gives it to the head of the waiting list, never to a newcomer."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.companies import profiles, seats
from app.companies.models import Registration, RegistrationStatus
from app.stops.models import Stop
from tests.factories import (
    create_company,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    organiser_token,
    sign_in_as,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def holder_and_queue(
    db_session: Session, *, public: bool = False
) -> tuple[Stop, Registration, Registration, Registration]:
    """A one-seat stop whose seat is held by a company with a sign-in, and two waiting behind it."""
    clock.set_source(lambda: NOW)
    stop = create_stop(db_session, capacity=1, hold_hours=48)
    company = create_company(db_session)
    holder = create_registration(db_session, stop, company, public=public)
    head, behind = create_registration(db_session, stop), create_registration(db_session, stop)
    assert holder.status == (RegistrationStatus.PENDING if public else RegistrationStatus.CONFIRMED)
    assert (head.waitlist_position, behind.waitlist_position) == (1, 2)
    db_session.commit()
    return stop, holder, head, behind


def assert_head_promoted_before_a_newcomer(
    db_session: Session, stop: Stop, head: Registration, behind: Registration
) -> None:
    db_session.refresh(head)
    db_session.refresh(behind)
    assert head.status == RegistrationStatus.CONFIRMED and head.waitlist_position is None
    assert behind.status == RegistrationStatus.WAITLISTED and behind.waitlist_position == 1
    newcomer = create_registration(db_session, stop)
    assert newcomer.status == RegistrationStatus.WAITLISTED and newcomer.waitlist_position == 2


def sign_in_company(client: TestClient, db_session: Session, registration: Registration) -> None:
    company = profiles.get(registration.company_id, db_session=db_session)
    assert company is not None
    user = profiles.ensure_company_user(company, db_session=db_session)
    assert user is not None
    db_session.commit()
    sign_in_as(client, user)


def sign_in_organiser(client: TestClient, db_session: Session) -> None:
    sign_in_as(client, create_user(db_session, role="organiser"))
    db_session.commit()


def cancel_on_my_page(client: TestClient, db_session: Session, holder: Registration) -> int:
    sign_in_company(client, db_session, holder)
    url = f"/my/registrations/{holder.id}/cancel"
    response = client.post(url, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    return int(response.status_code)


def cancel_by_company_api(client: TestClient, db_session: Session, holder: Registration) -> int:
    sign_in_company(client, db_session, holder)
    url = f"/api/registrations/{holder.id}/cancel"
    response = client.post(url, headers={"X-CSRF-Token": csrf_token(client)})
    return int(response.status_code)


def cancel_on_registrations_page(client: TestClient, db_session: Session, holder: Registration) -> int:
    sign_in_organiser(client, db_session)
    url = f"/manage/registrations/{holder.id}/cancel"
    response = client.post(url, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    return int(response.status_code)


def cancel_by_organiser_api(client: TestClient, db_session: Session, holder: Registration) -> int:
    headers = organiser_token(client, db_session)
    response = client.post(f"/api/registrations/{holder.id}/cancel", headers=headers)
    return int(response.status_code)


def move_to_another_stop(client: TestClient, db_session: Session, holder: Registration) -> int:
    other = create_stop(db_session, capacity=5)
    sign_in_organiser(client, db_session)
    url = f"/manage/registrations/{holder.id}/move"
    data = {"csrf_token": csrf_token(client), "stop_id": str(other.id)}
    response = client.post(url, data=data, follow_redirects=False)
    return int(response.status_code)


@pytest.mark.parametrize(
    "free_the_seat",
    [
        cancel_on_my_page,
        cancel_by_company_api,
        cancel_on_registrations_page,
        cancel_by_organiser_api,
        move_to_another_stop,
    ],
)
def test_a_freed_seat_goes_to_the_head_of_the_waiting_list(
    client: TestClient,
    db_session: Session,
    free_the_seat: Callable[[TestClient, Session, Registration], int],
) -> None:
    stop, holder, head, behind = holder_and_queue(db_session)
    assert free_the_seat(client, db_session, holder) in (200, 303)
    assert_head_promoted_before_a_newcomer(db_session, stop, head, behind)


def test_the_capacity_box_on_the_registrations_page_promotes_the_head(
    client: TestClient, db_session: Session
) -> None:
    stop, _holder, head, behind = holder_and_queue(db_session)
    sign_in_organiser(client, db_session)
    url = f"/manage/stops/{stop.id}/capacity"
    client.post(url, data={"csrf_token": csrf_token(client), "capacity": "2"}, follow_redirects=False)
    db_session.refresh(stop)
    assert stop.capacity == 2
    assert_head_promoted_before_a_newcomer(db_session, stop, head, behind)


def test_a_hold_released_by_the_worker_goes_to_the_head(db_session: Session) -> None:
    stop, holder, head, behind = holder_and_queue(db_session, public=True)
    clock.set_source(lambda: NOW + timedelta(hours=49))
    assert seats.expire_stale_holds(db_session=db_session) == 1
    db_session.refresh(holder)
    assert holder.status == RegistrationStatus.EXPIRED
    assert_head_promoted_before_a_newcomer(db_session, stop, head, behind)


def test_a_lapsed_hold_found_by_a_newcomer_goes_to_the_head(db_session: Session) -> None:
    stop, holder, head, behind = holder_and_queue(db_session, public=True)
    clock.set_source(lambda: NOW + timedelta(hours=49))
    newcomer = create_registration(db_session, stop)
    for registration in (holder, head, behind):
        db_session.refresh(registration)
    assert holder.status == RegistrationStatus.EXPIRED
    assert head.status == RegistrationStatus.CONFIRMED
    assert (behind.waitlist_position, newcomer.waitlist_position) == (1, 2)


def test_listings_count_a_lapsed_hold_as_taken_while_someone_waits(db_session: Session) -> None:
    stop, _holder, _head, _behind = holder_and_queue(db_session, public=True)
    clock.set_source(lambda: NOW + timedelta(hours=49))
    counts = seats.seat_counts([stop.id or 0], db_session=db_session)[stop.id or 0]
    assert (counts.held, counts.waiting) == (0, 2)
    assert counts.spoken_for(stop.capacity) == 1
