"""A small stop lived through, for the outcome tests: three meetings, two companies, two consuls."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from app import clock
from app.companies.models import Company, Registration
from app.consuls.models import Invitation
from app.matching.models import Meeting
from app.stops.models import PublicationStatus, Stop
from tests.factories import (
    create_company,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_stop,
    outbox,
)

LINK = re.compile(r"https?://\S+/outcomes/\S+")


@dataclass
class Day:
    stop: Stop
    alfa: Company
    beta: Company
    alfa_registration: Registration
    beta_registration: Registration
    us: Invitation
    de: Invitation
    alfa_us: Meeting
    alfa_de: Meeting
    beta_us: Meeting


def at(moment: datetime) -> None:
    clock.set_source(lambda: moment)


def on(day: date, hour: int = 10) -> None:
    at(datetime.combine(day, time(hour), tzinfo=UTC))


def held_stop(db_session: Session, *, stop_date: date = date(2027, 5, 12), **overrides: object) -> Day:
    stop = create_stop(
        db_session,
        stop_date=stop_date,
        b2b_slots=4,
        b2b_tables=2,
        schedule_status=PublicationStatus.PUBLISHED,
        **overrides,
    )
    alfa = create_company(db_session, name="Alfa S.r.l.", language="it", sectors=["aerospace"])
    beta = create_company(db_session, name="Beta S.p.A.", language="en", sectors=["aerospace"])
    alfa_registration = create_registration(db_session, stop, alfa, status="confirmed", attendees=("Anna",))
    beta_registration = create_registration(db_session, stop, beta, status="confirmed", attendees=("Bea",))
    us = create_invitation(db_session, stop, country="US", status="confirmed", language="en")
    de = create_invitation(db_session, stop, country="DE", status="confirmed", language="it")
    alfa_us = create_meeting(
        db_session, create_meeting_request(db_session, alfa_registration, us), slot_index=0
    )
    alfa_de = create_meeting(
        db_session, create_meeting_request(db_session, alfa_registration, de), slot_index=1, table_number=2
    )
    beta_us = create_meeting(
        db_session, create_meeting_request(db_session, beta_registration, us), slot_index=1
    )
    db_session.commit()
    return Day(stop, alfa, beta, alfa_registration, beta_registration, us, de, alfa_us, alfa_de, beta_us)


def link_to(db_session: Session, address: str, template: str) -> str:
    """The rating link of the last email of ``template`` to ``address``, as a path."""
    [message, *_] = [m for m in reversed(outbox(db_session, to=address)) if m.template == template]
    [url] = LINK.findall(message.body_text)
    return "/" + url.split("/", 3)[3]
