import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.companies import seats
from app.companies.models import Registration
from app.notifications.models import OutboxMessage
from tests.factories import create_registration, create_stop, csrf_token, outbox, vat_number


def form(client: TestClient, n: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "csrf_token": csrf_token(client),
        "name": f"Officine {n} S.r.l.",
        "vat_number": "IT" + vat_number(2000 + n),
        "province": "VA",
        "size_class": "small",
        "sectors": ["aerospace"],
        "contact_name": "Giulia Bianchi",
        "contact_email": f"giulia@officine{n}.it",
        "attendees.0.name": "Giulia Bianchi",
        "attendees.0.email": f"giulia@officine{n}.it",
        "countries": ["US"],
        "privacy": "yes",
    }
    values.update(changes)
    return values


def confirm_link(message: OutboxMessage) -> str:
    match = re.search(r"/registrations/confirm/[\w-]+", message.body_text)
    assert match, message.body_text
    return match.group(0)


def test_stop_page_links_to_the_registration_form(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    db_session.commit()
    assert f'href="/stops/{stop.id}/register"' in client.get(f"/stops/{stop.id}").text
    page = client.get(f"/stops/{stop.id}/register")
    assert page.status_code == 200
    assert 'name="attendees.1.email"' in page.text and 'name="attendees.2.email"' not in page.text
    assert 'name="countries" value="US"' in page.text and 'name="countries" value="FR"' not in page.text


def test_a_visitor_registers_holds_a_seat_confirms_by_link_and_is_signed_in(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=3, hold_hours=48)
    db_session.commit()
    response = client.post(f"/stops/{stop.id}/register", data=form(client, 1), follow_redirects=False)
    assert response.status_code == 303, response.text
    received = client.get(response.headers["location"])
    assert "giulia@officine1.it" in received.text
    # Reloading the page after registering shows the same receipt, not "already registered".
    again = client.get(response.headers["location"])
    assert (
        again.status_code == 200 and "già iscritta" not in again.text and "giulia@officine1.it" in again.text
    )
    registration = db_session.exec(select(Registration).where(Registration.stop_id == stop.id)).one()
    assert registration.status == "pending"
    assert registration.privacy_version and registration.privacy_accepted_at is not None
    assert registration.hold_expires_at is not None
    assert registration.hold_expires_at - registration.created_at >= timedelta(hours=47, minutes=59)
    [email] = outbox(db_session, "giulia@officine1.it")
    assert email.template == "companies/emails/confirm" and email.language == "it"
    link = confirm_link(email)

    assert "csrf_token" in client.get(link).text  # opening the link only shows a button
    db_session.refresh(registration)
    assert registration.status == "pending"
    confirmed = client.post(link, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"].startswith("/my")
    db_session.refresh(registration)
    assert registration.status == "confirmed" and registration.email_verified_at is not None
    my = client.get("/my")
    assert my.status_code == 200 and "Confermata" in my.text and "Officine 1 S.r.l." in my.text
    again = client.post(link, data={"csrf_token": csrf_token(client)})
    assert again.status_code == 404  # single use


def test_bad_form_is_shown_again_with_messages_beside_the_fields(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session)
    db_session.commit()
    good = vat_number(2002)
    bad_check_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    data = form(client, 2, vat_number=bad_check_digit, ateco_code="28-41", export_share="140", privacy="")
    data["countries"] = ["FR"]
    response = client.post(f"/stops/{stop.id}/register", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.text
    for field in ("vat_number", "ateco_code", "export_share", "privacy", "countries"):
        assert f'id="field-{field}-error"' in html, field
    assert 'aria-invalid="true"' in html
    assert "check digit" in html and "28.41" in html
    assert 'value="Officine 2 S.r.l."' in html  # what was typed stays
    assert db_session.exec(select(Registration).where(Registration.stop_id == stop.id)).first() is None


def test_an_unconfirmed_hold_lapses_and_the_head_of_the_list_takes_the_seat(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1, hold_hours=48)
    db_session.commit()
    client.post(f"/stops/{stop.id}/register", data=form(client, 3))
    client.post(f"/stops/{stop.id}/register", data=form(client, 4))
    first, second = db_session.exec(
        select(Registration).where(Registration.stop_id == stop.id).order_by(Registration.id)
    ).all()
    assert (first.status, second.status, second.waitlist_position) == ("pending", "waitlisted", 1)
    # The second confirms its email while waiting: it will be confirmed as soon as it moves up.
    client.post(
        confirm_link(outbox(db_session, "giulia@officine4.it")[0]), data={"csrf_token": csrf_token(client)}
    )
    later = clock.now() + timedelta(hours=49)
    clock.set_source(lambda: later)
    assert seats.expire_stale_holds(db_session=db_session, stop_id=stop.id) == 1
    db_session.refresh(first)
    db_session.refresh(second)
    assert first.status == "expired"
    assert second.status == "confirmed" and second.waitlist_position is None
    templates = [m.template for m in outbox(db_session, "giulia@officine4.it")]
    assert templates[-1] == "companies/emails/promoted"
    assert [m.template for m in outbox(db_session, "giulia@officine3.it")][
        -1
    ] == "companies/emails/hold_expired"
    lapsed = client.post(
        confirm_link(outbox(db_session, "giulia@officine3.it")[0]), data={"csrf_token": csrf_token(client)}
    )
    assert lapsed.status_code == 409


def test_promoted_without_a_confirmed_email_gets_a_fresh_hold_and_link(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1)
    first = create_registration(db_session, stop)
    db_session.commit()
    client.post(f"/stops/{stop.id}/register", data=form(client, 5))
    waiting = db_session.exec(
        select(Registration).where(Registration.stop_id == stop.id, Registration.status == "waitlisted")
    ).one()
    from tests.factories import organiser_token

    headers = organiser_token(client, db_session)
    client.post(f"/api/registrations/{first.id}/cancel", headers=headers)
    db_session.refresh(waiting)
    assert waiting.status == "pending" and waiting.hold_expires_at is not None
    promoted = outbox(db_session, "giulia@officine5.it")[-1]
    assert promoted.template == "companies/emails/promoted"
    client.post(confirm_link(promoted), data={"csrf_token": csrf_token(client)})
    db_session.refresh(waiting)
    assert waiting.status == "confirmed"


def test_a_visitor_cannot_take_over_a_known_company(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    db_session.commit()
    client.post(f"/stops/{stop.id}/register", data=form(client, 6))
    other_stop = create_stop(db_session)
    db_session.commit()
    data = form(client, 6, name="Someone Else", contact_email="intruder@example.org")
    response = client.post(f"/stops/{other_stop.id}/register", data=data)
    assert response.status_code == 200 and "Iscrizione ricevuta" in response.text
    assert outbox(db_session, "intruder@example.org") == []
    assert [m.template for m in outbox(db_session, "giulia@officine6.it")].count(
        "companies/emails/confirm"
    ) == 2
    from app.companies.models import Company

    company = db_session.exec(select(Company).where(Company.vat_number == vat_number(2006))).one()
    assert company.name == "Officine 6 S.r.l." and company.contact_email == "giulia@officine6.it"


def test_duplicate_and_closed_stop_are_explained_on_the_page(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    db_session.commit()
    client.post(f"/stops/{stop.id}/register", data=form(client, 7))
    again = client.post(f"/stops/{stop.id}/register", data=form(client, 7))
    assert again.status_code == 409 and "già iscritta" in again.text
    closed = create_stop(db_session, registration_closes_at=clock.now() - timedelta(days=1))
    db_session.commit()
    page = client.get(f"/stops/{closed.id}/register")
    assert "chiuse" in page.text and 'name="vat_number"' not in page.text
    assert client.post(f"/stops/{closed.id}/register", data=form(client, 8)).status_code == 409
