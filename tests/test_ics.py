"""Every calendar feed comes from one builder: strict RFC 5545, one UID per thing, SEQUENCE on change."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock, ics
from app.consuls import links
from app.consuls.models import Representative
from app.matching import placement, publishing
from app.matching.models import Meeting
from app.stops import changes as stop_changes
from app.stops.models import PublicationStatus
from tests.factories import create_agenda_item, create_meeting_request, create_user, sign_in_as
from tests.ics_checks import events_by_uid, strict_calendar
from tests.matching.b2b_helpers import B2BStop, b2b_stop


@dataclass
class Day:
    b2b: B2BStop
    request: Any
    meeting: Meeting
    company: Any
    consul: Any
    representative: Representative


def _day(db_session: Session) -> Day:
    b2b = b2b_stop(
        db_session, schedule_status=PublicationStatus.PUBLISHED, agenda_status=PublicationStatus.PUBLISHED
    )
    create_agenda_item(db_session, b2b.stop, kind="welcome", starts_at=time(9, 30), ends_at=time(9, 45))
    request = create_meeting_request(db_session, b2b.registrations[0], b2b.us)
    meeting = Meeting(stop_id=b2b.stop.id, request_id=request.id, slot_index=0, table_number=1)
    db_session.add(meeting)
    db_session.flush()
    company = create_user(db_session, role="company", company_id=b2b.registrations[0].company_id)
    consul = create_user(db_session, role="consul", representative_id=b2b.us.representative_id)
    representative = db_session.get(Representative, b2b.us.representative_id)
    assert representative is not None
    db_session.commit()
    return Day(b2b, request, meeting, company, consul, representative)


def _company_feeds(client: TestClient, day: Day) -> dict[str, bytes]:
    sign_in_as(client, day.company)
    stop_id, registration_id = day.b2b.stop.id, day.b2b.registrations[0].id
    urls = {
        "registration": f"/my/registrations/{registration_id}/calendar.ics",
        "agenda": f"/my/stops/{stop_id}/agenda.ics",
        "meetings": f"/my/stops/{stop_id}/meetings.ics",
    }
    return {name: _get(client, url) for name, url in urls.items()}


def _consul_feeds(client: TestClient, day: Day) -> dict[str, bytes]:
    sign_in_as(client, day.consul)
    stop_id = day.b2b.stop.id
    token = links.feed_token(day.representative, client.app.state.settings)  # type: ignore[attr-defined]
    urls = {
        "agenda": f"/consul/stops/{stop_id}/agenda.ics",
        "meetings": f"/consul/stops/{stop_id}/meetings.ics",
        "feed": f"/consul/calendar.ics?token={token}",
    }
    return {name: _get(client, url) for name, url in urls.items()}


def _get(client: TestClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return response.content


def test_every_feed_is_strict_rfc5545_with_its_time_zone(client: TestClient, db_session: Session) -> None:
    day = _day(db_session)
    feeds = {"public agenda": _get(client, f"/stops/{day.b2b.stop.id}/agenda.ics")}
    feeds |= {f"company {name}": body for name, body in _company_feeds(client, day).items()}
    feeds |= {f"consul {name}": body for name, body in _consul_feeds(client, day).items()}
    assert len(feeds) == 7
    for name, body in feeds.items():
        calendar = strict_calendar(body)
        assert calendar.walk("VEVENT"), name
        assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Rome"], name


def test_a_meeting_has_one_uid_in_every_feed_and_keeps_it_when_it_moves(
    client: TestClient, db_session: Session
) -> None:
    day = _day(db_session)
    uid = ics.meeting_uid(day.request.id)

    def meeting_everywhere() -> list[Any]:
        bodies = [*_company_feeds(client, day).values(), *_consul_feeds(client, day).values()]
        return [events_by_uid(strict_calendar(body)).get(uid) for body in bodies]

    before = [event for event in meeting_everywhere() if event is not None]
    assert len(before) == 5  # the company's agenda and meetings, the consul's agenda, meetings and feed
    assert {e.decoded("DTSTART").isoformat() for e in before} == {"2027-05-12T14:00:00+02:00"}
    later = clock.now() + timedelta(hours=1)
    clock.set_source(lambda: later)
    placement.move(day.b2b.stop, day.meeting.id or 0, slot="14:40", table="2", db_session=db_session)
    publishing.publish(day.b2b.stop, base_url="https://roadshow.example", db_session=db_session)  # again
    db_session.commit()
    after = [event for event in meeting_everywhere() if event is not None]
    assert len(after) == 5
    assert {e.decoded("DTSTART").isoformat() for e in after} == {"2027-05-12T14:40:00+02:00"}
    assert min(int(e["SEQUENCE"]) for e in after) > max(int(e["SEQUENCE"]) for e in before)


def test_a_cancelled_stop_stays_in_the_feeds_marked_cancelled(
    client: TestClient, db_session: Session
) -> None:
    day = _day(db_session)
    stop_uid = ics.stop_uid(day.b2b.stop.id)
    registration_feed = _company_feeds(client, day)["registration"]
    (before,) = strict_calendar(registration_feed).walk("VEVENT")
    assert (str(before["UID"]), str(before["STATUS"])) == (stop_uid, "CONFIRMED")
    later = clock.now() + timedelta(hours=1)
    clock.set_source(lambda: later)
    organiser = create_user(db_session, role="organiser")
    stop_changes.transition(day.b2b.stop.id or 0, "cancel", actor=organiser, db_session=db_session)
    db_session.commit()
    sign_in_as(client, day.company)
    url = f"/my/registrations/{day.b2b.registrations[0].id}/calendar.ics"
    (after,) = strict_calendar(_get(client, url)).walk("VEVENT")
    assert (str(after["UID"]), str(after["STATUS"])) == (stop_uid, "CANCELLED")
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    consul_feed = events_by_uid(strict_calendar(_consul_feeds(client, day)["feed"]))
    assert str(consul_feed[stop_uid]["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert str(consul_feed[ics.meeting_uid(day.request.id)]["STATUS"]) == "CANCELLED"  # type: ignore[index]


def test_sequence_only_grows_and_the_builder_names_its_time_zone() -> None:
    start = datetime(2027, 5, 12, 9, 30, tzinfo=clock.ROME)
    first, second = datetime(2026, 12, 1, 10, tzinfo=UTC), datetime(2026, 12, 1, 10, 0, 1, tzinfo=UTC)
    assert 0 < ics.sequence(first) < ics.sequence(second)
    assert ics.last_change(first, second.replace(tzinfo=None)) == second
    event = ics.Event("x@" + ics.UID_DOMAIN, "Giornata", start, start + timedelta(hours=8), first)
    calendar = strict_calendar(ics.build("Roadshow", [event]))
    (parsed,) = calendar.walk("VEVENT")
    assert parsed["DTSTART"].params["TZID"] == "Europe/Rome" and int(parsed["SEQUENCE"]) == ics.sequence(
        first
    )
