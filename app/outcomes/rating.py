"""Answers about meetings from their parties, through the signed links of ``outcomes.links``.

A link opens the page of one party's meetings at one stop and stage; each meeting has its own
form. Answering a meeting again replaces the earlier answer. A meeting the link does not cover
is not found, whoever's it is.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.credentials import Holder
from app.accounts.models import Role, User
from app.companies.models import Company, Registration
from app.config import Settings
from app.consuls.models import Invitation, Representative
from app.errors import NotFound
from app.forms import FormModel, Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching.models import Meeting
from app.matching.publishing import AgendaEntry, entries
from app.outcomes import asking, links
from app.outcomes.links import LinkGone
from app.outcomes.models import FollowUpOutcome, Interest, MeetingRating, Party, RatingStage
from app.stops.models import Stop

COMMENT_LIMIT = 1000
NOT_YOURS = lazy("This meeting is not among the meetings of your link.")


def took_place_label(took_place: bool) -> str:
    return _("Yes, it took place") if took_place else _("No, it did not take place")


class RatingForm(FormModel):
    took_place: str = ""
    interest: str = ""
    outcome: str = ""
    comment: str = ""


def company_holder(company: Company, *, db_session: Session) -> User | None:
    """The company's sign-in account, whose credential version its links carry."""
    user = accounts_service.get_by_email(company.contact_email, db_session=db_session)
    if user is not None and user.role == Role.COMPANY and user.company_id == company.id:
        return user
    return None


@dataclass
class Access:
    """What a valid link opens: one party's meetings at one stop, at one stage."""

    stage: RatingStage
    party: Party
    stop: Stop
    name: str
    language: str
    meetings: list[AgendaEntry]
    answers: dict[int, MeetingRating] = field(default_factory=dict)
    closes_on: date | None = None

    def entry(self, meeting_id: int) -> AgendaEntry:
        found = next((e for e in self.meetings if e.meeting_id == meeting_id), None)
        if found is None:
            raise NotFound(NOT_YOURS)
        return found


def _subject(
    party: Party, subject_id: int, *, db_session: Session
) -> tuple[Stop, Holder | None, str, str, dict[str, int]] | None:
    if party == Party.COMPANY:
        registration = db_session.get(Registration, subject_id)
        company = db_session.get(Company, registration.company_id) if registration else None
        if registration is None or company is None or company.erased_at is not None:
            return None
        stop = db_session.get(Stop, registration.stop_id)
        holder: Holder | None = company_holder(company, db_session=db_session)
        name, language = company.contact_name or company.name, company.language
        owner = {"registration_id": subject_id}
    else:
        invitation = db_session.get(Invitation, subject_id)
        person = db_session.get(Representative, invitation.representative_id) if invitation else None
        if invitation is None or person is None:
            return None
        stop = db_session.get(Stop, invitation.stop_id)
        holder = person if person.active else None
        name, language = person.name, person.preferred_language
        owner = {"invitation_id": subject_id}
    if stop is None:
        return None
    return stop, holder, name, language, owner


def asked(meeting: Meeting, stage: RatingStage) -> bool:
    moment = meeting.rating_asked_at if stage == RatingStage.AFTER_STOP else meeting.follow_up_asked_at
    return moment is not None


def open_link(
    stage_path: str, party_value: str, token: str, *, settings: Settings, db_session: Session
) -> Access:
    """The meetings a link covers; a garbled link is not found, a withdrawn or old one is gone."""
    stage = links.stage_of(stage_path)
    party = Party(party_value) if party_value in {p.value for p in Party} else None
    claim = links.claim(stage, party, token, settings) if stage and party else None
    subject = _subject(party, claim.subject_id, db_session=db_session) if party and claim else None
    if stage is None or party is None or claim is None or subject is None:
        raise NotFound(links.GARBLED)
    stop, holder, name, language, owner = subject
    if holder is None or not claim.is_current_for(holder):
        raise LinkGone(links.WITHDRAWN)
    closes_on = links.closes_on(stage, stop.stop_date, settings)
    if clock.today() > closes_on:
        raise LinkGone(links.EXPIRED)
    info = stop_data.load(stop, db_session=db_session)
    by_id = {m.id: m for m in info.meetings.values()}
    held = asking.held_meetings(info, db_session=db_session)
    mine = [e for e in entries(info, **owner) if asked(by_id[e.meeting_id], stage) and e.meeting_id in held]
    if stage == RatingStage.FOLLOW_UP:
        said_not = asking.said_not_held([e.meeting_id for e in mine], db_session=db_session)
        mine = [e for e in mine if (e.meeting_id, party) not in said_not]
    meetings = mine
    answers = {
        answer.meeting_id: answer
        for answer in db_session.exec(
            select(MeetingRating).where(
                col(MeetingRating.meeting_id).in_([e.meeting_id for e in meetings]),
                MeetingRating.party == party,
                MeetingRating.stage == stage,
            )
        )
    }
    return Access(stage, party, stop, name, language, meetings, answers, closes_on)


def _checked(access: Access, form: RatingForm) -> dict[str, object]:
    problems = Problems()
    values: dict[str, object] = {"comment": form.comment.strip()}
    if len(values["comment"]) > COMMENT_LIMIT:  # type: ignore[arg-type]
        problems.add(
            "comment", _("Please keep the comment within %(limit)d characters.") % {"limit": COMMENT_LIMIT}
        )
    if access.stage == RatingStage.AFTER_STOP:
        if form.took_place not in ("yes", "no"):
            problems.add("took_place", _("Say whether the meeting took place."))
        took_place = form.took_place == "yes"
        values["took_place"] = took_place
        if took_place and form.interest not in {i.value for i in Interest}:
            problems.add("interest", _("Say how the meeting went."))
        values["interest"] = Interest(form.interest) if took_place and not problems.get("interest") else None
    else:
        if form.outcome not in {o.value for o in FollowUpOutcome}:
            problems.add("outcome", _("Say where the contact stands now."))
        values["outcome"] = FollowUpOutcome(form.outcome) if not problems.get("outcome") else None
    problems.check()
    return values


def _fill(rating: MeetingRating, values: dict[str, object]) -> MeetingRating:
    rating.took_place = values.get("took_place")  # type: ignore[assignment]
    rating.interest = values.get("interest")  # type: ignore[assignment]
    rating.outcome = values.get("outcome")  # type: ignore[assignment]
    rating.comment = str(values["comment"])
    rating.answered_at = clock.now()
    return rating


def answer(access: Access, meeting_id: int, form: RatingForm, *, db_session: Session) -> MeetingRating:
    """Store the party's answer about one of its meetings, replacing an earlier one."""
    access.entry(meeting_id)
    values = _checked(access, form)
    existing = access.answers.get(meeting_id)
    if existing is None:
        rating = _fill(MeetingRating(meeting_id=meeting_id, party=access.party, stage=access.stage), values)
        try:
            # Two answers sent at once (a double click): the second finds the first and replaces it.
            with db_session.begin_nested():
                db_session.add(rating)
            return rating
        except IntegrityError:
            existing = db_session.exec(
                select(MeetingRating).where(
                    MeetingRating.meeting_id == meeting_id,
                    MeetingRating.party == access.party,
                    MeetingRating.stage == access.stage,
                )
            ).one()
    db_session.add(_fill(existing, values))
    db_session.flush()
    return existing
