"""Inviting representatives to a stop and recording their answer: confirm, decline or delegate."""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from app.audit import service as audit_service
from app.config import Settings
from app.consuls import links
from app.consuls import service as consuls_service
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.consuls.schemas import ConfirmationInput, DelegateInput
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.notifications.service import queue_email
from app.reference.models import Country, Sector
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus
from app.stops.slots import slot_times

ANSWERED = (InvitationStatus.CONFIRMED, InvitationStatus.DECLINED, InvitationStatus.DELEGATED)
AWAITING = (InvitationStatus.INVITED, InvitationStatus.OPENED)
# Who may still confirm once the meeting schedule is published (never confirmed so far).
LATE_CONFIRMABLE = (*AWAITING, InvitationStatus.DECLINED)
SCHEDULE_PUBLISHED = lazy(
    "The meeting schedule of this stop is published: your answer can no longer be changed. "
    "Please write to the organisers if something has changed."
)
WITHDRAWN_LINK = lazy(
    "This link has been withdrawn by the organisers and no longer gives access. "
    "If you still represent your country, please write to the organisers for a new invitation."
)


def message_language(person: Representative) -> str:
    """English unless the representative chose Italian."""
    return "it" if person.preferred_language == "it" else "en"


def email_invited(
    invitation: Invitation,
    person: Representative,
    stop: Stop | None,
    template: str,
    context: dict[str, Any],
    *,
    db_session: Session,
) -> None:
    """An email to an invited representative, in their language, naming them, the stop and the country."""
    queue_email(
        db_session=db_session,
        to=person.email,
        template=template,
        context={
            "name": person.name,
            "stop": stop,
            "country": db_session.get(Country, invitation.country_code),
            **context,
        },
        language=message_language(person),
    )


@dataclass
class InviteResult:
    created: list[Invitation] = field(default_factory=list)
    already_invited: int = 0
    countries_without_representative: list[str] = field(default_factory=list)


@dataclass
class InvitePlan:
    """Who inviting a stop's countries would write to, said before anyone is written to."""

    to_invite: list[tuple[str, Representative]] = field(default_factory=list)
    already_invited: int = 0
    countries_without_representative: list[str] = field(default_factory=list)


def plan_invitations(stop: Stop, *, db_session: Session) -> InvitePlan:
    """The active representatives of the stop's prospect countries not yet invited, by country."""
    plan = InvitePlan()
    codes = db_session.exec(
        select(StopCountry.country_code)
        .where(StopCountry.stop_id == stop.id)
        .order_by(col(StopCountry.position))
    ).all()
    invited = set(
        db_session.exec(select(Invitation.representative_id).where(Invitation.stop_id == stop.id)).all()
    )
    for code in codes:
        people = db_session.exec(
            select(Representative)
            .join(Consulate, col(Consulate.id) == col(Representative.consulate_id))
            .where(Consulate.country_code == code, col(Consulate.active), col(Representative.active))
            .where(col(Representative.delegated_by_id).is_(None))
            .order_by(col(Representative.id))
        ).all()
        if not people:
            plan.countries_without_representative.append(code)
        for person in people:
            if person.id in invited:
                plan.already_invited += 1
            else:
                plan.to_invite.append((code, person))
    return plan


def invite_stop(stop: Stop, *, db_session: Session, actor: User | None, settings: Settings) -> InviteResult:
    """Invite every active representative of the stop's prospect countries, once each."""
    if stop.status == StopStatus.CANCELLED or stop.stop_date < clock.today():
        raise Conflict(lazy("This stop is cancelled or already held: nobody can be invited to it."))
    plan = plan_invitations(stop, db_session=db_session)
    result = InviteResult(
        already_invited=plan.already_invited,
        countries_without_representative=plan.countries_without_representative,
    )
    for code, person in plan.to_invite:
        invitation = Invitation(stop_id=stop.id, representative_id=person.id, country_code=code)  # type: ignore[arg-type]
        db_session.add(invitation)
        db_session.flush()
        send_invitation_email(invitation, db_session=db_session, settings=settings)
        result.created.append(invitation)
    if result.created:
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action="invite",
            entity_type="stop",
            entity_id=stop.id,
            after={"representatives": [i.representative_id for i in result.created]},
        )
    return result


def send_invitation_email(
    invitation: Invitation,
    *,
    db_session: Session,
    settings: Settings,
    template: str = "consuls/emails/invitation",
    delegated_by: Representative | None = None,
) -> None:
    person = consuls_service.get_representative(invitation.representative_id, db_session=db_session)
    stop = db_session.get(Stop, invitation.stop_id)
    context = {
        "person": person,
        "link": links.invitation_url(invitation, person, settings),
        "slots": slot_times(stop) if stop else [],
        "delegated_by": delegated_by,
    }
    email_invited(invitation, person, stop, template, context, db_session=db_session)


