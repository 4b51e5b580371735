"""Following invitations up: the organisers' matrix, reminders, missing countries, attendance."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from sqlmodel import Session, col, func, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit_service
from app.config import Settings, get_settings
from app.consuls.invitations import AWAITING, send_invitation_email
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.errors import Conflict
from app.i18n import lazy, lazy_p
from app.matching.models import ScheduleRun
from app.notifications.worker import register_periodic_job
from app.reference.models import Country
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus

# The matrix's columns. "No answer" holds invitations still unanswered after the reminder
# period, so that each invitation sits in exactly one column.
NO_ANSWER = "no_answer"
MATRIX_COLUMNS = (
    (InvitationStatus.INVITED.value, lazy_p("invitations", "Invited")),
    (InvitationStatus.OPENED.value, lazy_p("invitations", "Opened")),
    (InvitationStatus.CONFIRMED.value, lazy_p("invitations", "Confirmed")),
    (InvitationStatus.DECLINED.value, lazy_p("invitations", "Declined")),
    (InvitationStatus.DELEGATED.value, lazy_p("invitations", "Delegated")),
    (NO_ANSWER, lazy_p("invitations", "No answer")),
)
MISSING_CONSULS_WINDOW_DAYS = 14
# Reminders are due after days; looking every hour sends them on the day they fall due.
REMINDERS_EVERY = timedelta(hours=1)


@dataclass
class InvitationLine:
    invitation: Invitation
    person: Representative


@dataclass
class CountryRow:
    country: Country
    cells: dict[str, list[InvitationLine]] = field(default_factory=dict)
    has_representative: bool = True

    @property
    def lines(self) -> list[InvitationLine]:
        return [line for cell in self.cells.values() for line in cell]

    @property
    def confirmed(self) -> bool:
        return bool(self.cells.get(InvitationStatus.CONFIRMED.value))


def column_of(invitation: Invitation, *, settings: Settings) -> str:
    if invitation.status in AWAITING:
        cutoff = clock.now() - timedelta(days=settings.invitation_reminder_days)
        if invitation.invited_at <= cutoff:
            return NO_ANSWER
    return str(invitation.status)


def matrix(stop: Stop, *, db_session: Session, settings: Settings) -> list[CountryRow]:
    """One row per prospect country of the stop, its invitations sorted into the columns."""
    links = db_session.exec(
        select(StopCountry, Country)
        .join(Country, col(Country.code) == col(StopCountry.country_code))
        .where(StopCountry.stop_id == stop.id)
        .order_by(col(StopCountry.position))
    ).all()
    rows = {country.code: CountryRow(country, {key: [] for key, _ in MATRIX_COLUMNS}) for _, country in links}
    invitations = db_session.exec(
        select(Invitation, Representative)
        .join(Representative, col(Representative.id) == col(Invitation.representative_id))
        .where(Invitation.stop_id == stop.id)
        .order_by(col(Invitation.id))
    ).all()
    for invitation, person in invitations:
        row = rows.get(invitation.country_code)
        if row is not None:
            row.cells[column_of(invitation, settings=settings)].append(InvitationLine(invitation, person))
    staffed = set(
        db_session.exec(
            select(Consulate.country_code)
            .join(Representative, col(Representative.consulate_id) == col(Consulate.id))
            .where(col(Consulate.active), col(Representative.active))
        ).all()
    )
    for code, row in rows.items():
        row.has_representative = code in staffed
    return list(rows.values())


@register_periodic_job("consuls.invitation-reminders", every=REMINDERS_EVERY)
def send_due_reminders(*, db_session: Session, settings: Settings | None = None) -> int:
    """Remind representatives who have not answered for the set number of days; at most one
    reminder per that period. Returns how many reminders were queued."""
    settings = settings or get_settings()
    now = clock.now()
    cutoff = now - timedelta(days=settings.invitation_reminder_days)
    candidates = db_session.exec(
        select(Invitation)
        .join(Stop, col(Stop.id) == col(Invitation.stop_id))
        .join(Representative, col(Representative.id) == col(Invitation.representative_id))
        .where(col(Invitation.status).in_(AWAITING))
        .where(col(Stop.stop_date) >= clock.today(), Stop.status != StopStatus.CANCELLED)
        .where(Stop.schedule_status != PublicationStatus.PUBLISHED)
        .where(col(Representative.active))
        .order_by(col(Invitation.id))
    ).all()
    sent = 0
    for invitation in candidates:
        last_contact = invitation.last_reminder_at or invitation.invited_at
        if last_contact > cutoff:
            continue
        send_invitation_email(
            invitation, db_session=db_session, settings=settings, template="consuls/emails/reminder"
        )
        invitation.last_reminder_at = now
        db_session.add(invitation)
        sent += 1
    db_session.flush()
    return sent


@dataclass
class MissingConsuls:
    stop: Stop
    countries: list[Country]


def stops_missing_confirmed_consuls(*, db_session: Session) -> list[MissingConsuls]:
    """Upcoming stops within 14 days of their date with a prospect country that has no
    confirmed representative yet, soonest first; three queries, however many stops."""
    today = clock.today()
    stops = db_session.exec(
        select(Stop)
        .where(col(Stop.stop_date) >= today)
        .where(col(Stop.stop_date) <= today + timedelta(days=MISSING_CONSULS_WINDOW_DAYS))
        .where(col(Stop.status).in_((StopStatus.PUBLISHED, StopStatus.CLOSED)))
        .order_by(col(Stop.stop_date), col(Stop.id))
    ).all()
    ids = [stop.id for stop in stops]
    if not ids:
        return []
    confirmed = set(
        db_session.exec(
            select(Invitation.stop_id, Invitation.country_code)
            .where(col(Invitation.stop_id).in_(ids))
            .where(Invitation.status == InvitationStatus.CONFIRMED)
        ).all()
    )
    featured = db_session.exec(
        select(StopCountry.stop_id, Country)
        .join(Country, col(Country.code) == col(StopCountry.country_code))
        .where(col(StopCountry.stop_id).in_(ids))
        .order_by(col(StopCountry.stop_id), col(StopCountry.position))
    ).all()
    missing: dict[int, list[Country]] = defaultdict(list)
    for stop_id, country in featured:
        if (stop_id, country.code) not in confirmed:
            missing[stop_id].append(country)
    return [MissingConsuls(stop, missing[stop.id]) for stop in stops if stop.id in missing]


def missing_countries(stop: Stop, *, db_session: Session) -> list[Country]:
    confirmed = select(Invitation.country_code).where(
        Invitation.stop_id == stop.id, Invitation.status == InvitationStatus.CONFIRMED
    )
    return list(
        db_session.exec(
            select(Country)
            .join(StopCountry, col(StopCountry.country_code) == col(Country.code))
            .where(StopCountry.stop_id == stop.id)
            .where(col(Country.code).not_in(confirmed))
            .order_by(col(StopCountry.position))
        ).all()
    )


def within_missing_window(stop: Stop) -> bool:
    today = clock.today()
    return today <= stop.stop_date <= today + timedelta(days=MISSING_CONSULS_WINDOW_DAYS)


def attendance_open(stop: Stop) -> bool:
    """Attendance is marked from the day of the stop onward."""
    return clock.today() >= stop.stop_date


def mark_attendance(stop: Stop, attended_ids: set[int], *, db_session: Session, actor: User | None) -> int:
    """Record who came among the confirmed representatives; returns how many attended."""
    if not attendance_open(stop):
        raise Conflict(lazy("Attendance can be marked from the day of the stop."))
    invitations = db_session.exec(
        select(Invitation).where(
            Invitation.stop_id == stop.id, Invitation.status == InvitationStatus.CONFIRMED
        )
    ).all()
    before = {str(i.id): i.attended for i in invitations}
    for invitation in invitations:
        invitation.attended = invitation.id in attended_ids
        db_session.add(invitation)
    db_session.flush()
    audit_service.record_change(
        db_session=db_session,
        actor=actor,
        action="attendance",
        entity_type="stop",
        entity_id=stop.id,
        before=before,
        after={str(i.id): i.attended for i in invitations},
    )
    return sum(1 for i in invitations if i.attended)


def late_confirmations(stop_ids: list[int], *, db_session: Session) -> dict[int, list[str]]:
    """Per stop, who confirmed after the meeting schedule was published and has not been through
    a scheduler run since (the organisers decide whether to run it around the published meetings);
    two queries, however many stops."""
    if not stop_ids:
        return {}
    last_runs = dict(
        db_session.exec(
            select(ScheduleRun.stop_id, func.max(ScheduleRun.created_at))
            .where(col(ScheduleRun.stop_id).in_(stop_ids))
            .group_by(col(ScheduleRun.stop_id))
        ).all()
    )
    rows = db_session.exec(
        select(Invitation, Representative.name)
        .join(Representative, col(Representative.id) == col(Invitation.representative_id))
        .where(col(Invitation.stop_id).in_(stop_ids), Invitation.status == InvitationStatus.CONFIRMED)
        .where(col(Invitation.confirmed_late_at).is_not(None))
        .order_by(col(Invitation.confirmed_late_at))
    ).all()
    late: dict[int, list[str]] = defaultdict(list)
    for invitation, name in rows:
        last_run = last_runs.get(invitation.stop_id)
        assert invitation.confirmed_late_at is not None
        # max() keeps the column's type, but SQLite may hand back a naive UTC time.
        if last_run is not None and last_run.tzinfo is None:
            last_run = last_run.replace(tzinfo=UTC)
        if last_run is None or last_run < invitation.confirmed_late_at:
            late[invitation.stop_id].append(name)
    return dict(late)
