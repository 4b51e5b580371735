"""Publishing again emails only those whose meetings changed, saying what changed; the publish
button first shows who will be emailed."""

from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.companies.models import Company
from app.consuls.models import Representative
from app.matching import agenda_changes, placement, publishing, seating
from app.matching.models import Meeting
from app.notifications.models import OutboxMessage
from app.stops.models import PublicationStatus
from tests.factories import create_meeting, create_meeting_request, create_user, sign_in_as
from tests.matching.b2b_helpers import B2BStop, b2b_stop, in_english, post_form

pytestmark = pytest.mark.usefixtures(in_english.__name__)


def _published(db_session: Session) -> tuple[B2BStop, Meeting]:
    """Two companies meet the US consul, the first also the German one; published once."""
    b2b = b2b_stop(db_session, schedule_status=PublicationStatus.DRAFT)
    first, second = b2b.registrations[0], b2b.registrations[1]
    moving = create_meeting(
        db_session, create_meeting_request(db_session, first, b2b.us), slot_index=0, table_number=1
    )
    create_meeting(
        db_session, create_meeting_request(db_session, first, b2b.de), slot_index=1, table_number=2
    )
    create_meeting(
        db_session, create_meeting_request(db_session, second, b2b.us), slot_index=1, table_number=1
    )
    for company in db_session.exec(select(Company)):
        company.language = "en"
    assert publishing.publish(b2b.stop, base_url="http://testserver", db_session=db_session) == 4
    return b2b, moving


def _sent_after(db_session: Session, count: int) -> list[OutboxMessage]:
    return list(db_session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())[count:]  # type: ignore[arg-type]


def _count(db_session: Session) -> int:
    return len(db_session.exec(select(OutboxMessage.id)).all())


def test_moving_one_meeting_emails_exactly_the_two_people_concerned(db_session: Session) -> None:
    b2b, moving = _published(db_session)
    before = _count(db_session)
    placement.move(b2b.stop, moving.id, slot="14:40", table="1", db_session=db_session)
    assert b2b.stop.schedule_status == PublicationStatus.DRAFT
    assert publishing.publish(b2b.stop, base_url="http://testserver", db_session=db_session) == 2
    sent = _sent_after(db_session, before)
    company = db_session.get(Company, b2b.registrations[0].company_id)
    ellison = db_session.get(Representative, b2b.us.representative_id)
    assert company is not None and ellison is not None
    assert sorted(m.to_address for m in sent) == sorted([company.contact_email, ellison.email])
    by_address = {m.to_address: m for m in sent}
    to_company, to_consul = by_address[company.contact_email], by_address[ellison.email]
    assert to_company.subject.startswith("Changes to your B2B meetings")
    assert (
        "- Consul Ellison (United States): moved from 14:00 table 1 to 14:40 table 1" in to_company.body_text
    )
    assert f"- {company.name}: moved from 14:00 table 1 to 14:40 table 1" in to_consul.body_text
    # The German meeting did not move: it is listed, not announced as a change.
    assert (
        "Consul Weber" in to_company.body_text and "Consul Weber (Germany): moved" not in to_company.body_text
    )


def test_publishing_again_with_nothing_changed_emails_nobody(db_session: Session) -> None:
    b2b, _moving = _published(db_session)
    before = _count(db_session)
    seating.mark_changed(b2b.stop, db_session=db_session)
    assert publishing.publish(b2b.stop, base_url="http://testserver", db_session=db_session) == 0
    assert _sent_after(db_session, before) == []
    assert b2b.stop.schedule_status == PublicationStatus.PUBLISHED


def test_a_meeting_taken_out_is_announced_with_its_reason(db_session: Session) -> None:
    b2b, moving = _published(db_session)
    before = _count(db_session)
    placement.unschedule(b2b.stop, moving.id, db_session=db_session)
    publishing.publish(b2b.stop, base_url="http://testserver", db_session=db_session)
    sent = _sent_after(db_session, before)
    company = db_session.get(Company, b2b.registrations[0].company_id)
    assert company is not None
    [to_company] = [m for m in sent if m.to_address == company.contact_email]
    assert (
        "- Consul Ellison (United States): meeting at 14:00, table 1 removed: "
        "the organisers did not place it in the published schedule" in to_company.body_text
    )


def test_diff_names_new_moved_and_removed_meetings() -> None:
    meeting = {"start": "10:20", "end": "10:40", "table": 3, "with": "A", "country": "US"}
    old = {"1": meeting, "2": {**meeting, "with": "B"}, "3": {**meeting, "with": "C"}}
    new = {
        "1": meeting,
        "2": {**meeting, "with": "B", "start": "11:00", "end": "11:20", "table": 5},
        "3": {"with": "C", "country": "US", "reason": "company fully booked"},
        "4": {**meeting, "with": "D", "start": "12:00"},
    }
    changes = agenda_changes.diff(old, new)
    assert [(c.kind, c.with_name) for c in changes] == [("removed", "C"), ("moved", "B"), ("new", "D")]
    assert changes[0].reason == "company fully booked"
    assert agenda_changes.diff(new, new) == []


def test_the_publish_button_shows_who_will_be_emailed_first(client: TestClient, db_session: Session) -> None:
    b2b, moving = _published(db_session)
    placement.move(b2b.stop, moving.id, slot="14:40", table="1", db_session=db_session)
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    before = _count(db_session)
    page = client.get(f"/manage/stops/{b2b.stop.id}/meetings/publish")
    assert page.status_code == 200
    text = unescape(page.text)
    company = db_session.get(Company, b2b.registrations[0].company_id)
    other = db_session.get(Company, b2b.registrations[1].company_id)
    assert company is not None and other is not None
    assert "1 company and 1 representative will be emailed:" in text
    assert company.name in text and "Consul Ellison" in text
    assert other.name not in text and "Consul Weber" not in text
    assert _count(db_session) == before  # the confirmation sends nothing
    done = post_form(client, f"/manage/stops/{b2b.stop.id}/meetings/publish")
    assert done.status_code == 303 and done.headers["location"].endswith("?done=published")
    assert _count(db_session) == before + 2


def test_the_first_confirmation_counts_everyone_with_meetings(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session, schedule_status=PublicationStatus.DRAFT)
    for registration in b2b.registrations[:2]:
        create_meeting(
            db_session,
            create_meeting_request(db_session, registration, b2b.us),
            slot_index=b2b.registrations.index(registration),
            table_number=1,
        )
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "it")
    page = unescape(client.get(f"/manage/stops/{b2b.stop.id}/meetings/publish").text)
    assert "2 aziende e 1 rappresentante riceveranno un'email:" in page


def test_the_confirmation_of_a_published_schedule_says_why_not(
    client: TestClient, db_session: Session
) -> None:
    b2b, _moving = _published(db_session)
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    page = client.get(f"/manage/stops/{b2b.stop.id}/meetings/publish")
    assert page.status_code == 409 and "already published" in page.text
