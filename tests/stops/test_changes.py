"""Changes to an announced stop are told to the people concerned; cancelling closes it."""

import html
from datetime import UTC, date, datetime, time

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.audit.models import AuditEvent
from app.companies.models import Registration, RegistrationStatus
from app.consuls.models import InvitationStatus, Representative
from app.stops import changes
from app.stops.models import StopStatus
from tests.factories import (
    create_company,
    create_invitation,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    outbox,
    sign_in_as,
)


def now_in_november() -> None:
    clock.set_source(lambda: datetime(2026, 11, 21, 9, 0, tzinfo=UTC))


def test_moving_a_published_stop_emails_companies_and_consuls_in_their_language(
    db_session: Session,
) -> None:
    now_in_november()
    organiser = create_user(db_session)
    stop = create_stop(db_session, stop_date=date(2027, 5, 12), venue="Ville Ponti")
    italian = create_company(db_session, contact_email="it@example.org", language="it")
    english = create_company(db_session, contact_email="en@example.org", language="en")
    waiting = create_company(db_session, contact_email="wait@example.org")
    gone = create_company(db_session, contact_email="gone@example.org")
    create_registration(db_session, stop, italian, status="confirmed")
    create_registration(db_session, stop, english, status=RegistrationStatus.PENDING)
    create_registration(db_session, stop, waiting, status=RegistrationStatus.WAITLISTED, waitlist_position=1)
    create_registration(db_session, stop, gone, status=RegistrationStatus.CANCELLED)
    consul = create_invitation(db_session, stop=stop, status=InvitationStatus.CONFIRMED, language="en")
    create_invitation(db_session, stop=stop, country="DE", status=InvitationStatus.DECLINED)

    changes.update(
        stop.id or 0,
        {"date": "2027-05-19", "venue": "Centro Congressi", "capacity": 70},
        actor=organiser,
        db_session=db_session,
    )

    messages = {m.to_address: m for m in outbox(db_session)}
    assert len(messages) == 4 and {"it@example.org", "en@example.org", "wait@example.org"} < set(messages)
    representative = db_session.get(Representative, consul.representative_id)
    assert representative is not None
    consul_mail = messages[representative.email]
    assert consul_mail.language == "en" and consul.status == InvitationStatus.CONFIRMED
    italian_mail = messages["it@example.org"]
    assert italian_mail.language == "it" and "Modifica alla tappa" in italian_mail.subject
    assert "mercoledì 12 maggio 2027 → mercoledì 19 maggio 2027" in italian_mail.body_text
    assert "Ville Ponti → Centro Congressi" in italian_mail.body_text
    assert italian_mail.body_text.count("→") == 2  # the capacity is nobody's news
    english_mail = messages["en@example.org"]
    assert "Wednesday, 12 May 2027 → Wednesday, 19 May 2027" in english_mail.body_text
    assert "<s>Ville Ponti</s>" in english_mail.body_html


def test_changes_nobody_needs_to_know_send_nothing(db_session: Session) -> None:
    now_in_november()
    organiser = create_user(db_session)
    published = create_stop(db_session)
    draft = create_stop(db_session, status=StopStatus.DRAFT)
    for stop in (published, draft):
        create_registration(db_session, stop, status="confirmed")
    changes.update(
        published.id or 0, {"capacity": 80, "title_en": "New"}, actor=organiser, db_session=db_session
    )
    changes.update(draft.id or 0, {"venue": "Elsewhere"}, actor=organiser, db_session=db_session)
    assert outbox(db_session) == []


def test_a_time_change_shows_old_and_new_times(db_session: Session) -> None:
    now_in_november()
    stop = create_stop(db_session, start_time=time(9, 30))
    create_registration(
        db_session, stop, create_company(db_session, contact_email="t@example.org"), status="confirmed"
    )
    changes.update(stop.id or 0, {"start_time": "10:00"}, actor=None, db_session=db_session)
    (message,) = outbox(db_session)
    assert "09:30 → 10:00" in message.body_text


def test_capacity_cannot_drop_below_the_seats_already_held(db_session: Session) -> None:
    now_in_november()
    stop = create_stop(db_session, capacity=3)
    for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.CANCELLED):
        create_registration(db_session, stop, status=status)
    try:
        changes.update(stop.id or 0, {"capacity": 1}, actor=None, db_session=db_session)
    except changes.InvalidInput as exc:
        assert "2" in exc.errors["capacity"]
    else:
        raise AssertionError("capacity below the seats held was accepted")
    changes.update(stop.id or 0, {"capacity": 2}, actor=None, db_session=db_session)


def test_cancelling_closes_registrations_clears_the_waiting_list_and_tells_everyone(
    client: TestClient, db_session: Session
) -> None:
    now_in_november()
    organiser = create_user(db_session)
    stop = create_stop(db_session, capacity=1)
    confirmed = create_registration(
        db_session, stop, create_company(db_session, language="en"), status="confirmed"
    )
    waiting = create_registration(
        db_session,
        stop,
        status=RegistrationStatus.WAITLISTED,
        waitlist_position=1,
    )
    expired = create_registration(db_session, stop, status=RegistrationStatus.EXPIRED)
    create_invitation(db_session, stop=stop, status=InvitationStatus.INVITED)
    sign_in_as(client, organiser)
    db_session.commit()

    confirm_page = html.unescape(client.get(f"/manage/stops/{stop.id}/cancel").text)
    assert "2 aziende iscritte e 1 rappresentante consolare invitato ricevono un'email" in confirm_page
    response = client.post(
        f"/manage/stops/{stop.id}/cancel",
        data={"reason": "Sede non disponibile", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303

    db_session.expire_all()
    for registration in (confirmed, waiting):
        row = db_session.get(Registration, registration.id)
        assert row is not None and row.status == RegistrationStatus.CANCELLED
        assert row.cancelled_at is not None and row.waitlist_position is None
    still_expired = db_session.get(Registration, expired.id)
    assert still_expired is not None and still_expired.status == RegistrationStatus.EXPIRED
    messages = outbox(db_session)
    assert len(messages) == 3
    assert all(m.template == "stops/emails/stop_cancelled" for m in messages)
    english = next(m for m in messages if m.language == "en" and "Cancelled" in m.subject)
    assert "has been cancelled" in english.body_text and "Sede non disponibile" in english.body_text

    assert all(s["id"] != stop.id for s in client.get("/api/stops").json())
    assert "Questa tappa è stata annullata." in client.get(f"/stops/{stop.id}").text
    event = db_session.exec(
        select(AuditEvent).where(AuditEvent.entity_id == str(stop.id), AuditEvent.action == "cancel")
    ).one()
    assert event.after == {
        "status": "cancelled",
        "registrations_cancelled": 2,
        "reason": "Sede non disponibile",
    }
    assert event.before is not None and event.before["countries"] == ["US", "DE"]
    assert (
        client.post(f"/manage/stops/{stop.id}/edit", data={"csrf_token": csrf_token(client)}).status_code
        == 409
    )


def test_cancelling_a_draft_tells_nobody(db_session: Session) -> None:
    stop = create_stop(db_session, status=StopStatus.DRAFT)
    create_invitation(db_session, stop=stop)
    changes.transition(stop.id or 0, "cancel", actor=None, db_session=db_session)
    assert outbox(db_session) == []
