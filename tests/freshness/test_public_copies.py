"""Public pages are built once per change of the public data, and never served stale.

These tests keep copies (the suite's other tests build every page fresh, since factories only
flush) and commit what they write, as every request does.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import Session, col, select

from app import clock
from app.audit.models import AuditEvent
from app.clock import ROME
from app.companies.models import RegistrationStatus
from app.config import Settings
from app.freshness.models import PublicVersion
from app.freshness.service import Copies
from app.reference.models import Sector
from app.stops import pages, service
from app.stops.models import PublicationStatus, Stop, StopCountry
from tests.factories import (
    create_agenda_item,
    create_company,
    create_registration,
    create_stop,
    create_user,
    sign_in_as,
)

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_copies": 64})


def _token(db_session: Session) -> str:
    return db_session.exec(select(PublicVersion.token)).one()


def _seats_left(client: TestClient, stop: Stop) -> int:
    listed = {item["id"]: item for item in client.get("/api/stops").json()}
    return int(listed[stop.id]["seats_left"])


def _kept_pages(client: TestClient, stop: Stop) -> list[str]:
    return ["/", "/api/stops", f"/stops/{stop.id}", "/?sector=aerospace", "/api/stops?country=US"]


def test_a_kept_page_costs_one_statement_and_a_committed_change_is_shown_at_once(
    client: TestClient, db_session: Session, statements: list[str]
) -> None:
    stop = create_stop(db_session, capacity=5, title_en="Kept stop")
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    for path in _kept_pages(client, stop):
        assert client.get(path).status_code == 200
        statements.clear()
        again = client.get(path)
        assert again.status_code == 200
        assert len(statements) == 1, f"{path} read {statements}"
    assert "5 seats left" in client.get("/").text

    create_registration(db_session, stop, status="confirmed")
    db_session.commit()

    assert "4 seats left" in client.get("/").text
    assert "4 seats left" in client.get("/?sector=aerospace").text
    assert _seats_left(client, stop) == 4
    assert "<strong>4</strong> / 5" in client.get(f"/stops/{stop.id}").text


def test_a_change_of_a_stop_by_statement_is_seen_as_well_as_by_its_rows(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, countries=("US", "DE"))
    db_session.commit()
    assert client.get("/api/stops?country=US").json()[-1]["id"] == stop.id

    db_session.exec(delete(StopCountry).where(col(StopCountry.stop_id) == stop.id))  # type: ignore[call-overload]
    db_session.commit()
    assert stop.id not in [item["id"] for item in client.get("/api/stops?country=US").json()]

    stop.title_en = "Renamed stop"
    db_session.add(stop)
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    assert "Renamed stop" in client.get(f"/stops/{stop.id}").text


def test_the_calendar_keeps_its_filters_with_its_stops_and_shows_a_renamed_sector_at_once(
    client: TestClient, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[dict[str, str]] = []
    build = pages._calendar_content

    def counted(*args: Any, **kwargs: Any) -> Any:
        builds.append(args[2])
        return build(*args, **kwargs)

    monkeypatch.setattr(pages, "_calendar_content", counted)
    create_stop(db_session)
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    for _ in range(2):
        assert ">Aerospace</option>" in client.get("/?sector=aerospace").text
    assert builds == [{}], "the calendar, filters and all, is built once and kept"

    sector = db_session.get(Sector, "aerospace")
    assert sector is not None
    sector.name_en = "Aerospace and space"
    db_session.add(sector)
    db_session.commit()

    page = client.get("/?sector=aerospace").text
    assert '<option value="aerospace" selected>Aerospace and space</option>' in page
    assert "Some filters are not valid" not in page
    assert len(builds) == 2
    for _ in range(2):  # invalid filters: built with their errors each time, never kept
        invalid = client.get("/?sector=nowhere")
        assert invalid.status_code == 422
        assert ">Aerospace and space</option>" in invalid.text
    assert len(builds) == 4 and builds[2] and builds[3]


def test_an_agenda_change_refreshes_the_stop_page(client: TestClient, db_session: Session) -> None:

    stop = create_stop(db_session, agenda_status=PublicationStatus.PUBLISHED)
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    assert "Opening of the day" not in client.get(f"/stops/{stop.id}").text

    create_agenda_item(db_session, stop, title_en="Opening of the day")
    db_session.commit()
    assert "Opening of the day" in client.get(f"/stops/{stop.id}").text


def test_writes_no_public_page_reads_and_rolled_back_writes_keep_the_token(db_session: Session) -> None:
    stop = create_stop(db_session)
    db_session.commit()
    before = _token(db_session)

    db_session.add(AuditEvent(action="test.noted", entity_type="stop", entity_id=str(stop.id)))
    db_session.commit()
    assert _token(db_session) == before

    stop.capacity = 7
    db_session.add(stop)
    db_session.flush()
    db_session.rollback()
    db_session.commit()
    assert _token(db_session) == before

    stop = db_session.get(Stop, stop.id)
    assert stop is not None
    stop.capacity = 8
    db_session.add(stop)
    db_session.commit()
    assert _token(db_session) != before


def test_a_hold_lapsing_or_registrations_opening_show_without_any_write(
    client: TestClient, db_session: Session
) -> None:
    clock.set_source(lambda: NOW)
    stop = create_stop(db_session, capacity=3, registration_opens_at=NOW + timedelta(hours=3))
    create_registration(
        db_session, stop, status=RegistrationStatus.PENDING, hold_expires_at=NOW + timedelta(hours=1)
    )
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    assert _seats_left(client, stop) == 2
    assert "Register your company" not in client.get(f"/stops/{stop.id}").text

    clock.set_source(lambda: NOW + timedelta(hours=2))
    assert _seats_left(client, stop) == 3

    clock.set_source(lambda: NOW + timedelta(hours=4))
    assert "Register your company" in client.get(f"/stops/{stop.id}").text


def test_personal_agendas_share_the_kept_programme_and_see_its_changes(
    client: TestClient, db_session: Session, statements: list[str]
) -> None:
    stop = create_stop(db_session, agenda_status=PublicationStatus.PUBLISHED)
    create_agenda_item(db_session, stop, title_en="Opening of the day")
    registered = create_company(db_session)
    create_registration(db_session, stop, registered, status="confirmed")
    stranger = create_user(db_session, role="company", company_id=create_company(db_session).id)
    member = create_user(db_session, role="company", company_id=registered.id)
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    path = f"/my/stops/{stop.id}/agenda"

    # A company without a registration is refused; the copy its request built stays usable.
    sign_in_as(client, stranger)
    assert client.get(path).status_code == 404
    sign_in_as(client, member)
    statements.clear()
    page = client.get(path)
    assert page.status_code == 200 and "Opening of the day" in page.text
    kept = len(statements)

    create_agenda_item(db_session, stop, title_en="Closing drinks")
    db_session.commit()
    statements.clear()
    page = client.get(path)
    assert "Closing drinks" in page.text and "Opening of the day" in page.text
    assert len(statements) == kept + 2, "the programme is read again (stop, items) once it changed"
    assert "Closing drinks" in client.get(f"/my/stops/{stop.id}/agenda.ics").text


def test_savepoints_neither_write_the_token_early_nor_forget_the_writes_before_them(
    db_session: Session,
) -> None:
    stop = create_stop(db_session)
    db_session.commit()
    before = _token(db_session)

    stop.capacity = 9
    db_session.add(stop)
    db_session.flush()
    with db_session.begin_nested():
        create_agenda_item(db_session, stop, title_en="Kept")
    assert _token(db_session) == before, "the token is written when the transaction commits"
    with pytest.raises(RuntimeError), db_session.begin_nested():
        create_agenda_item(db_session, stop, title_en="Undone")
        raise RuntimeError("the savepoint rolls back, not the writes before it")

    db_session.commit()
    assert _token(db_session) != before


def test_a_session_that_has_written_is_served_what_it_wrote_and_keeps_nothing(db_session: Session) -> None:
    store = Copies(keep=8)
    builds: list[int] = []

    def build() -> tuple[int, None]:
        builds.append(len(builds) + 1)
        return builds[-1], None

    assert store.kept("page", build, db_session=db_session) == 1
    assert store.kept("page", build, db_session=db_session) == 1
    create_stop(db_session)
    assert store.kept("page", build, db_session=db_session) == 2
    db_session.commit()
    assert store.kept("page", build, db_session=db_session) == 3
    assert store.kept("page", build, db_session=db_session) == 3


def test_a_view_changes_at_midnight_even_with_a_hold_lapsing_later(db_session: Session) -> None:
    now = datetime(2027, 5, 11, 20, 0, tzinfo=UTC)
    view = service.get_view(create_stop(db_session).id or 0, db_session=db_session)
    view.hold_lapses_at = now + timedelta(hours=30)
    assert view.changes_at(now) == datetime(2027, 5, 12, 0, 0, tzinfo=ROME)
    view.hold_lapses_at = now + timedelta(minutes=20)
    assert view.changes_at(now) == now + timedelta(minutes=20)
