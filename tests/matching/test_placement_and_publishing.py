"""Changes by hand, checked against the hard rules; publishing by email, page and .ics."""

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session, select

from app.errors import Conflict
from app.matching import placement, publishing, scheduling
from app.matching.models import Meeting
from app.notifications.models import OutboxMessage
from app.stops.models import PublicationStatus
from tests.contract import assert_schedule_valid
from tests.factories import b2b_company_user, b2b_consul_user, b2b_request, create_user, sign_in_as
from tests.matching.b2b_helpers import B2BStop, b2b_stop, in_english, post_form

pytestmark = pytest.mark.usefixtures(in_english.__name__)


def _meeting(db_session: Session, b2b: B2BStop, request, slot: int, table: int, **values) -> Meeting:  # type: ignore[no-untyped-def]
    meeting = Meeting(
        stop_id=b2b.stop.id, request_id=request.id, slot_index=slot, table_number=table, **values
    )
    db_session.add(meeting)
    db_session.flush()
    return meeting


def _refused(action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict) as refused:
        action()
    return refused.value.translated()


def test_moves_that_break_a_rule_are_refused_naming_the_rule(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    first, second = b2b.registrations[0], b2b.registrations[1]
    first_us = b2b_request(db_session, first, b2b.us)
    first_de = b2b_request(db_session, first, b2b.de)
    second_us = b2b_request(db_session, second, b2b.us)
    second_de = b2b_request(db_session, second, b2b.de)
    moving = _meeting(db_session, b2b, first_us, 0, 1)
    _meeting(db_session, b2b, first_de, 1, 2)
    _meeting(db_session, b2b, second_de, 2, 2)
    _meeting(db_session, b2b, second_us, 3, 1)
    b2b.de.available_slots = [1, 2, 3]
    b2b.us.max_meetings = 2

    def move(slot: str, table: str) -> str:
        return _refused(
            lambda: placement.move(b2b.stop, moving.id, slot=slot, table=table, db_session=db_session)
        )

    assert move("14:20", "1").startswith("Rule “nobody twice in a slot”: Azienda")
    assert move("15:00", "1").startswith("Rule “nobody twice in a slot”: Consul")
    assert move("14:40", "2") == "Rule “table free”: table 2 is taken at 14:40."
    assert "so Consul" in move("14:40", "3") and "keeps table 1 all day" in move("14:40", "3")
    third = b2b_request(db_session, b2b.registrations[2], b2b.us)
    assert "Rule “maximum meetings”" in _refused(
        lambda: placement.place(b2b.stop, str(third.id), slot="14:20", table="1", db_session=db_session)
    )
    de_request = b2b_request(db_session, b2b.registrations[2], b2b.de)
    assert "Rule “both present”" in _refused(
        lambda: placement.place(b2b.stop, str(de_request.id), slot="14:00", table="2", db_session=db_session)
    )
    placement.move(b2b.stop, moving.id, slot="14:40", table="1", db_session=db_session)
    assert moving.slot_index == 2
    assert_schedule_valid(*scheduling.export(b2b.stop, db_session=db_session))


def test_locked_meeting_must_be_unlocked_before_moving(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    meeting = _meeting(
        db_session, b2b, b2b_request(db_session, b2b.registrations[0], b2b.us), 0, 1, locked=True
    )
    assert "locked" in _refused(
        lambda: placement.move(b2b.stop, meeting.id, slot="14:20", table="1", db_session=db_session)
    )
    placement.set_locked(b2b.stop, meeting.id, locked=False, db_session=db_session)
    placement.move(b2b.stop, meeting.id, slot="14:20", table="1", db_session=db_session)
    assert meeting.slot_index == 1


def test_taking_out_a_meeting_reseats_representatives_when_tables_now_suffice(db_session: Session) -> None:
    b2b = b2b_stop(db_session, b2b_tables=2)
    extra = b2b.registrations[2]
    from tests.factories import b2b_invitation

    fr = b2b_invitation(db_session, b2b.stop, country="FR")
    # Three representatives for two tables: the US consul had to change tables.
    _meeting(db_session, b2b, b2b_request(db_session, b2b.registrations[0], b2b.us), 0, 1)
    _meeting(db_session, b2b, b2b_request(db_session, b2b.registrations[1], b2b.us), 1, 2)
    _meeting(db_session, b2b, b2b_request(db_session, extra, b2b.de), 0, 2)
    gone = _meeting(db_session, b2b, b2b_request(db_session, extra, fr), 1, 1)
    placement.unschedule(b2b.stop, gone.id, db_session=db_session)
    assert_schedule_valid(*scheduling.export(b2b.stop, db_session=db_session))


def test_publishing_emails_each_participant_once_in_their_language(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    for registration in b2b.registrations[:2]:
        b2b_request(db_session, registration, b2b.us)
    b2b_request(db_session, b2b.registrations[0], b2b.de)
    scheduling.run(b2b.stop, time_limit=5, user_id=None, db_session=db_session)
    before = len(db_session.exec(select(OutboxMessage)).all())
    queued = publishing.publish(b2b.stop, base_url="https://roadshow.example", db_session=db_session)
    messages = db_session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]  # type: ignore[arg-type]
    assert queued == len(messages) == 4  # two companies, two representatives
    assert b2b.stop.schedule_status == PublicationStatus.PUBLISHED
    by_template = sorted(m.template for m in messages)
    assert (
        by_template
        == ["matching/emails/schedule_company"] * 2 + ["matching/emails/schedule_representative"] * 2
    )
    company_mail = next(m for m in messages if m.template.endswith("company"))
    assert company_mail.language == "it" and "Stati Uniti" in company_mail.body_text
    assert "https://roadshow.example/my/stops/" in company_mail.body_text
    assert "tavolo" in company_mail.body_text
    consul_mail = next(m for m in messages if m.language == "en")
    assert "table" in consul_mail.body_text and "Azienda" in consul_mail.body_text
    with pytest.raises(Conflict):
        publishing.publish(b2b.stop, base_url="https://roadshow.example", db_session=db_session)


def test_published_meetings_show_on_the_company_and_consul_pages_and_feeds(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session)
    mine = b2b_request(db_session, b2b.registrations[0], b2b.us)
    _meeting(db_session, b2b, mine, 2, 1)
    _meeting(db_session, b2b, b2b_request(db_session, b2b.registrations[1], b2b.us), 0, 1)
    company = b2b_company_user(db_session, b2b.registrations[0])
    consul = b2b_consul_user(db_session, b2b.us)
    db_session.commit()
    sign_in_as(client, company)
    assert "14:40" not in client.get(f"/my/stops/{b2b.stop.id}/meetings").text  # still a draft
    b2b.stop.schedule_status = PublicationStatus.PUBLISHED
    db_session.add(b2b.stop)
    db_session.commit()
    page = client.get(f"/my/stops/{b2b.stop.id}/meetings").text
    assert "14:40–15:00" in page and "14:00" not in page.split("Le tue richieste")[0]
    feed = Calendar.from_ical(client.get(f"/my/stops/{b2b.stop.id}/meetings.ics").content)
    events = list(feed.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (14, 40, "Europe/Rome")
    sign_in_as(client, consul)
    consul_feed = client.get(f"/consul/stops/{b2b.stop.id}/meetings.ics")
    assert consul_feed.headers["content-type"].startswith("text/calendar")
    assert len(list(Calendar.from_ical(consul_feed.content).walk("VEVENT"))) == 2
    assert "14:40–15:00" in client.get(f"/consul/stops/{b2b.stop.id}/requests").text


def test_organiser_moves_places_and_publishes_through_the_page(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session)
    request = b2b_request(db_session, b2b.registrations[0], b2b.us)
    later = b2b_request(db_session, b2b.registrations[1], b2b.us)
    meeting = _meeting(db_session, b2b, request, 0, 1)
    b2b.stop.schedule_status = PublicationStatus.DRAFT
    organiser = create_user(db_session)
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    base = f"/manage/stops/{b2b.stop.id}/meetings"
    clash = post_form(client, f"{base}/place", {"request_id": later.id, "slot": "14:00", "table": "2"})
    assert clash.status_code == 409 and "Rule “nobody twice in a slot”" in clash.text
    assert (
        post_form(
            client, f"{base}/place", {"request_id": later.id, "slot": "14:20", "table": "1"}
        ).status_code
        == 303
    )
    assert post_form(client, f"{base}/{meeting.id}/move", {"slot": "14:40", "table": "1"}).status_code == 303
    assert post_form(client, f"{base}/{meeting.id}/lock", {"locked": "true"}).status_code == 303
    db_session.refresh(meeting)
    assert (meeting.slot_index, meeting.locked) == (2, True)
    assert post_form(client, f"{base}/publish").status_code == 303
    db_session.refresh(b2b.stop)
    assert b2b.stop.schedule_status == PublicationStatus.PUBLISHED
