"""Asking each party of a stop's meetings what came of them: the day after, and months later.

Two periodic jobs of ``roadshow worker``. The day after a stop, every company and every
representative with a meeting there gets one email with one link to a page listing their
meetings to rate. ``outcome_follow_up_days`` after the stop (182: about six months) they are
asked again where each meeting led. Each meeting remembers when its parties were asked, so that
each email is sent once however often the jobs run, and by however many workers (the meetings
are locked while they are asked about).

Meetings that did not take place (marked so, or whose company did not check in) are not
asked about; at the follow-up neither are those a party said did not take place. Stops held
more than ``ASK_WITHIN_DAYS`` before a stage fell due are left alone: a new installation
does not email about last year.
"""

from collections import defaultdict
from datetime import timedelta

from sqlmodel import Session, col, select

from app import clock
from app.companies.profiles import ensure_company_user
from app.config import Settings, get_settings
from app.matching import data as stop_data
from app.matching.data import StopData
from app.matching.models import Meeting, MeetingAttendance
from app.matching.publishing import AgendaEntry, entries
from app.notifications.service import queue_email
from app.notifications.worker import register_periodic_job
from app.outcomes import attendance, links
from app.outcomes.models import MeetingRating, Party, RatingStage
from app.stops.models import PublicationStatus, Stop, StopStatus

ASK_EVERY = timedelta(hours=1)
ASK_WITHIN_DAYS = 30
TEMPLATES = {
    RatingStage.AFTER_STOP: "outcomes/emails/rate_meetings",
    RatingStage.FOLLOW_UP: "outcomes/emails/follow_up",
}


def _due_stops(stage: RatingStage, settings: Settings, *, db_session: Session) -> list[Stop]:
    delay = 1 if stage == RatingStage.AFTER_STOP else settings.outcome_follow_up_days
    latest = clock.today() - timedelta(days=delay)
    asked_at = Meeting.rating_asked_at if stage == RatingStage.AFTER_STOP else Meeting.follow_up_asked_at
    unasked = select(Meeting.stop_id).where(col(asked_at).is_(None))
    return list(
        db_session.exec(
            select(Stop)
            .where(
                col(Stop.stop_date) <= latest, col(Stop.stop_date) > latest - timedelta(days=ASK_WITHIN_DAYS)
            )
            .where(Stop.status != StopStatus.CANCELLED, Stop.schedule_status == PublicationStatus.PUBLISHED)
            .where(col(Stop.id).in_(unasked))
            .order_by(col(Stop.stop_date), col(Stop.id))
        ).all()
    )


def held_meetings(info: StopData, *, db_session: Session) -> set[int]:
    """Ids of the stop's meetings that count as held."""
    present = attendance.checked_in_registrations([info.stop.id or 0], db_session=db_session)
    held = set()
    for request in info.requests:
        meeting = info.meetings.get(request.id or 0)
        if meeting is None:
            continue
        value = attendance.effective(
            meeting.attendance,
            company_checked_in=request.registration_id in present,
            checkin_used=bool(present),
            representative_attended=info.invitations[request.invitation_id].attended,
        )
        if value == MeetingAttendance.HELD:
            held.add(meeting.id or 0)
    return held


def said_not_held(meeting_ids: list[int], *, db_session: Session) -> set[tuple[int, Party]]:
    rows = db_session.exec(
        select(MeetingRating.meeting_id, MeetingRating.party).where(
            col(MeetingRating.meeting_id).in_(meeting_ids),
            MeetingRating.stage == RatingStage.AFTER_STOP,
            MeetingRating.took_place == False,  # noqa: E712 (SQL comparison)
        )
    )
    return {(meeting_id, Party(party)) for meeting_id, party in rows}


