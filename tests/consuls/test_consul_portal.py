from datetime import date, time

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from app.accounts.models import Role
from app.agenda.models import AgendaItemKind
from app.consuls import links
from app.consuls.models import Invitation, InvitationStatus
from app.stops.models import PublicationStatus, Stop, StopStatus
from tests.factories import (
    create_agenda_item,
    create_agenda_speaker,
    create_company,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    only_representatives_of,
    sign_in_as,
)

B2B = {"b2b_first_slot": time(14, 0), "b2b_slot_minutes": 20, "b2b_slot_count": 6, "b2b_tables": 4}


def _consul(client: TestClient, db_session: Session, person) -> None:  # type: ignore[no-untyped-def]
    user = create_user(
        db_session, role=Role.CONSUL, password=None, email=person.email, representative_id=person.id
    )  # type: ignore[arg-type]
    db_session.commit()
    sign_in_as(client, user)


def _meeting(
    db_session: Session, stop: Stop, invitation: Invitation, company: str, slot: int, table: int
) -> None:
    registration = create_registration(
        db_session, stop, create_company(db_session, name=company), status="confirmed"
    )
    request = create_meeting_request(db_session, registration, invitation, status="pending")
    create_meeting(db_session, request, slot_index=slot, table_number=table)


def test_consul_home_lists_upcoming_stops_of_their_country_with_their_status(
    client: TestClient, db_session: Session
) -> None:
    (person,) = only_representatives_of(db_session, "IN")
    invited = create_stop(db_session, countries=("IN",), stop_date=date(2027, 3, 3), title_en="Invited stop")
    create_stop(db_session, countries=("IN",), stop_date=date(2027, 4, 4), title_en="Coming stop")
    create_stop(db_session, countries=("IN",), stop_date=date(2026, 2, 2), title_en="Past stop")
    create_stop(
        db_session,
        countries=("IN",),
        stop_date=date(2027, 4, 5),
        title_en="Draft stop",
        status=StopStatus.DRAFT,
    )
    create_stop(db_session, countries=("CN",), stop_date=date(2027, 4, 6), title_en="Other country stop")
    create_invitation(db_session, invited, person, status=InvitationStatus.CONFIRMED)
    _consul(client, db_session, person)
    page = client.get("/consul", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Invited stop" in page.text and "Coming stop" in page.text
    for hidden in ("Past stop", "Draft stop", "Other country stop"):
        assert hidden not in page.text
    invited_row = page.text.split("Invited stop")[1].split("</tr>")[0]
    assert "Confirmed" in invited_row and "/consul/invitations/" in invited_row
    assert "Not invited yet" in page.text.split("Coming stop")[1].split("</tr>")[0]
    assert "/consul/calendar.ics?token=" in page.text


def test_consul_area_is_for_consuls(client: TestClient, db_session: Session) -> None:
    organiser = create_user(db_session)
    db_session.commit()
    sign_in_as(client, organiser)
    assert client.get("/consul").status_code == 403


def test_agenda_shows_presentation_and_meetings_only_once_the_schedule_is_published(
    client: TestClient, db_session: Session
) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",), **B2B)
    invitation = create_invitation(db_session, stop, person, status=InvitationStatus.CONFIRMED)
    item = create_agenda_item(
        db_session,
        stop,
        kind=AgendaItemKind.COUNTRY_PRESENTATION,
        ends_at=time(10, 20),
        title_it="Il mercato USA",
        title_en="The US market",
        room="Sala Verde",
    )
    create_agenda_speaker(db_session, item, representative_id=person.id)
    _meeting(db_session, stop, invitation, "Aerotecnica Srl", slot=1, table=3)
    _meeting(db_session, stop, invitation, "Compositi Spa", slot=4, table=3)
    _consul(client, db_session, person)
    page = client.get(f"/consul/stops/{stop.id}", headers={"Accept-Language": "en"})
    assert "The US market" in page.text and "10:00–10:20" in page.text and "Sala Verde" in page.text
    assert "The meeting schedule is not published yet." in page.text and "Aerotecnica" not in page.text
    stop.schedule_status = PublicationStatus.PUBLISHED
    db_session.add(stop)
    db_session.commit()
    page = client.get(f"/consul/stops/{stop.id}", headers={"Accept-Language": "en"})
    assert "14:20–14:40" in page.text and "Aerotecnica Srl" in page.text
    assert page.text.index("Aerotecnica Srl") < page.text.index("Compositi Spa")
    assert "15:20–15:40" in page.text


def test_agenda_of_a_stop_without_their_country_is_not_found(client: TestClient, db_session: Session) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("CN",))
    _consul(client, db_session, person)
    assert client.get(f"/consul/stops/{stop.id}").status_code == 404


def test_calendar_feed_lists_confirmed_stops_and_published_meetings_with_a_signed_token(
    client: TestClient, db_session: Session
) -> None:
    (person,) = only_representatives_of(db_session, "US")
    confirmed = create_stop(
        db_session,
        countries=("US",),
        title_en="Confirmed stop",
        schedule_status=PublicationStatus.PUBLISHED,
        **B2B,
    )
    declined = create_stop(db_session, countries=("US",), title_en="Declined stop")
    invitation = create_invitation(db_session, confirmed, person, status=InvitationStatus.CONFIRMED)
    create_invitation(db_session, declined, person, status=InvitationStatus.DECLINED)
    _meeting(db_session, confirmed, invitation, "Aerotecnica Srl", slot=0, table=2)
    db_session.commit()
    token = links.feed_token(person, client.app.state.settings)  # type: ignore[attr-defined]
    response = client.get("/consul/calendar.ics", params={"token": token}, headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["B2B: Aerotecnica Srl (#2)", "Confirmed stop"]
    meeting = next(e for e in events if str(e["SUMMARY"]).startswith("B2B"))
    assert meeting.decoded("DTSTART").hour == 14 and str(meeting.decoded("DTSTART").tzinfo) == "Europe/Rome"
    assert client.get("/consul/calendar.ics", params={"token": token + "x"}).status_code == 404
    assert client.get("/consul/calendar.ics").status_code == 404
