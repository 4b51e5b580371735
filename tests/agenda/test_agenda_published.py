from datetime import time

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from app.checkin.service import attendee_id_from_token
from app.consuls.models import Invitation
from tests.factories import (
    attendees_of,
    create_agenda_item,
    create_agenda_speaker,
    create_company,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_representative,
    create_stop,
    create_user,
    sign_in_as,
)


def published_stop(db_session: Session, **overrides: object) -> object:
    stop = create_stop(db_session, b2b_slots=6, agenda_status="published", **overrides)
    create_agenda_item(
        db_session,
        stop,
        kind="welcome",
        starts_at=time(9, 30),
        ends_at=time(9, 45),
        title_it="Benvenuto",
        title_en="Welcome",
    )
    create_agenda_item(
        db_session,
        stop,
        kind="b2b_block",
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        title_it="Incontri B2B",
        title_en="B2B meetings",
        room="Area B2B",
    )
    return stop


def test_draft_agenda_stays_off_the_stop_page_and_feed(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6, agenda_status="draft")
    create_agenda_item(db_session, stop, title_it="Segreto")
    db_session.commit()
    assert "Segreto" not in client.get(f"/stops/{stop.id}").text
    assert client.get(f"/stops/{stop.id}/agenda.ics").status_code == 404


def test_published_agenda_shows_in_italian_and_english(client: TestClient, db_session: Session) -> None:
    stop = published_stop(db_session)
    db_session.commit()
    italian = client.get(f"/stops/{stop.id}").text  # type: ignore[attr-defined]
    assert "Programma della giornata" in italian and "Benvenuto" in italian
    english = client.get(f"/stops/{stop.id}", headers={"Accept-Language": "en"}).text  # type: ignore[attr-defined]
    assert "Programme of the day" in english and "Welcome" in english and "B2B meetings" in english


def test_stop_feed_is_an_icalendar_in_rome_time(client: TestClient, db_session: Session) -> None:
    stop = published_stop(db_session)
    db_session.commit()
    response = client.get(f"/stops/{stop.id}/agenda.ics")  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["Benvenuto", "Incontri B2B"]
    start = events[0].decoded("dtstart")
    assert start.isoformat() == "2027-05-12T09:30:00+02:00"
    assert str(start.tzinfo) == "Europe/Rome"
    assert "Area B2B" in str(events[1]["location"]) and "Ville Ponti" in str(events[1]["location"])
    assert calendar.walk("VTIMEZONE"), "the feed carries its time zone"


def company_with_meeting(
    db_session: Session, stop: object, schedule: str = "published"
) -> tuple[object, object]:
    stop.schedule_status = schedule  # type: ignore[attr-defined]
    rep = create_representative(db_session, country="US", name="Margaret Ellison")
    invitation = create_invitation(db_session, stop, rep, status="confirmed")
    company = create_company(db_session, name="Officine Rossi S.p.A.")
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=("Anna Rossi", "Luca Verdi")
    )
    create_meeting(
        db_session, create_meeting_request(db_session, registration, invitation), slot_index=2, table_number=4
    )
    user = create_user(db_session, role="company", password=None, company_id=company.id)
    return user, invitation


def test_company_agenda_merges_the_programme_with_its_meetings_and_shows_qr_codes(
    client: TestClient, db_session: Session
) -> None:
    stop = published_stop(db_session)
    user, _ = company_with_meeting(db_session, stop)
    db_session.commit()
    sign_in_as(client, user)  # type: ignore[arg-type]
    html = client.get(f"/my/stops/{stop.id}/agenda").text  # type: ignore[attr-defined]
    assert html.index("Benvenuto") < html.index("Incontri B2B") < html.index("Incontro con Margaret Ellison")
    assert "14:40–15:00" in html and "Tavolo 4" in html
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert "Codice di accredito di Luca Verdi" in html


def test_company_feed_holds_items_and_meetings(client: TestClient, db_session: Session) -> None:
    stop = published_stop(db_session)
    user, _ = company_with_meeting(db_session, stop)
    db_session.commit()
    sign_in_as(client, user)  # type: ignore[arg-type]
    response = client.get(f"/my/stops/{stop.id}/agenda.ics")  # type: ignore[attr-defined]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    meeting = next(e for e in events if str(e["uid"]).startswith("meeting-"))
    assert str(meeting["summary"]) == "Incontro B2B: Margaret Ellison (Stati Uniti)"
    assert meeting.decoded("dtstart").isoformat() == "2027-05-12T14:40:00+02:00"
    assert len(events) == 3


def test_meetings_stay_hidden_until_the_schedule_is_published(
    client: TestClient, db_session: Session
) -> None:
    stop = published_stop(db_session)
    user, _ = company_with_meeting(db_session, stop, schedule="draft")
    db_session.commit()
    sign_in_as(client, user)  # type: ignore[arg-type]
    html = client.get(f"/my/stops/{stop.id}/agenda").text  # type: ignore[attr-defined]
    assert "Margaret Ellison" not in html
    assert "non è ancora stato pubblicato" in html


