"""Organisers mark on the day whether each meeting was held, or who was absent."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.consuls.models import Invitation
from app.matching.models import Meeting, MeetingAttendance, MeetingRequest
from app.outcomes import attendance
from app.stops.models import PublicationStatus, Stop
from tests.factories import (
    attendees_of,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)


def day_with_two_meetings(db_session: Session) -> tuple[Stop, Meeting, Meeting]:
    """12 May 2027: one company checked in, the other did not."""
    stop = create_stop(db_session, b2b_slots=4, b2b_tables=2, schedule_status=PublicationStatus.PUBLISHED)
    came = create_registration(db_session, stop, status="confirmed", attendees=("Anna Rossi",))
    stayed = create_registration(db_session, stop, status="confirmed", attendees=("Bruno Neri",))
    for person in attendees_of(db_session, came):
        person.checked_in_at = datetime(2027, 5, 12, 8, 30, tzinfo=UTC)
    invitation = create_invitation(db_session, stop, country="US", status="confirmed")
    first = create_meeting(db_session, create_meeting_request(db_session, came, invitation), slot_index=0)
    second = create_meeting(db_session, create_meeting_request(db_session, stayed, invitation), slot_index=1)
    db_session.commit()
    return stop, first, second


def at(moment: datetime) -> None:
    clock.set_source(lambda: moment)


def post_mark(client: TestClient, stop: Stop, meeting: Meeting, value: str) -> object:
    return client.post(
        f"/manage/stops/{stop.id}/meetings/{meeting.id}/attendance",
        data={"attendance": value, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )


def test_a_meeting_counts_as_held_unless_its_company_did_not_check_in(db_session: Session) -> None:
    stop, first, second = day_with_two_meetings(db_session)
    at(datetime(2027, 5, 12, 16, 0, tzinfo=UTC))
    rows = {row.meeting.id: row for row in attendance.view(stop, db_session=db_session).rows}
    assert rows[first.id].value == MeetingAttendance.HELD
    assert rows[second.id].value == MeetingAttendance.COMPANY_ABSENT
    assert not rows[first.id].marked


def test_marking_before_the_stop_day_is_refused_with_a_clear_message(
    client: TestClient, db_session: Session
) -> None:
    stop, first, _second = day_with_two_meetings(db_session)
    at(datetime(2027, 5, 11, 15, 0, tzinfo=UTC))
    sign_in_as(client, create_user(db_session, role="organiser"))
    page = client.get(f"/manage/stops/{stop.id}/meetings")
    assert "Le presenze agli incontri si possono segnare dal giorno della tappa" in page.text
    assert f"/meetings/{first.id}/attendance" not in page.text
    assert "Tabella delle presenze agli incontri" not in page.text  # no table of rows all "held"
    assert attendance.view(stop, db_session=db_session).rows == []
    response = post_mark(client, stop, first, "company_absent")
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "non prima" in response.text  # type: ignore[attr-defined]
    db_session.expire_all()
    assert db_session.get(Meeting, first.id).attendance is None  # type: ignore[union-attr]


def test_organiser_marks_a_no_show_on_the_day_and_changes_it_back(
    client: TestClient, db_session: Session
) -> None:
    stop, first, second = day_with_two_meetings(db_session)
    at(datetime(2027, 5, 12, 16, 0, tzinfo=UTC))
    sign_in_as(client, create_user(db_session, role="organiser"))
    page = client.get(f"/manage/stops/{stop.id}/meetings")
    assert f'action="/manage/stops/{stop.id}/meetings/{first.id}/attendance"' in page.text
    response = post_mark(client, stop, first, "representative_absent")
    assert response.status_code == 303  # type: ignore[attr-defined]
    db_session.expire_all()
    assert db_session.get(Meeting, first.id).attendance == "representative_absent"  # type: ignore[union-attr]
    page = client.get(response.headers["location"])  # type: ignore[attr-defined]
    assert "è stata salvata" in page.text
    assert post_mark(client, stop, first, "held").status_code == 303  # type: ignore[attr-defined]
    assert post_mark(client, stop, second, "held").status_code == 303  # type: ignore[attr-defined]
    db_session.expire_all()
    assert db_session.get(Meeting, first.id).attendance == "held"  # type: ignore[union-attr]
    rows = {row.meeting.id: row for row in attendance.view(stop, db_session=db_session).rows}
    assert rows[second.id].value == MeetingAttendance.HELD and rows[second.id].marked


def test_an_unknown_mark_is_shown_again_with_its_message(client: TestClient, db_session: Session) -> None:
    stop, first, _second = day_with_two_meetings(db_session)
    at(datetime(2027, 5, 13, 9, 0, tzinfo=UTC))
    sign_in_as(client, create_user(db_session, role="organiser"))
    response = post_mark(client, stop, first, "maybe")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "si è svolto o chi era assente" in response.text  # type: ignore[attr-defined]
    other = create_stop(db_session)
    db_session.commit()
    assert post_mark(client, other, first, "held").status_code == 404  # type: ignore[attr-defined]


def test_a_representative_marked_absent_on_the_consuls_list_makes_the_meeting_a_no_show(
    db_session: Session,
) -> None:
    stop, first, _second = day_with_two_meetings(db_session)
    invitation = db_session.get(Invitation, db_session.get(MeetingRequest, first.request_id).invitation_id)  # type: ignore[union-attr]
    assert invitation is not None
    invitation.attended = False
    db_session.add(invitation)
    at(datetime(2027, 5, 12, 16, 0, tzinfo=UTC))
    rows = {row.meeting.id: row for row in attendance.view(stop, db_session=db_session).rows}
    assert rows[first.id].value == MeetingAttendance.REPRESENTATIVE_ABSENT
    page_label = dict(attendance.view(stop, db_session=db_session).choices)[rows[first.id].value.value]
    assert page_label == "Rappresentante assente"