def ask_stop(stop: Stop, stage: RatingStage, *, settings: Settings, db_session: Session) -> int:
    """Email each party about the stop's meetings not yet asked about at ``stage``; emails queued."""
    asked_at = Meeting.rating_asked_at if stage == RatingStage.AFTER_STOP else Meeting.follow_up_asked_at
    locked = db_session.exec(
        select(Meeting)
        .where(Meeting.stop_id == stop.id, col(asked_at).is_(None))
        .with_for_update(skip_locked=True)
    ).all()
    if not locked:
        return 0
    info = stop_data.load(stop, db_session=db_session)
    held = held_meetings(info, db_session=db_session)
    fresh = {m.id or 0 for m in locked}
    said_not = said_not_held(list(fresh), db_session=db_session) if stage == RatingStage.FOLLOW_UP else set()
    now = clock.now()
    for meeting in locked:
        if stage == RatingStage.AFTER_STOP:
            meeting.rating_asked_at = now
        else:
            meeting.follow_up_asked_at = now
        db_session.add(meeting)
    db_session.flush()

    def to_ask(found: list[AgendaEntry], party: Party) -> list[AgendaEntry]:
        return [
            e
            for e in found
            if e.meeting_id in fresh and e.meeting_id in held and (e.meeting_id, party) not in said_not
        ]

    queued = 0
    by_registration: dict[int, list[AgendaEntry]] = defaultdict(list)
    by_invitation: dict[int, list[AgendaEntry]] = defaultdict(list)
    for entry in entries(info):
        by_registration[entry.request.registration_id].append(entry)
        by_invitation[entry.request.invitation_id].append(entry)
    for registration_id, found in sorted(by_registration.items()):
        meetings = to_ask(found, Party.COMPANY)
        registration = info.registrations[registration_id]
        company = info.companies[registration.company_id]
        holder = (
            ensure_company_user(company, db_session=db_session)
            if meetings and company.erased_at is None
            else None
        )
        if holder is None:
            continue
        link = links.url(stage, Party.COMPANY, registration_id, holder, settings)
        queued += _queue(
            stage,
            company.contact_email,
            company.contact_name or company.name,
            company.language,
            stop,
            meetings,
            link,
            True,
            db_session,
        )
    for invitation_id, found in sorted(by_invitation.items()):
        meetings = to_ask(found, Party.REPRESENTATIVE)
        person = info.representative_of(info.invitations[invitation_id])
        if not meetings or not person.active:
            continue
        link = links.url(stage, Party.REPRESENTATIVE, invitation_id, person, settings)
        queued += _queue(
            stage,
            person.email,
            person.name,
            person.preferred_language,
            stop,
            meetings,
            link,
            False,
            db_session,
        )
    return queued


def _queue(
    stage: RatingStage,
    to: str,
    name: str,
    language: str,
    stop: Stop,
    meetings: list[AgendaEntry],
    link: str,
    for_company: bool,
    db_session: Session,
) -> int:
    queue_email(
        db_session=db_session,
        to=to,
        template=TEMPLATES[stage],
        context={"stop": stop, "name": name, "entries": meetings, "link": link, "for_company": for_company},
        language=language,
    )
    return 1


def _ask_due(stage: RatingStage, *, db_session: Session, settings: Settings | None) -> int:
    settings = settings or get_settings()
    return sum(
        ask_stop(stop, stage, settings=settings, db_session=db_session)
        for stop in _due_stops(stage, settings, db_session=db_session)
    )


@register_periodic_job("outcomes.ask-for-ratings", every=ASK_EVERY)
def ask_for_ratings(*, db_session: Session, settings: Settings | None = None) -> int:
    """The day after a stop: each party rates its meetings. Returns the emails queued."""
    return _ask_due(RatingStage.AFTER_STOP, db_session=db_session, settings=settings)


@register_periodic_job("outcomes.ask-for-follow-ups", every=ASK_EVERY)
def ask_for_follow_ups(*, db_session: Session, settings: Settings | None = None) -> int:
    """``outcome_follow_up_days`` after a stop: where did each meeting lead? Returns the emails queued."""
    return _ask_due(RatingStage.FOLLOW_UP, db_session=db_session, settings=settings)
