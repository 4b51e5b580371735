"""The organisers' home: upcoming stops at a glance and what needs attention, with links."""

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from app import clock
from app.companies.models import RegistrationStatus
from app.consuls.models import InvitationStatus
from app.manage import dashboard
from app.stops.models import PublicationStatus, StopStatus
from tests.factories import (
    create_invitation,
    create_registration,
    create_stop,
    create_user,
    sign_in_as,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def at_now() -> None:
    clock.set_source(lambda: NOW)


def count_queries(db_session: Session) -> int:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    connection = db_session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        dashboard.build(db_session=db_session)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return len(statements)


def busy_stop(db_session: Session, day: date) -> None:
    stop = create_stop(db_session, stop_date=day, capacity=1)
    create_registration(db_session, stop, status="confirmed")
    create_registration(
        db_session,
        stop,
        status=RegistrationStatus.WAITLISTED,
        waitlist_position=1,
    )
    create_invitation(db_session, stop=stop, invited_at=NOW - timedelta(days=10))


def test_the_dashboard_reads_a_fixed_number_of_queries_however_many_stops(db_session: Session) -> None:
    at_now()
    busy_stop(db_session, date(2027, 1, 10))
    count_queries(db_session)  # reference data, cached on first use, stays out
    few = count_queries(db_session)
    for offset in range(6):
        busy_stop(db_session, date(2027, 2, 1) + timedelta(days=offset))
    assert count_queries(db_session) == few


def test_rows_show_fill_rate_waiting_list_and_consuls_per_country(db_session: Session) -> None:
    at_now()
    stop = create_stop(db_session, stop_date=date(2027, 3, 3), capacity=4, countries=("US", "DE"))
    for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.CANCELLED):
        create_registration(db_session, stop, status=status)
    create_invitation(db_session, stop=stop, country="US", status=InvitationStatus.CONFIRMED)
    create_invitation(db_session, stop=stop, country="DE", status=InvitationStatus.INVITED)
    create_stop(db_session, stop_date=date(2026, 10, 1))  # past: not shown
    create_stop(db_session, stop_date=date(2027, 3, 4), status=StopStatus.CANCELLED)  # cancelled: not shown
    board = dashboard.build(db_session=db_session)
    row = next(r for r in board.rows if r.view.stop.id == stop.id)
    assert row.fill_rate == 50 and row.waitlist == 0
    assert [(c.country.code, c.confirmed, c.waiting) for c in row.consuls] == [("US", 1, 0), ("DE", 0, 1)]
    assert all(r.view.stop.stop_date >= date(2026, 11, 21) for r in board.rows)
    assert all(r.view.stop.status != StopStatus.CANCELLED for r in board.rows)


def test_attention_lists_each_kind_of_problem_with_where_to_fix_it(
    client: TestClient, db_session: Session
) -> None:
    at_now()
    opening = create_stop(
        db_session,
        stop_date=date(2027, 2, 2),
        registration_opens_at=NOW + timedelta(days=3),
        title_it="Apre presto",
    )
    full = create_stop(db_session, stop_date=date(2027, 2, 9), capacity=1, title_it="Piena")
    create_registration(db_session, full, status="confirmed")
    create_registration(
        db_session,
        full,
        status=RegistrationStatus.WAITLISTED,
        waitlist_position=1,
    )
    silent = create_stop(db_session, stop_date=date(2027, 2, 16), title_it="Senza risposta")
    create_invitation(db_session, stop=silent, invited_at=NOW - timedelta(days=9))
    create_invitation(db_session, stop=silent, country="DE", invited_at=NOW - timedelta(days=1))
    soon = create_stop(
        db_session,
        stop_date=date(2026, 11, 26),
        countries=("US", "FR"),
        agenda_status=PublicationStatus.DRAFT,
        title_it="Tra pochi giorni",
    )
    create_invitation(db_session, stop=soon, country="US", status=InvitationStatus.CONFIRMED)
    ready = create_stop(
        db_session, stop_date=date(2026, 11, 27), countries=("US",), agenda_status=PublicationStatus.PUBLISHED
    )
    create_invitation(db_session, stop=ready, country="US", status=InvitationStatus.CONFIRMED)

    board = dashboard.build(db_session=db_session)
    kinds = {(item.kind, item.stop.id): item for item in board.attention}
    assert kinds[("opening", opening.id)].link == f"/manage/stops/{opening.id}"
    assert kinds[("waitlist", full.id)].link == f"/manage/stops/{full.id}/registrations"
    assert kinds[("unanswered", silent.id)].link == f"/manage/stops/{silent.id}/consuls"
    assert kinds[("agenda", soon.id)].link == f"/manage/stops/{soon.id}/agenda"
    unanswered = [item for item in board.attention if item.kind == "unanswered"]
    assert [item.country.code for item in unanswered if item.country] == ["US"]  # DE was invited yesterday
    assert ("agenda", soon.id) in kinds
    consul_items = [item for item in board.attention if item.kind == "consul" and item.stop.id == soon.id]
    assert [item.country.code for item in consul_items if item.country] == ["FR"]
    assert {item.link for item in consul_items} == {f"/manage/stops/{soon.id}/consuls"}
    assert not [item for item in board.attention if item.stop.id == ready.id]

    sign_in_as(client, create_user(db_session))
    db_session.commit()
    html = client.get("/manage").text
    assert "Da seguire" in html
    assert "Piena è al completo: 1 impresa è in lista d'attesa." in html
    assert "Nessun rappresentante consolare della Francia ha confermato per Tra pochi giorni" in html
    assert f'href="/manage/stops/{full.id}/registrations"' in html
    assert 'aria-current="page"' in html and 'href="/manage/planning"' in html
    assert 'href="/manage/audit"' not in html  # admins only: an organiser would get 403