def get_by_token(token: str, *, db_session: Session, settings: Settings) -> Invitation:
    """The invitation of a signed link; a revoked link, or one past its stop's date, is refused."""
    claim = links.invitation_claim(token, settings)
    invitation = db_session.get(Invitation, claim.subject_id) if claim is not None else None
    if claim is None or invitation is None:
        raise NotFound(lazy("This invitation link is not valid. Please use the link in your latest email."))
    person = db_session.get(Representative, invitation.representative_id)
    if person is None or not person.active or not claim.is_current_for(person):
        raise Forbidden(WITHDRAWN_LINK)
    stop = db_session.get(Stop, invitation.stop_id)
    if stop is None or stop.stop_date < clock.today():
        raise Forbidden(lazy("This invitation link has expired: the stop has already been held."))
    return invitation


def set_active(
    person: Representative, active: bool, *, db_session: Session, actor: User | None, settings: Settings
) -> Representative:
    """Deactivate or reactivate a representative (``consuls_service.set_representative_active``).

    Their old links stay revoked after a reactivation, so the invitations still ahead of them
    are emailed again, each with a fresh link.
    """
    reactivated = active and not person.active
    consuls_service.set_representative_active(person, active, db_session=db_session, actor=actor)
    if reactivated:
        ahead = db_session.exec(
            select(Invitation)
            .join(Stop, col(Stop.id) == col(Invitation.stop_id))
            .where(Invitation.representative_id == person.id, Invitation.status != InvitationStatus.DELEGATED)
            .where(col(Stop.stop_date) >= clock.today(), Stop.status != StopStatus.CANCELLED)
            .order_by(col(Stop.stop_date), col(Invitation.id))
        ).all()
        for invitation in ahead:
            send_invitation_email(invitation, db_session=db_session, settings=settings)
    return person


def open_invitation(invitation: Invitation, *, db_session: Session) -> User | None:
    """Mark the invitation opened and return the consul account to sign in (created if missing).

    None when the representative's email belongs to another kind of account: the link still
    lets them answer, but it never signs anyone in as an organiser or a company.
    """
    if invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.OPENED
        invitation.opened_at = clock.now()
        db_session.add(invitation)
    person = consuls_service.get_representative(invitation.representative_id, db_session=db_session)
    user = db_session.exec(select(User).where(User.representative_id == person.id)).first()
    if user is None:
        user = accounts_service.get_by_email(person.email, db_session=db_session)
        if user is None:
            user = accounts_service.create(
                person.email,
                role=Role.CONSUL,
                representative_id=person.id,
                language=message_language(person),
                db_session=db_session,
            )
        elif user.role != Role.CONSUL or user.representative_id not in (None, person.id):
            return None
        user.representative_id = person.id
    user.last_login_at = clock.now()
    db_session.add(user)
    db_session.flush()
    return user if user.is_active else None


def can_confirm_late(invitation: Invitation, stop: Stop) -> bool:
    """After publication, who never confirmed may still do so; the organisers then decide."""
    return (
        stop.schedule_status == PublicationStatus.PUBLISHED
        and invitation.status in LATE_CONFIRMABLE
        and stop.status != StopStatus.CANCELLED
    )


def can_change(invitation: Invitation, stop: Stop) -> bool:
    return (
        stop.schedule_status != PublicationStatus.PUBLISHED
        and invitation.status != InvitationStatus.DELEGATED
    )


def _check_can_change(invitation: Invitation, *, db_session: Session, confirming: bool = False) -> Stop:
    stop = db_session.get(Stop, invitation.stop_id)
    if stop is None:
        raise NotFound()
    published = stop.schedule_status == PublicationStatus.PUBLISHED
    if published and not (confirming and can_confirm_late(invitation, stop)):
        raise Conflict(SCHEDULE_PUBLISHED)
    if invitation.status == InvitationStatus.DELEGATED:
        raise Conflict(lazy("You named a delegate for this stop: the answer is now theirs to give."))
    if stop.status == StopStatus.CANCELLED:
        raise Conflict(lazy("This stop has been cancelled."))
    return stop


