"""The organiser's scheduler: block, instance from the database, stored meetings, locks."""

from datetime import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.errors import Conflict, InvalidInput
from app.matching import data as stop_data
from app.matching import scheduling
from app.matching.engine.instance import load_instance
from app.matching.models import Meeting, ScheduleRun
from app.stops.models import PublicationStatus
from app.stops.slots import slot_labels
from tests.contract import assert_schedule_valid
from tests.factories import (
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_user,
    sign_in_as,
)
from tests.jobs_helpers import run_pending
from tests.matching.b2b_helpers import B2BStop, b2b_stop, in_english, post_form

pytestmark = pytest.mark.usefixtures(in_english.__name__)


def _busy_stop(db_session: Session) -> B2BStop:
    """Five companies wanting two representatives; one of them is away at 14:20 and takes four."""
    b2b = b2b_stop(db_session, companies=5)
    b2b.de.available_slots = [0, 2, 3]
    b2b.de.max_meetings = 2
    for n, registration in enumerate(b2b.registrations):
        create_meeting_request(db_session, registration, b2b.us, priority=("high", "medium", "low")[n % 3])
        if n < 4:
            create_meeting_request(db_session, registration, b2b.de, priority="high")
    create_meeting_request(
        db_session, create_registration(db_session, b2b.stop, status="confirmed"), b2b.us, status="pending"
    )
    return b2b


def _run(db_session: Session, b2b: B2BStop) -> ScheduleRun:
    return scheduling.run(b2b.stop, time_limit=5, user_id=None, db_session=db_session)


def test_instance_from_the_database_follows_the_contract(db_session: Session) -> None:
    b2b = _busy_stop(db_session)
    built = scheduling.build_instance(stop_data.load(b2b.stop, db_session=db_session))
    data = built.data
    load_instance(data)  # raises InvalidInstance when the format is broken
    assert data["slots"] == ["14:00", "14:20", "14:40", "15:00"]
    assert data["tables"] == 3
    assert len(data["companies"]) == 5  # the company with only a pending request is not there
    germany = next(r for r in data["representatives"] if r["id"] == f"i{b2b.de.id}")
    assert germany == {
        "id": f"i{b2b.de.id}",
        "country": "DE",
        "slots": ["14:00", "14:40", "15:00"],
        "max_meetings": 2,
    }
    weights = {(q["company"], q["representative"]): q["weight"] for q in data["requests"]}
    first = f"r{b2b.registrations[0].id}"
    # High priority (3), plus 2 because the US consul is interested in aerospace.
    assert weights[(first, f"i{b2b.us.id}")] == 5
    assert weights[(first, f"i{b2b.de.id}")] == 3


def test_solved_schedule_is_stored_and_passes_the_contract_checker(db_session: Session) -> None:
    b2b = _busy_stop(db_session)
    run = _run(db_session, b2b)
    instance, schedule = scheduling.export(b2b.stop, db_session=db_session)
    assert_schedule_valid(instance, schedule)
    assert schedule["objective"] == run.objective
    assert run.upper_bound is not None and run.objective <= run.upper_bound
    assert b2b.stop.schedule_status == PublicationStatus.DRAFT
    meetings = db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id)).all()
    assert len(meetings) == run.meeting_count == 6  # 4 slots for the US, 2 for Germany
    assert {u["reason"] for u in run.unscheduled} <= set(scheduling.REASONS)
    assert len(run.unscheduled) == 9 - 6


def test_locked_meetings_keep_their_slot_and_table_when_the_scheduler_runs_again(db_session: Session) -> None:
    b2b = _busy_stop(db_session)
    _run(db_session, b2b)
    meetings = db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id)).all()
    locked = meetings[0]
    locked.locked = True
    place = (locked.request_id, locked.slot_index, locked.table_number)
    db_session.add(locked)
    db_session.flush()
    for _ in range(2):
        _run(db_session, b2b)
        again = db_session.exec(select(Meeting).where(Meeting.request_id == place[0])).one()
        assert (again.request_id, again.slot_index, again.table_number) == place
        assert again.locked
    assert_schedule_valid(*scheduling.export(b2b.stop, db_session=db_session))


