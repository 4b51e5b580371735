"""Organisers see a company's or a consul's agenda and meetings as that person sees them."""

from datetime import time

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.consuls.models import Invitation
from app.stops.models import Stop
from tests.factories import (
    create_agenda_item,
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


def main(html: str) -> str:
    """The page's own content, without the layout's sign-out form."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def stop_with_a_meeting(db_session: Session) -> tuple[Stop, int, Invitation]:
    stop = create_stop(db_session, b2b_slots=6, agenda_status="published", schedule_status="published")
    create_agenda_item(
        db_session,
        stop,
        kind="b2b_block",
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        title_it="Incontri B2B",
    )
    rep = create_representative(db_session, country="US", name="Margaret Ellison")
    invitation = create_invitation(db_session, stop, rep, status="confirmed")
    company = create_company(db_session, name="Officine Rossi S.p.A.")
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=("Anna Rossi",)
    )
    request = create_meeting_request(db_session, registration, invitation)
    create_meeting(db_session, request, slot_index=2, table_number=4)
    db_session.commit()
    return stop, registration.id or 0, invitation


def test_organiser_sees_a_company_agenda_and_meetings_read_only(
    client: TestClient, db_session: Session
) -> None:
    stop, registration_id, _invitation = stop_with_a_meeting(db_session)
    sign_in_as(client, create_user(db_session, role="organiser"))
    table = client.get(f"/manage/stops/{stop.id}/registrations").text
    agenda_url = f"/manage/stops/{stop.id}/registrations/{registration_id}/agenda"
    assert f'href="{agenda_url}"' in table

    agenda = client.get(agenda_url)
    assert agenda.status_code == 200
    html = agenda.text
    assert "Sta visualizzando l'agenda di Officine Rossi S.p.A., in sola lettura." in html
    assert "Incontro con Margaret Ellison" in html and "Tavolo 4" in html
    assert 'method="post"' not in main(html)  # nothing in the page acts
    assert "/my/stops/" not in html and ".ics" not in html

    meetings = client.get(f"/manage/stops/{stop.id}/registrations/{registration_id}/meetings").text
    assert "Sta visualizzando gli incontri di Officine Rossi S.p.A., in sola lettura." in meetings
    assert "Margaret Ellison" in meetings
    assert 'method="post"' not in main(meetings)


def test_organiser_sees_a_consul_agenda_and_requests_read_only(
    client: TestClient, db_session: Session
) -> None:
    stop, _registration_id, invitation = stop_with_a_meeting(db_session)
    stop.schedule_status = "draft"  # requests can still be answered: the consul's page has forms
    db_session.add(stop)
    db_session.commit()
    sign_in_as(client, create_user(db_session, role="organiser"))
    table = client.get(f"/manage/stops/{stop.id}/consuls").text
    base = f"/manage/stops/{stop.id}/consuls/{invitation.representative_id}"
    assert f'href="{base}/agenda"' in table and f'href="{base}/meetings"' in table

    agenda = client.get(f"{base}/agenda").text
    assert "Sta visualizzando l'agenda di Margaret Ellison, in sola lettura." in agenda
    requests = client.get(f"{base}/meetings").text
    assert "Sta visualizzando gli incontri di Margaret Ellison, in sola lettura." in requests
    assert "Officine Rossi S.p.A." in requests
    assert 'method="post"' not in main(requests) and 'name="decision"' not in requests


def test_a_company_cannot_open_the_organisers_view(client: TestClient, db_session: Session) -> None:
    stop, registration_id, _invitation = stop_with_a_meeting(db_session)
    sign_in_as(client, create_user(db_session, role="company"))
    response = client.get(f"/manage/stops/{stop.id}/registrations/{registration_id}/agenda")
    assert response.status_code == 403


def test_an_unknown_or_unconfirmed_registration_is_404(client: TestClient, db_session: Session) -> None:
    stop, _registration_id, _invitation = stop_with_a_meeting(db_session)
    waiting = create_registration(db_session, stop, status="waitlisted")
    other_stop = create_stop(db_session)
    db_session.commit()
    sign_in_as(client, create_user(db_session, role="organiser"))
    assert client.get(f"/manage/stops/{stop.id}/registrations/{waiting.id}/agenda").status_code == 404
    assert client.get(f"/manage/stops/{other_stop.id}/registrations/{waiting.id}/agenda").status_code == 404
