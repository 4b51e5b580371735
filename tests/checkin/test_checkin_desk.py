from datetime import UTC, date, datetime, time

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.audit.models import AuditEvent
from app.checkin.service import checkin_qr_png, checkin_qr_svg, checkin_token, counts
from app.companies.models import Attendee
from app.stops.models import Stop
from tests.factories import (
    attendees_of,
    create_company,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)


def organiser(client: TestClient, db_session: Session) -> object:
    user = create_user(db_session, role="organiser")
    sign_in_as(client, user)
    return user


def on_the_day(stop: Stop) -> None:
    clock.set_source(lambda: datetime.combine(stop.stop_date, time(8, 0), tzinfo=UTC))


def fresh(db_session: Session, attendee: Attendee) -> Attendee:
    db_session.expire_all()
    found = db_session.get(Attendee, attendee.id)
    assert found is not None
    return found


def test_search_finds_people_by_name_company_or_vat_number(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    company = create_company(db_session, name="Officine Rossi S.p.A.", vat_number="01234560157")
    create_registration(db_session, stop, company, status="confirmed", attendees=("Anna Bianchi",))
    pending = create_company(db_session, name="Rossi Pending S.r.l.")
    create_registration(db_session, stop, pending, status="pending", attendees=("Paolo Neri",))
    organiser(client, db_session)
    for query in ("bianchi", "OFFICINE", "IT 0123456"):
        html = client.get(f"/manage/stops/{stop.id}/checkin", params={"q": query}).text
        assert "Anna Bianchi" in html, query
    html = client.get(f"/manage/stops/{stop.id}/checkin", params={"q": "rossi"}).text
    assert "Paolo Neri" not in html  # only confirmed registrations are checked in
    nobody = client.get(f"/manage/stops/{stop.id}/checkin", params={"q": "zzz"}).text
    assert "Nessuna persona con iscrizione confermata a questa tappa corrisponde a “zzz”." in nobody


def test_marking_an_arrival_is_idempotent_and_audited(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    registration = create_registration(db_session, stop, status="confirmed", attendees=("Anna Bianchi",))
    [attendee] = attendees_of(db_session, registration)
    user = organiser(client, db_session)
    clock.set_source(lambda: datetime(2027, 5, 12, 7, 45, tzinfo=UTC))
    first = client.post(
        f"/manage/stops/{stop.id}/checkin/{attendee.id}",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert first.status_code == 303
    page = client.get(first.headers["location"]).text
    assert "Anna Bianchi" in page and "accredito registrato alle 09:45" in page
    clock.set_source(lambda: datetime(2027, 5, 12, 8, 30, tzinfo=UTC))
    again = client.post(
        f"/manage/stops/{stop.id}/checkin/{attendee.id}", data={"csrf_token": csrf_token(client)}
    )
    assert "accredito già registrato alle 09:45" in again.text
    assert fresh(db_session, attendee).checked_in_at == datetime(2027, 5, 12, 7, 45, tzinfo=UTC)
    events = db_session.exec(select(AuditEvent).where(AuditEvent.action == "attendee.check_in")).all()
    assert len(events) == 1 and events[0].actor_user_id == user.id  # type: ignore[attr-defined]


def test_check_in_needs_the_csrf_token_and_the_right_stop(client: TestClient, db_session: Session) -> None:
    stop, other = create_stop(db_session), create_stop(db_session)
    registration = create_registration(db_session, stop, status="confirmed", attendees=("Anna Rossi",))
    [attendee] = attendees_of(db_session, registration)
    organiser(client, db_session)
    assert client.post(f"/manage/stops/{stop.id}/checkin/{attendee.id}").status_code == 403
    wrong = client.post(
        f"/manage/stops/{other.id}/checkin/{attendee.id}", data={"csrf_token": csrf_token(client)}
    )
    assert wrong.status_code == 404
    assert fresh(db_session, attendee).checked_in_at is None


def test_scanned_code_opens_the_person_and_checks_them_in(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    company = create_company(db_session, name="Officine Rossi S.p.A.")
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=("Anna Bianchi",)
    )
    [attendee] = attendees_of(db_session, registration)
    organiser(client, db_session)
    on_the_day(stop)
    token = checkin_token(attendee.id, secret_key=client.app.state.settings.secret_key)  # type: ignore[attr-defined]
    page = client.get(f"/checkin/{token}")
    assert page.status_code == 200 and "Accredita Anna Bianchi" in page.text and "Officine Rossi" in page.text
    done = client.post(f"/checkin/{token}", data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/manage/stops/{stop.id}/checkin")
    assert fresh(db_session, attendee).checked_in_at is not None
    assert "Accredito già registrato alle" in client.get(f"/checkin/{token}").text


def test_forged_code_is_refused_and_the_scanner_page_is_for_organisers(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session)
    registration = create_registration(db_session, stop, status="confirmed", attendees=("Anna Rossi",))
    [attendee] = attendees_of(db_session, registration)
    forged = checkin_token(attendee.id, secret_key="another secret of enough length 123")
    company_user = create_user(db_session, role="company", password=None)
    sign_in_as(client, company_user)
    real = checkin_token(attendee.id, secret_key=client.app.state.settings.secret_key)  # type: ignore[attr-defined]
    assert client.get(f"/checkin/{real}").status_code == 403
    organiser(client, db_session)
    response = client.get(f"/checkin/{forged}")
    assert response.status_code == 404 and "non è valido" in response.text


def test_unconfirmed_registration_cannot_be_checked_in(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    registration = create_registration(db_session, stop, status="cancelled", attendees=("Anna Rossi",))
    [attendee] = attendees_of(db_session, registration)
    organiser(client, db_session)
    on_the_day(stop)
    token = checkin_token(attendee.id, secret_key=client.app.state.settings.secret_key)  # type: ignore[attr-defined]
    assert "non è confermata" in client.get(f"/checkin/{token}").text
    assert client.post(f"/checkin/{token}", data={"csrf_token": csrf_token(client)}).status_code == 409


def test_counts_report_no_shows_only_after_the_day(db_session: Session) -> None:
    stop = create_stop(db_session, stop_date=date(2027, 5, 12))
    came = create_registration(db_session, stop, status="confirmed", attendees=("Anna", "Bruno"))
    create_registration(db_session, stop, status="waitlisted", attendees=("Anna Rossi",), waitlist_position=1)
    create_registration(db_session, stop, status="cancelled", attendees=("Anna Rossi",))
    attendees_of(db_session, came)[0].checked_in_at = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
    db_session.flush()
    clock.set_source(lambda: datetime(2027, 5, 12, 10, 0, tzinfo=UTC))
    during = counts(stop, db_session=db_session)
    assert (during.registered, during.confirmed, during.attendees, during.checked_in) == (2, 1, 2, 1)
    assert during.no_shows is None
    clock.set_source(lambda: datetime(2027, 5, 13, 10, 0, tzinfo=UTC))
    assert counts(stop, db_session=db_session).no_shows == 1


def test_qr_svg_for_emails_is_a_plain_svg_without_inline_styles(db_session: Session) -> None:
    stop = create_stop(db_session)
    [attendee] = attendees_of(
        db_session, create_registration(db_session, stop, status="confirmed", attendees=("Anna Rossi",))
    )
    svg = checkin_qr_svg(attendee, secret_key="k" * 40, base_url="https://roadshow.example")
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg and "style=" not in svg
    assert checkin_qr_png(attendee, secret_key="k" * 40).startswith(b"\x89PNG")