def confirm(invitation: Invitation, data: ConfirmationInput, *, db_session: Session) -> Invitation:
    stop = _check_can_change(invitation, db_session=db_session, confirming=True)
    late = can_confirm_late(invitation, stop)
    slot_count = len(slot_times(stop))
    errors = Problems()
    slots: set[int] = set()
    for value in data.slots:
        if not value.isdigit() or int(value) >= slot_count:
            errors["slots"] = _("Choose meeting slots among those of this stop.")
            break
        slots.add(int(value))
    max_meetings: int | None = None
    if data.max_meetings.strip():
        text = data.max_meetings.strip()
        if not text.isdigit() or not 1 <= int(text) <= max(slot_count, 1):
            errors["max_meetings"] = _(
                "Enter a number of meetings between 1 and %d, or leave it empty."
            ) % max(slot_count, 1)
        else:
            max_meetings = int(text)
    known_sectors = set(db_session.exec(select(Sector.slug)).all())
    sectors = list(dict.fromkeys(data.sectors))
    if any(slug not in known_sectors for slug in sectors):
        errors["sectors"] = _("Choose sectors from the list.")
    topics = data.topics.strip()
    if len(topics) > 500:
        errors["topics"] = _("Use at most %d characters.") % 500
    errors.check()
    invitation.status = InvitationStatus.CONFIRMED
    invitation.available_slots = None if len(slots) == slot_count else sorted(slots)
    invitation.max_meetings = max_meetings
    invitation.sector_interests = sectors
    invitation.topics = topics
    invitation.decline_reason = ""
    if late:
        invitation.confirmed_late_at = clock.now()
    return _answered(invitation, db_session=db_session)


def decline(invitation: Invitation, reason: str, *, db_session: Session) -> Invitation:
    _check_can_change(invitation, db_session=db_session)
    reason = reason.strip()
    if len(reason) > 500:
        raise InvalidInput({"reason": _("Use at most %d characters.") % 500})
    invitation.status = InvitationStatus.DECLINED
    invitation.decline_reason = reason
    invitation.available_slots = None
    invitation.max_meetings = None
    return _answered(invitation, db_session=db_session)


def delegate(
    invitation: Invitation, data: DelegateInput, *, db_session: Session, settings: Settings
) -> Invitation:
    """Hand the invitation to someone else, who gets an invitation and a link of their own."""
    _check_can_change(invitation, db_session=db_session)
    original = consuls_service.get_representative(invitation.representative_id, db_session=db_session)
    errors = Problems()
    name, title = data.name.strip(), data.title.strip()
    if not name:
        errors["delegate_name"] = _("Enter your delegate's name.")
    elif len(name) > 120:
        errors["delegate_name"] = _("Use at most %d characters.") % 120
    if len(title) > 120:
        errors["delegate_title"] = _("Use at most %d characters.") % 120
    email = ""
    try:
        email = accounts_service.normalise_email(data.email)
    except InvalidInput as exc:
        errors["delegate_email"] = exc.errors["email"]
    language = data.preferred_language if data.preferred_language in consuls_service.MESSAGE_LANGUAGES else ""
    if not language:
        errors["delegate_language"] = _("Choose English (en) or Italian (it).")
    person = consuls_service.get_representative_by_email(email, db_session=db_session) if email else None
    if email and email == original.email:
        errors["delegate_email"] = _("Name someone other than yourself.")
    elif person is not None and _invitation_of(person, invitation.stop_id, db_session=db_session):
        errors["delegate_email"] = _("This person is already invited to this stop.")
    errors.check()
    if person is None:
        person = Representative(
            consulate_id=original.consulate_id,
            name=name,
            title=title,
            email=email,
            languages=[language],
            preferred_language=language,
            delegated_by_id=original.id,
        )
        db_session.add(person)
        db_session.flush()
    delegated = Invitation(
        stop_id=invitation.stop_id,
        representative_id=person.id,  # type: ignore[arg-type]
        country_code=invitation.country_code,
    )
    db_session.add(delegated)
    db_session.flush()
    invitation.status = InvitationStatus.DELEGATED
    invitation.delegate_invitation_id = delegated.id
    _answered(invitation, db_session=db_session)
    send_invitation_email(delegated, db_session=db_session, settings=settings, delegated_by=original)
    return delegated


def _invitation_of(person: Representative, stop_id: int, *, db_session: Session) -> Invitation | None:
    return db_session.exec(
        select(Invitation).where(Invitation.stop_id == stop_id, Invitation.representative_id == person.id)
    ).first()


def _answered(invitation: Invitation, *, db_session: Session) -> Invitation:
    invitation.answered_at = clock.now()
    db_session.add(invitation)
    db_session.flush()
    return invitation
