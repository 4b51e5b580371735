"""The grid links each meeting to its own page, where organisers move, lock and take it out."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.matching.models import Meeting
from app.stops.models import PublicationStatus
from tests.factories import create_meeting, create_meeting_request, create_user, sign_in_as
from tests.matching.b2b_helpers import b2b_stop, in_english, post_form

pytestmark = pytest.mark.usefixtures(in_english.__name__)


def _two_meetings(client: TestClient, db_session: Session) -> tuple[str, Meeting, Meeting]:
    b2b = b2b_stop(db_session)
    first = create_meeting(
        db_session,
        create_meeting_request(db_session, b2b.registrations[0], b2b.us),
        slot_index=0,
        table_number=1,
    )
    second = create_meeting(
        db_session,
        create_meeting_request(db_session, b2b.registrations[1], b2b.de),
        slot_index=1,
        table_number=2,
    )
    b2b.stop.schedule_status = PublicationStatus.DRAFT
    organiser = create_user(db_session)
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    return f"/manage/stops/{b2b.stop.id}/meetings", first, second


def test_the_grid_links_each_meeting_to_its_page_without_a_form_per_cell(
    client: TestClient, db_session: Session
) -> None:
    base, first, second = _two_meetings(client, db_session)
    grid = client.get(base).text.split('class="meeting-grid"')[1].split("</table>")[0]
    assert f'href="{base}/{first.id}/move"' in grid and f'href="{base}/{second.id}/move"' in grid
    assert "<form" not in grid and "<select" not in grid
    page = client.get(f"{base}/{first.id}/move")
    assert page.status_code == 200
    slot = page.text.split(f'id="field-move-{first.id}-slot"')[1].split("</select>")[0]
    assert re.search(r'<option value="14:00" selected>', slot)
    assert f'action="{base}/{first.id}/lock"' in page.text
    assert f'action="{base}/{first.id}/unschedule"' in page.text
    assert client.get(f"{base}/999999/move").status_code == 404


def test_a_refused_move_shows_the_meetings_page_again_with_the_rule(
    client: TestClient, db_session: Session
) -> None:
    base, first, _second = _two_meetings(client, db_session)
    refused = post_form(client, f"{base}/{first.id}/move", {"slot": "14:20", "table": "2"})
    assert refused.status_code == 409
    assert "Rule “table free”" in refused.text and f'action="{base}/{first.id}/move"' in refused.text
    bad = post_form(client, f"{base}/{first.id}/move", {"slot": "09:00", "table": "1"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    db_session.refresh(first)
    assert (first.slot_index, first.table_number) == (0, 1)
    moved = post_form(client, f"{base}/{first.id}/move", {"slot": "14:40", "table": "3"})
    assert moved.status_code == 303 and moved.headers["location"] == f"{base}?done=moved"
    assert post_form(client, f"{base}/{first.id}/lock", {"locked": "true"}).status_code == 303
    locked = client.get(f"{base}/{first.id}/move").text
    assert f'action="{base}/{first.id}/move"' not in locked and "Unlock" in locked
    db_session.refresh(first)
    assert (first.slot_index, first.table_number, first.locked) == (2, 3, True)