def test_printable_view_has_the_print_script_and_same_content(
    client: TestClient, db_session: Session
) -> None:
    stop = published_stop(db_session)
    user, _ = company_with_meeting(db_session, stop)
    db_session.commit()
    sign_in_as(client, user)  # type: ignore[arg-type]
    html = client.get(f"/my/stops/{stop.id}/agenda/print").text  # type: ignore[attr-defined]
    assert '<script src="/static/print.js" defer></script>' in html and "is-printable" in html
    assert "Incontro con Margaret Ellison" in html


def test_company_without_a_confirmed_registration_gets_404(client: TestClient, db_session: Session) -> None:
    stop = published_stop(db_session)
    company = create_company(db_session)
    create_registration(
        db_session, stop, company, status="waitlisted", attendees=("Anna Rossi",), waitlist_position=1
    )
    user = create_user(db_session, role="company", password=None, company_id=company.id)
    db_session.commit()
    sign_in_as(client, user)
    response = client.get(f"/my/stops/{stop.id}/agenda")  # type: ignore[attr-defined]
    assert response.status_code == 404 and "non ha un&#39;iscrizione confermata" in response.text


def test_another_company_never_sees_someone_elses_meetings(client: TestClient, db_session: Session) -> None:
    stop = published_stop(db_session)
    company_with_meeting(db_session, stop)
    other = create_company(db_session, name="Altra S.r.l.")
    create_registration(db_session, stop, other, status="confirmed", attendees=("Anna Rossi",))
    user = create_user(db_session, role="company", password=None, company_id=other.id)
    db_session.commit()
    sign_in_as(client, user)
    html = client.get(f"/my/stops/{stop.id}/agenda").text  # type: ignore[attr-defined]
    assert "Margaret Ellison" not in html and "Benvenuto" in html


def test_consul_agenda_shows_their_meetings_and_where_they_speak(
    client: TestClient, db_session: Session
) -> None:
    stop = published_stop(db_session)
    _, invitation = company_with_meeting(db_session, stop)
    rep_id = invitation.representative_id  # type: ignore[attr-defined]
    talk = create_agenda_item(
        db_session,
        stop,
        kind="country_presentation",
        starts_at=time(11, 0),
        ends_at=time(11, 20),
        title_it="Mercato USA",
        title_en="US market",
    )
    create_agenda_speaker(db_session, talk, representative_id=rep_id)
    consul = create_user(db_session, role="consul", password=None, representative_id=rep_id, language="en")
    db_session.commit()
    sign_in_as(client, consul)
    html = client.get(f"/consul/stops/{stop.id}/agenda", headers={"Accept-Language": "en"}).text  # type: ignore[attr-defined]
    assert "Meeting with Officine Rossi S.p.A." in html and "Table 4" in html
    assert "US market" in html and "you speak" in html
    assert "data:image/svg+xml" not in html
    feed = client.get(f"/consul/stops/{stop.id}/agenda.ics")  # type: ignore[attr-defined]
    assert feed.status_code == 200 and b"Officine Rossi" in feed.content


def test_consul_not_invited_gets_404_and_company_cannot_open_consul_pages(
    client: TestClient, db_session: Session
) -> None:
    stop = published_stop(db_session)
    rep = create_representative(db_session, country="DE")
    declined = create_invitation(db_session, stop, rep, status="declined")
    assert isinstance(declined, Invitation)
    consul = create_user(db_session, role="consul", password=None, representative_id=rep.id)
    company_user = create_user(
        db_session, role="company", password=None, company_id=create_company(db_session).id
    )
    db_session.commit()
    sign_in_as(client, consul)
    assert client.get(f"/consul/stops/{stop.id}/agenda").status_code == 404  # type: ignore[attr-defined]
    assert client.get(f"/my/stops/{stop.id}/agenda").status_code == 403  # type: ignore[attr-defined]
    sign_in_as(client, company_user)
    assert client.get(f"/consul/stops/{stop.id}/agenda").status_code == 403  # type: ignore[attr-defined]


def test_qr_code_holds_a_signed_check_in_url(client: TestClient, db_session: Session) -> None:
    from app.checkin.service import checkin_url

    stop = published_stop(db_session)
    registration = create_registration(db_session, stop, status="confirmed", attendees=("Anna Rossi",))
    [attendee] = attendees_of(db_session, registration)
    url = checkin_url(attendee, secret_key="s" * 40, base_url="https://roadshow.example")
    assert url.startswith("https://roadshow.example/checkin/")
    token = url.rsplit("/", 1)[1]
    assert attendee_id_from_token(token, secret_key="s" * 40) == attendee.id
    assert attendee_id_from_token(token, secret_key="t" * 40) is None
    assert attendee_id_from_token(token[:-2] + "xx", secret_key="s" * 40) is None
