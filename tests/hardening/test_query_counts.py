"""Listing pages read a fixed number of SQL queries however many rows they list.

Each page is requested once with a little data and once with ten times as much; the number of
statements sent to the database must not change (an N+1 loop would add one per row).
"""

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.companies.models import RegistrationStatus
from app.consuls import links
from app.matching.models import Meeting
from app.stops.models import PublicationStatus, Stop
from tests.factories import (
    create_agenda_item,
    create_company,
    create_invitation,
    create_meeting_request,
    create_registration,
    create_representative,
    create_stop,
    create_user,
    sign_in_as,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
FIRST_DAY = date(2027, 2, 2)


@dataclass
class Roadshow:
    """A stop that grows, a company and a representative present at every stop, and their users."""

    stop: Stop
    company: Any
    representative: Any
    organiser: User
    company_user: User
    consul_user: User
    registration: Any = None
    stops: int = 0

    def grow(self, db_session: Session, count: int) -> None:
        """``count`` more stops (the company and the representative at each), and ``count`` more
        registrations, invitations, meeting requests, meetings and agenda items at the main stop."""
        for _ in range(count):
            self.stops += 1
            stop = create_stop(
                db_session,
                stop_date=FIRST_DAY + timedelta(days=7 * self.stops),
                countries=("US", "DE", "FR"),
                capacity=1,
                agenda_status=PublicationStatus.PUBLISHED,
            )
            create_registration(db_session, stop, self.company, status="confirmed", attendees=["Anna Rossi"])
            create_registration(
                db_session,
                stop,
                status=RegistrationStatus.WAITLISTED,
                attendees=["Anna Rossi"],
                waitlist_position=1,
            )
            create_invitation(db_session, stop, self.representative, status="confirmed")
            create_invitation(db_session, stop, country="DE", status="invited")
            create_agenda_item(db_session, stop, room=f"Sala {self.stops}")

            registration = create_registration(
                db_session, self.stop, status="confirmed", attendees=("Anna Rossi", "Luca Bianchi")
            )
            invitation = create_invitation(db_session, self.stop, country="FR", status="confirmed")
            request = create_meeting_request(db_session, registration, invitation, priority="high")
            db_session.add(
                Meeting(
                    stop_id=self.stop.id,  # type: ignore[arg-type]
                    request_id=request.id,  # type: ignore[arg-type]
                    slot_index=self.stops % 8,
                    table_number=self.stops // 8 + 1,
                )
            )
            create_agenda_item(
                db_session,
                self.stop,
                starts_at=time(9, 0),
                ends_at=time(9, 20),
                room=f"Sala {self.stops}",
                title_en=f"Talk {self.stops}",
            )
            waiting = create_registration(
                db_session, self.stop, status=RegistrationStatus.WAITLISTED, attendees=["Anna Rossi"]
            )
            waiting.waitlist_position = self.stops
        db_session.flush()


@pytest.fixture
def roadshow(db_session: Session) -> Roadshow:
    clock.set_source(lambda: NOW)
    stop = create_stop(
        db_session,
        stop_date=FIRST_DAY,
        countries=("US", "DE", "FR"),
        capacity=500,
        b2b_first_slot=time(14, 0),
        b2b_slot_count=8,
        b2b_tables=10,
        agenda_status=PublicationStatus.PUBLISHED,
        schedule_status=PublicationStatus.PUBLISHED,
    )
    company = create_company(db_session)
    representative = create_representative(db_session, country="US")
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=["Anna Rossi"]
    )
    invitation = create_invitation(db_session, stop, representative, status="confirmed")
    create_meeting_request(db_session, registration, invitation, priority="high")
    company_user = create_user(db_session, role="company", password=None, company_id=company.id)
    consul_user = create_user(db_session, role="consul", password=None, representative_id=representative.id)
    organiser = create_user(db_session, role="organiser")
    shape = Roadshow(stop, company, representative, organiser, company_user, consul_user, registration)
    shape.grow(db_session, 2)
    return shape


