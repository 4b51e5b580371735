"""Once confirmed, a registration's email carries each attendee's check-in code, and the
company's area leads to its meetings and its personal agenda (where the codes also are)."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.checkin.service import checkin_qr_png
from app.companies.models import Attendee, RegistrationStatus
from app.companies.registrations import AttendeeData
from app.config import get_settings
from app.notifications.models import OutboxMessage
from app.notifications.service import attachments_of
from tests.companies.test_public_registration import confirm_link, form
from tests.factories import (
    create_company,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    outbox,
    sign_in_as,
)


def _inline_pngs(db_session: Session, message: OutboxMessage) -> list[bytes]:
    """The PNGs the HTML part shows, attached inline and cited by ``cid:``."""
    attachments = attachments_of([message.id or 0], db_session=db_session)[message.id or 0]
    cited = re.findall(r'src="cid:([^"]+)"', message.body_html or "")
    assert cited == [a.content_id for a in attachments]
    return [a.data for a in attachments if a.content_type == "image/png"]


def test_the_confirmation_email_gives_each_attendee_a_check_in_code_and_the_agenda_link(
    db_session: Session,
) -> None:
    stop = create_stop(db_session, attendees_per_company=2)
    company = create_company(db_session)
    people = [
        AttendeeData("Anna Verdi", email="anna@example.org"),
        AttendeeData("Luca Neri", email="luca@example.org"),
    ]
    registration = create_registration(db_session, stop, company, attendees=people)
    assert registration.status == RegistrationStatus.CONFIRMED

    [email] = [
        m for m in outbox(db_session, company.contact_email) if m.template == "companies/emails/confirmed"
    ]
    attendees = db_session.exec(
        select(Attendee).where(Attendee.registration_id == registration.id).order_by(col(Attendee.id))
    ).all()
    assert _inline_pngs(db_session, email) == [checkin_qr_png(person) for person in attendees]
    agenda = f"/my/stops/{stop.id}/agenda"
    assert agenda in email.body_text
    assert f'href="{get_settings().base_url}{agenda}"' in (email.body_html or "")
    assert "Anna Verdi, Luca Neri" in email.body_text
    assert "Codice di accredito di Anna Verdi" in (email.body_html or "")


def test_a_registration_confirmed_by_its_link_gets_the_codes_too(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=3, hold_hours=48)
    db_session.commit()
    assert client.post(f"/stops/{stop.id}/register", data=form(client, 41)).status_code == 200
    [request] = outbox(db_session, "giulia@officine41.it")
    assert _inline_pngs(db_session, request) == []  # not confirmed yet: no code
    client.post(confirm_link(request), data={"csrf_token": csrf_token(client)})

    confirmed = outbox(db_session, "giulia@officine41.it")[-1]
    assert confirmed.template == "companies/emails/confirmed"
    assert len(_inline_pngs(db_session, confirmed)) == 1
    assert f"/my/stops/{stop.id}/agenda" in confirmed.body_text


def test_my_area_links_a_confirmed_registration_to_its_meetings_and_agenda(
    client: TestClient, db_session: Session
) -> None:
    confirmed_stop, waiting_stop = create_stop(db_session), create_stop(db_session)
    company = create_company(db_session)
    create_registration(db_session, confirmed_stop, company, status="confirmed")
    create_registration(
        db_session, waiting_stop, company, status=RegistrationStatus.WAITLISTED, waitlist_position=1
    )
    sign_in_as(client, create_user(db_session, role="company", company_id=company.id))
    db_session.commit()

    html = client.get("/my").text
    for path in (f"/my/stops/{confirmed_stop.id}/meetings", f"/my/stops/{confirmed_stop.id}/agenda"):
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200
    assert f"/my/stops/{waiting_stop.id}/meetings" not in html  # only a confirmed registration meets
    assert f"/my/stops/{waiting_stop.id}/agenda" not in html