def test_rerun_after_publication_keeps_every_published_meeting(db_session: Session) -> None:
    b2b = _busy_stop(db_session)
    _run(db_session, b2b)
    published = {
        (m.request_id, m.slot_index)
        for m in db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id))
    }
    b2b.stop.schedule_status = PublicationStatus.PUBLISHED
    late = create_registration(db_session, b2b.stop, status="confirmed")
    create_meeting_request(db_session, late, b2b.us, priority="high")
    _run(db_session, b2b)
    now = {
        (m.request_id, m.slot_index)
        for m in db_session.exec(select(Meeting).where(Meeting.stop_id == b2b.stop.id))
    }
    assert published <= now
    assert b2b.stop.schedule_status == PublicationStatus.DRAFT
    assert_schedule_valid(*scheduling.export(b2b.stop, db_session=db_session))


def test_locked_meetings_that_clash_are_explained_by_name(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    company = b2b.registrations[0]
    one, two = (
        create_meeting_request(db_session, company, b2b.us),
        create_meeting_request(db_session, company, b2b.de),
    )
    create_meeting(db_session, one, slot_index=1, table_number=1, locked=True)
    create_meeting(db_session, two, slot_index=1, table_number=2, locked=True)
    with pytest.raises(Conflict) as clash:
        _run(db_session, b2b)
    assert "The locked meetings cannot all hold" in clash.value.translated()
    assert "Azienda" in clash.value.translated() and "14:20" in clash.value.translated()


def test_scheduler_needs_the_block_and_accepted_requests(db_session: Session) -> None:
    b2b = b2b_stop(db_session, b2b_first_slot=None)
    with pytest.raises(Conflict, match="B2B block"):
        _run(db_session, b2b)
    b2b.stop.b2b_first_slot = time(14, 0)
    with pytest.raises(Conflict, match="no accepted requests"):
        _run(db_session, b2b)


def test_block_checks_each_field_and_the_stop_hours(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    with pytest.raises(InvalidInput) as invalid:
        scheduling.set_block(
            b2b.stop, first_slot="25:00", slot_minutes="2", slot_count="x", tables="0", db_session=db_session
        )
    assert set(invalid.value.errors) == {"first_slot", "slot_minutes", "slot_count", "tables"}
    with pytest.raises(InvalidInput) as late:
        scheduling.set_block(
            b2b.stop, first_slot="17:00", slot_minutes="20", slot_count="3", tables="4", db_session=db_session
        )
    assert late.value.errors["slot_count"] == "These slots end at 18:00, after the stop closes at 17:30."
    scheduling.set_block(
        b2b.stop, first_slot="15:00", slot_minutes="15", slot_count="6", tables="4", db_session=db_session
    )
    assert slot_labels(b2b.stop) == ["15:00", "15:15", "15:30", "15:45", "16:00", "16:15"]


def test_organiser_page_shows_the_grid_the_bound_and_the_requests_left_out(
    client: TestClient, db_session: Session, connection: object
) -> None:
    b2b = _busy_stop(db_session)
    organiser = create_user(db_session)
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    ran = post_form(client, f"/manage/stops/{b2b.stop.id}/meetings/schedule")
    assert ran.status_code == 303
    page = client.get(ran.headers["location"])
    assert "The scheduler is running" in page.text and "about to start" in page.text
    assert '<meta http-equiv="refresh" content="2;' in page.text
    assert run_pending(connection) == 1
    page = client.get(ran.headers["location"])
    assert 'http-equiv="refresh"' not in page.text
    assert 'class="meeting-grid"' in page.text and "Table 3" in page.text
    assert "Proven bound" in page.text and "Accepted requests left out" in page.text
    assert "representative fully booked" in page.text or "left out for a better overall schedule" in page.text


def test_block_form_errors_show_next_to_the_fields(client: TestClient, db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    organiser = create_user(db_session)
    create_invitation(db_session, b2b.stop, country="FR", status="confirmed")
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    page = post_form(
        client,
        f"/manage/stops/{b2b.stop.id}/meetings/block",
        {"first_slot": "8:00", "slot_minutes": "20", "slot_count": "4", "tables": "3"},
    )
    assert page.status_code == 422
    assert 'aria-describedby="field-block-first_slot-error"' in page.text
    assert "The stop opens at 09:30" in page.text
