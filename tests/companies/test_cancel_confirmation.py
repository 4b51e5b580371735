"""Cancelling a registration asks first and says where the seat goes; moving offers stops to come."""

from datetime import UTC, date, datetime
from html import unescape

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.companies import profiles
from app.companies.models import Registration
from tests.factories import (
    create_company,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)


def test_a_company_confirms_its_cancellation_and_learns_the_seat_goes_on_without_names(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1)
    company = create_company(db_session, name="Aerotech S.r.l.", contact_email="ufficio@aerotech.it")
    mine = create_registration(db_session, stop, company, status="confirmed")
    waiting = create_registration(db_session, stop, create_company(db_session, name="Next In Line S.p.A."))
    user = profiles.ensure_company_user(company, db_session=db_session)
    assert user is not None
    db_session.commit()
    sign_in_as(client, user)
    home = unescape(client.get("/my").text)
    assert f'action="/my/registrations/{mine.id}/cancel"' not in home and "Annulla l'iscrizione…" in home
    assert ">Annulla<" not in home  # never the bare word, which also means "dismiss"
    page = client.get(f"/my/registrations/{mine.id}/cancel")
    assert page.status_code == 200
    text = unescape(page.text)
    assert "Il posto passa alla prima azienda in lista d'attesa, che riceve un'email." in text
    assert "Next In Line" not in text and "Mantieni l'iscrizione" in text
    done = client.post(page.url.path, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert done.status_code == 303
    db_session.expire_all()
    assert db_session.get(Registration, mine.id).status == "cancelled"  # type: ignore[union-attr]
    assert db_session.get(Registration, waiting.id).status == "confirmed"  # type: ignore[union-attr]


def test_the_organiser_sees_who_takes_the_seat_before_cancelling(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1)
    first = create_registration(
        db_session, stop, create_company(db_session, name="Prima S.r.l."), status="confirmed"
    )
    create_registration(db_session, stop, create_company(db_session, name="Seconda S.p.A."))
    sign_in_as(client, create_user(db_session, role="organiser"))
    table = client.get(f"/manage/stops/{stop.id}/registrations").text
    assert f'action="/manage/registrations/{first.id}/cancel"' not in table
    page = unescape(client.get(f"/manage/registrations/{first.id}/cancel").text)
    assert "Il posto passa a Seconda S.p.A., prima in lista d'attesa, che riceve un'email." in page
    assert "Prima S.r.l. riceve un'email." in page


def test_move_to_stop_offers_only_stops_still_to_come_and_defaults_to_none(
    client: TestClient, db_session: Session
) -> None:
    clock.set_source(lambda: datetime(2027, 5, 1, 9, 0, tzinfo=UTC))
    stop = create_stop(db_session, stop_date=date(2027, 5, 12))
    held = create_stop(db_session, stop_date=date(2027, 4, 2), title_it="Tappa già svolta")
    coming = create_stop(db_session, stop_date=date(2027, 6, 9), title_it="Tappa in arrivo")
    registration = create_registration(db_session, stop, status="confirmed")
    sign_in_as(client, create_user(db_session, role="organiser"))
    table = client.get(f"/manage/stops/{stop.id}/registrations").text
    select = table.split(f'id="field-move-{registration.id}-stop_id"')[1].split("</select>")[0]
    assert f'value="{coming.id}"' in select and f'value="{held.id}"' not in select
    assert '<option value="">Sposta alla tappa…</option>' in select and "selected" not in select
