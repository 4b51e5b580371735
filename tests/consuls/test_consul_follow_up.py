from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.consuls import follow_up
from app.consuls.models import Invitation, InvitationStatus
from app.notifications.models import OutboxMessage
from tests.factories import (
    create_invitation,
    create_stop,
    create_user,
    csrf_token,
    only_representatives_of,
    sign_in_as,
)

INVITED_AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _at(moment: datetime) -> None:
    clock.set_source(lambda: moment)


def _reminders_to(db_session: Session, email: str) -> int:
    return len(
        db_session.exec(
            select(OutboxMessage).where(
                OutboxMessage.to_address == email, OutboxMessage.template == "consuls/emails/reminder"
            )
        ).all()
    )


def test_reminder_goes_out_after_the_set_days_and_at_most_once_per_period(db_session: Session) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",), stop_date=date(2027, 5, 12))
    create_invitation(db_session, stop, person, invited_at=INVITED_AT)
    settings = Settings(invitation_reminder_days=5)

    _at(INVITED_AT + timedelta(days=4, hours=23))
    assert follow_up.send_due_reminders(db_session=db_session, settings=settings) == 0
    _at(INVITED_AT + timedelta(days=5))
    assert follow_up.send_due_reminders(db_session=db_session, settings=settings) == 1
    assert follow_up.send_due_reminders(db_session=db_session, settings=settings) == 0
    _at(INVITED_AT + timedelta(days=9, hours=23))
    assert follow_up.send_due_reminders(db_session=db_session, settings=settings) == 0
    _at(INVITED_AT + timedelta(days=10))
    assert follow_up.send_due_reminders(db_session=db_session, settings=settings) == 1
    assert _reminders_to(db_session, person.email) == 2
    reminder = db_session.exec(select(OutboxMessage).where(OutboxMessage.to_address == person.email)).first()
    assert (
        reminder is not None
        and reminder.subject.startswith("Reminder: Test stop")
        and reminder.language == "en"
    )


def test_no_reminder_once_answered_or_after_the_stop(db_session: Session) -> None:
    answered, pending = only_representatives_of(db_session, "US", count=2)
    stop = create_stop(db_session, countries=("US",), stop_date=date(2027, 5, 12))
    create_invitation(db_session, stop, answered, invited_at=INVITED_AT, status=InvitationStatus.DECLINED)
    create_invitation(db_session, stop, pending, invited_at=INVITED_AT)
    _at(datetime(2027, 5, 13, 9, 0, tzinfo=UTC))
    assert follow_up.send_due_reminders(db_session=db_session) == 0
    _at(datetime(2027, 4, 1, 9, 0, tzinfo=UTC))
    assert follow_up.send_due_reminders(db_session=db_session) == 1
    assert _reminders_to(db_session, answered.email) == 0


def test_reminder_period_comes_from_the_setting(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ROADSHOW_INVITATION_REMINDER_DAYS", "3")
    assert Settings().invitation_reminder_days == 3
    monkeypatch.delenv("ROADSHOW_INVITATION_REMINDER_DAYS")
    assert Settings().invitation_reminder_days == 5


def test_stops_within_14_days_lacking_a_confirmed_country_are_flagged(db_session: Session) -> None:
    (american,) = only_representatives_of(db_session, "US")
    soon = create_stop(db_session, countries=("US", "DE"), stop_date=date(2027, 5, 12))
    later = create_stop(db_session, countries=("US", "DE"), stop_date=date(2027, 6, 30))
    create_invitation(db_session, soon, american, status=InvitationStatus.CONFIRMED)
    _at(datetime(2027, 4, 28, 9, 0, tzinfo=UTC))
    flagged = {
        item.stop.id: [c.code for c in item.countries]
        for item in follow_up.stops_missing_confirmed_consuls(db_session=db_session)
    }
    assert flagged.get(soon.id) == ["DE"] and later.id not in flagged
    _at(datetime(2027, 4, 27, 9, 0, tzinfo=UTC))
    flagged_early = [
        item.stop.id for item in follow_up.stops_missing_confirmed_consuls(db_session=db_session)
    ]
    assert soon.id not in flagged_early


def test_matrix_sorts_each_country_s_invitations_by_status(client: TestClient, db_session: Session) -> None:
    confirmed, opened, silent = only_representatives_of(db_session, "US", count=3)
    only_representatives_of(db_session, "DE")
    stop = create_stop(db_session, countries=("US", "DE", "FR"), stop_date=date(2027, 5, 12))
    create_invitation(db_session, stop, confirmed, status=InvitationStatus.CONFIRMED)
    create_invitation(
        db_session,
        stop,
        opened,
        status=InvitationStatus.OPENED,
        invited_at=datetime(2027, 4, 28, 9, 0, tzinfo=UTC),
    )
    create_invitation(db_session, stop, silent, invited_at=INVITED_AT)
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    _at(datetime(2027, 4, 30, 9, 0, tzinfo=UTC))
    page = client.get(f"/manage/stops/{stop.id}/consuls", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    row = page.text.split('id="country-US"')[1].split("</tr>")[0]
    cell = {
        key: row.split(f'data-status="{key}"')[1].split("</td>")[0] for key, _ in follow_up.MATRIX_COLUMNS
    }
    assert (
        confirmed.name in cell["confirmed"]
        and opened.name in cell["opened"]
        and silent.name in cell["no_answer"]
    )
    assert cell["invited"].count("<li>") == 0
    assert "Not invited yet" in page.text.split('id="country-DE"')[1].split("</tr>")[0]
    assert "Less than 14 days to go and no confirmed representative for:" in page.text
    assert "Germany, France" in page.text


def test_matrix_is_for_organisers(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    company = create_user(db_session, role="company", password=None)  # type: ignore[arg-type]
    db_session.commit()
    sign_in_as(client, company)
    assert client.get(f"/manage/stops/{stop.id}/consuls").status_code == 403


def test_organisers_mark_attendance_on_the_day(client: TestClient, db_session: Session) -> None:
    came, absent = only_representatives_of(db_session, "US", count=2)
    stop = create_stop(db_session, countries=("US",), stop_date=date(2027, 5, 12))
    came_invitation = create_invitation(db_session, stop, came, status=InvitationStatus.CONFIRMED)
    absent_invitation = create_invitation(db_session, stop, absent, status=InvitationStatus.CONFIRMED)
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    _at(datetime(2027, 5, 11, 9, 0, tzinfo=UTC))
    early = client.post(
        f"/manage/stops/{stop.id}/consuls/attendance",
        data={"attended": [str(came_invitation.id)], "csrf_token": csrf_token(client)},
    )
    assert early.status_code == 409
    _at(datetime(2027, 5, 12, 9, 0, tzinfo=UTC))
    page = client.get(f"/manage/stops/{stop.id}/consuls", headers={"Accept-Language": "en"})
    assert f'name="attended" value="{came_invitation.id}"' in page.text
    saved = client.post(
        f"/manage/stops/{stop.id}/consuls/attendance",
        data={"attended": [str(came_invitation.id)], "csrf_token": csrf_token(client)},
        headers={"Accept-Language": "en"},
    )
    assert "Attendance saved: 1 present." in saved.text
    attended = dict(
        db_session.exec(
            select(Invitation.id, Invitation.attended).where(col(Invitation.stop_id) == stop.id)
        ).all()
    )
    assert attended == {came_invitation.id: True, absent_invitation.id: False}
