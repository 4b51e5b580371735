"""The organisers' home: upcoming stops at a glance and what needs attention.

Everything is read with a fixed number of queries, however many stops there are.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Registration, RegistrationStatus
from app.config import get_settings
from app.consuls import follow_up
from app.consuls.models import Invitation, InvitationStatus, Representative
from app.reference.models import Country
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop, StopStatus
from app.stops.service import StopView

ACTIVE_STATUSES = (StopStatus.DRAFT, StopStatus.PUBLISHED, StopStatus.CLOSED)
ANNOUNCED = (StopStatus.PUBLISHED, StopStatus.CLOSED)
UNANSWERED = (InvitationStatus.INVITED, InvitationStatus.OPENED)
OPENING_WITHIN = timedelta(days=7)
AGENDA_READY_DAYS = 7


@dataclass
class CountryConsuls:
    country: Country
    confirmed: int
    waiting: int


@dataclass
class StopRow:
    view: StopView
    waitlist: int
    consuls: list[CountryConsuls] = field(default_factory=list)

    @property
    def fill_rate(self) -> int | None:
        """Seats held (confirmed or pending) as a percentage of capacity."""
        capacity = self.view.stop.capacity
        return round(100 * self.view.seats_taken / capacity) if capacity else None

    @property
    def days_left(self) -> int:
        return (self.view.stop.stop_date - clock.today()).days


@dataclass
class Attention:
    """Something to fix: ``kind`` tells the template how to say it, ``link`` where to fix it."""

    kind: str
    stop: Stop
    link: str
    when: date | datetime | None = None
    country: Country | None = None
    person: str = ""
    count: int = 0


@dataclass
class Dashboard:
    rows: list[StopRow]
    attention: list[Attention]


def build(*, db_session: Session) -> Dashboard:
    today, now = clock.today(), clock.now()
    settings = get_settings()
    stops = list(
        db_session.exec(
            select(Stop)
            .where(col(Stop.status).in_(ACTIVE_STATUSES))
            .where(Stop.stop_date >= today)
            .order_by(col(Stop.stop_date), col(Stop.id))
        )
    )
    views = stops_service.build_views(stops, db_session=db_session)
    ids = [stop.id for stop in stops if stop.id is not None]
    waitlists: dict[int, int] = (
        dict(
            db_session.exec(
                select(Registration.stop_id, func.count())
                .where(col(Registration.stop_id).in_(ids))
                .where(Registration.status == RegistrationStatus.WAITLISTED)
                .group_by(col(Registration.stop_id))
            ).all()
        )
        if ids
        else {}
    )
    invitations = (
        list(
            db_session.exec(
                select(Invitation, Representative.name)
                .join(Representative, col(Representative.id) == col(Invitation.representative_id))
                .where(col(Invitation.stop_id).in_(ids))
                .order_by(col(Invitation.invited_at))
            ).all()
        )
        if ids
        else []
    )
    confirmed: Counter[tuple[int, str]] = Counter()
    waiting: Counter[tuple[int, str]] = Counter()
    unanswered: dict[int, list[tuple[Invitation, str]]] = defaultdict(list)
    for invitation, name in invitations:
        key = (invitation.stop_id, invitation.country_code)
        if invitation.status == InvitationStatus.CONFIRMED:
            confirmed[key] += 1
        elif invitation.status in UNANSWERED:
            waiting[key] += 1
            # Unanswered for as long as the reminders wait: the consuls' page shows it as "no answer".
            if follow_up.column_of(invitation, settings=settings) == follow_up.NO_ANSWER:
                unanswered[invitation.stop_id].append((invitation, name))
    missing = {
        item.stop.id: item.countries
        for item in follow_up.stops_missing_confirmed_consuls(db_session=db_session)
    }
    late = follow_up.late_confirmations(ids, db_session=db_session)
    rows = []
    attention: list[Attention] = []
    for view in views:
        stop = view.stop
        stop_id = stop.id or 0
        row = StopRow(view=view, waitlist=waitlists.get(stop_id, 0))
        row.consuls = [
            CountryConsuls(c, confirmed[(stop_id, c.code)], waiting[(stop_id, c.code)])
            for c in view.countries
        ]
        rows.append(row)
        attention += _needs(row, unanswered.get(stop_id, []), missing.get(stop_id, []), now=now)
        if late.get(stop_id):
            names = late[stop_id]
            link = f"/manage/stops/{stop_id}/consuls"
            attention.append(Attention("late", stop, link, count=len(names), person=", ".join(names)))
    attention.sort(key=lambda item: (item.stop.stop_date, item.kind))
    return Dashboard(rows=rows, attention=attention)


def _needs(
    row: StopRow,
    unanswered: list[tuple[Invitation, str]],
    missing_consuls: list[Country],
    *,
    now: datetime,
) -> list[Attention]:
    """What to fix at one stop, each linked to the page where it is fixed."""
    stop = row.view.stop
    base = f"/manage/stops/{stop.id}"
    items = []
    opens = stop.registration_opens_at
    if opens is not None and now <= opens < now + OPENING_WITHIN:
        items.append(Attention("opening", stop, base, when=opens))
    for invitation, name in unanswered:
        country = next((c for c in row.view.countries if c.code == invitation.country_code), None)
        items.append(
            Attention(
                "unanswered",
                stop,
                f"{base}/consuls",
                when=invitation.invited_at,
                country=country,
                person=name,
            )
        )
    if row.waitlist:
        items.append(Attention("waitlist", stop, f"{base}/registrations", count=row.waitlist))
    agenda_late = row.days_left <= AGENDA_READY_DAYS and stop.agenda_status != PublicationStatus.PUBLISHED
    if stop.status in ANNOUNCED and agenda_late:
        items.append(Attention("agenda", stop, f"{base}/agenda", when=stop.stop_date))
    for country in missing_consuls:
        items.append(Attention("consul", stop, f"{base}/consuls", when=stop.stop_date, country=country))
    return items
