"""Check-in opens on the stop's day (earlier only on purpose), lists arrivals and undoes them."""

from datetime import UTC, date, datetime
from typing import TypeVar

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.audit.models import AuditEvent
from app.checkin.service import counts
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

Row = TypeVar("Row")


def _fresh(db_session: Session, model: type[Row], row_id: int | None) -> Row:
    """The row as stored now, not as this session last saw it."""
    db_session.expire_all()
    found = db_session.get(model, row_id)
    assert found is not None
    return found


def test_check_in_waits_for_the_day_unless_opened_early_with_a_warning(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, stop_date=date(2027, 3, 12))
    registration = create_registration(db_session, stop, status="confirmed", attendees=("Anna Bianchi",))
    [attendee] = attendees_of(db_session, registration)
    sign_in_as(client, create_user(db_session, role="organiser"))
    clock.set_source(lambda: datetime(2027, 2, 20, 9, 0, tzinfo=UTC))

    desk = client.get(f"/manage/stops/{stop.id}/checkin", params={"q": "Bianchi"}).text
    assert "L'accredito apre venerdì 12 marzo 2027, il giorno della tappa." in desk
    assert f'action="/manage/stops/{stop.id}/checkin/{attendee.id}"' not in desk
    refused = client.post(
        f"/manage/stops/{stop.id}/checkin/{attendee.id}", data={"csrf_token": csrf_token(client)}
    )
    assert refused.status_code == 409 and _fresh(db_session, Attendee, attendee.id).checked_in_at is None

    warning = client.get(f"/manage/stops/{stop.id}/checkin/open").text
    assert "Questa tappa si tiene venerdì 12 marzo 2027" in warning and "data-confirmed-action" in warning
    opened = client.post(
        f"/manage/stops/{stop.id}/checkin/open",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert _fresh(db_session, Stop, stop.id).checkin_opened_at is not None
    done = client.post(
        f"/manage/stops/{stop.id}/checkin/{attendee.id}",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and _fresh(db_session, Attendee, attendee.id).checked_in_at is not None
    assert "L'accredito è stato aperto in anticipo" in client.get(done.headers["location"]).text
    # An early arrival is not yet a presence: the stop has not been held.
    early = counts(_fresh(db_session, Stop, stop.id), db_session=db_session)
    assert early.checked_in == 1 and early.present is None


def test_arrivals_list_says_when_in_rome_and_by_whom_and_each_can_be_undone(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, stop_date=date(2027, 5, 12))
    company = create_company(db_session, name="Officine Rossi S.p.A.")
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=("Anna Bianchi",)
    )
    [attendee] = attendees_of(db_session, registration)
    organiser = create_user(db_session, role="organiser", email="desk@example.org")
    sign_in_as(client, organiser)
    clock.set_source(lambda: datetime(2027, 5, 12, 7, 45, tzinfo=UTC))
    client.post(f"/manage/stops/{stop.id}/checkin/{attendee.id}", data={"csrf_token": csrf_token(client)})

    desk = client.get(f"/manage/stops/{stop.id}/checkin").text
    arrivals = desk.split('id="arrivals"')[1]
    assert "09:45" in arrivals and "Anna Bianchi" in arrivals and "Officine Rossi" in arrivals
    assert "desk@example.org" in arrivals and "Annulla l'accredito" in arrivals

    undone = client.post(
        f"/manage/stops/{stop.id}/checkin/{attendee.id}/undo",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert undone.status_code == 303
    back = client.get(undone.headers["location"]).text
    assert "Anna Bianchi (Officine Rossi S.p.A.): accredito annullato." in back
    assert "Nessun arrivo registrato finora." in back
    found = _fresh(db_session, Attendee, attendee.id)
    assert found.checked_in_at is None and found.checked_in_by_user_id is None
    undo = db_session.exec(select(AuditEvent).where(AuditEvent.action == "attendee.undo_check_in")).one()
    assert undo.before is not None and undo.before["checked_in_at"].startswith("2027-05-12T07:45")
    assert undo.after is None and undo.actor_user_id == organiser.id
    assert counts(_fresh(db_session, Stop, stop.id), db_session=db_session).present == 0


def test_results_count_presence_only_at_stops_whose_day_has_come(db_session: Session) -> None:
    from app.results import service as results

    held = create_stop(db_session, stop_date=date(2027, 5, 12))
    coming = create_stop(
        db_session, stop_date=date(2027, 6, 20), checkin_opened_at=datetime(2027, 5, 1, tzinfo=UTC)
    )
    for stop in (held, coming):
        registration = create_registration(db_session, stop, status="confirmed", attendees=("Anna",))
        attendees_of(db_session, registration)[0].checked_in_at = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
    db_session.flush()
    clock.set_source(lambda: datetime(2027, 5, 13, 10, 0, tzinfo=UTC))
    built = results.build(db_session=db_session)
    present = {row.stop.id: row.present for row in built.stops}
    assert present[held.id] == 1 and present[coming.id] == 0
    assert built.totals["companies_present"] == 1