# (who, path): the listing pages; {stop} is the stop that grows, {feed} the consul's feed token.
PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/api/stops"),
    ("anonymous", "/stops/{stop}"),
    ("anonymous", "/stops/{stop}/agenda.ics"),
    ("anonymous", "/consul/calendar.ics?token={feed}"),
    ("organiser", "/manage"),
    ("organiser", "/manage/stops"),
    ("organiser", "/manage/stops/{stop}/registrations"),
    ("organiser", "/manage/stops/{stop}/consuls"),
    ("organiser", "/manage/stops/{stop}/meetings"),
    ("organiser", "/manage/results"),
    ("company", "/my"),
    ("company", "/my/stops/{stop}/agenda"),
    ("company", "/my/stops/{stop}/agenda.ics"),
    ("company", "/my/stops/{stop}/agenda/print"),
    ("company", "/my/stops/{stop}/meetings"),
    ("company", "/my/stops/{stop}/meetings.ics"),
    ("company", "/my/registrations/{registration}"),
    ("company", "/my/registrations/{registration}/calendar.ics"),
    ("consul", "/consul"),
    ("consul", "/consul/stops/{stop}"),
    ("consul", "/consul/stops/{stop}/agenda"),
    ("consul", "/consul/stops/{stop}/agenda.ics"),
    ("consul", "/consul/stops/{stop}/agenda/print"),
    ("consul", "/consul/stops/{stop}/requests"),
    ("consul", "/consul/stops/{stop}/meetings.ics"),
]

# Statements per page at most, whatever the rows (issue 16): public pages 3, personal pages and
# feeds 6. Pages not named here are only held to a count that does not grow.
PUBLIC_PAGES = {"/", "/api/stops", "/stops/{stop}", "/stops/{stop}/agenda.ics"}
PERSONAL_PAGES = {path for who, path in PAGES if who in ("company", "consul")} | {
    "/consul/calendar.ics?token={feed}"
}
NOT_GROWN = {
    "/consul/stops/{stop}",
    "/my/stops/{stop}/meetings",
    "/my/stops/{stop}/meetings.ics",
    "/my/registrations/{registration}",
    "/my/registrations/{registration}/calendar.ics",
    "/consul/stops/{stop}/requests",
    "/consul/stops/{stop}/meetings.ics",
}
BOUNDS = {**dict.fromkeys(PUBLIC_PAGES, 3), **dict.fromkeys(PERSONAL_PAGES, 6)}


def test_listing_pages_read_the_same_number_of_queries_for_two_or_twenty_rows(
    client: TestClient, db_session: Session, roadshow: Roadshow, statements: list[str]
) -> None:
    users = {
        "organiser": roadshow.organiser,
        "company": roadshow.company_user,
        "consul": roadshow.consul_user,
    }

    feed = links.feed_token(roadshow.representative, client.app.state.settings)  # type: ignore[attr-defined]

    def measure() -> dict[str, tuple[int, int]]:
        db_session.commit()
        counts = {}
        for who, path in PAGES:
            client.cookies.clear()
            if who in users:
                sign_in_as(client, users[who])
            url = path.format(stop=roadshow.stop.id, feed=feed, registration=roadshow.registration.id)
            client.get(url)  # caches filled on first use (reference data, templates) stay out
            statements.clear()
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.text[:300]}"
            counts[path] = (len(statements), len(response.content))
            if os.environ.get("SHOWSQL") == path:
                print(path, *statements, sep="\n---\n")
        return counts

    few = measure()
    roadshow.grow(db_session, 18)
    many = measure()
    # The consul's own stop page lists only their meetings, which the growing stop does not add;
    # the pages of one person's registration, meetings and requests are not grown either.
    listing = [p for p in few if p not in NOT_GROWN]
    assert [p for p in listing if many[p][1] <= few[p][1]] == [], "every page should list the new rows"
    grown = {path: (few[path][0], many[path][0]) for path in few if many[path][0] != few[path][0]}
    assert grown == {}, "queries (2 rows, 20 rows) of pages whose count grows with the rows"
    over = {path: many[path][0] for path, bound in BOUNDS.items() if many[path][0] > bound}
    assert over == {}, f"pages reading more statements than their bound {BOUNDS}"
