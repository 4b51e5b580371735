"""What cancelling a registration will do, said on its confirmation page before it is done."""

from sqlmodel import Session

from app.companies import seats
from app.companies.models import SEAT_HOLDING_STATUSES, Company, Registration, RegistrationStatus
from app.i18n import gettext as _


def consequences(registration: Registration, *, organiser: bool, db_session: Session) -> list[str]:
    """One line per person affected; the company itself never learns who is next in line."""
    company = db_session.get(Company, registration.company_id)
    name = company.name if company else ""
    lines: list[str] = []
    if registration.status in SEAT_HOLDING_STATUSES:
        waiting = seats.waiting_list(registration.stop_id, db_session=db_session, limit=1)
        following = db_session.get(Company, waiting[0].company_id) if waiting else None
        if following is None:
            lines.append(_("The seat becomes free for the next company that registers."))
        elif organiser:
            lines.append(
                _("The seat goes to %(company)s, first on the waiting list, who is told by email.")
                % {"company": following.name}
            )
        else:
            lines.append(_("The seat goes to the first company on the waiting list, who is told by email."))
    elif registration.status == RegistrationStatus.WAITLISTED:
        lines.append(_("The place on the waiting list is given up; the companies behind move up."))
    if organiser:
        lines.append(_("%(company)s is told by email.") % {"company": name})
    else:
        lines.append(_("You will receive an email confirming the cancellation."))
    lines.append(_("Cancelling cannot be undone: registering again depends on the seats left."))
    return lines
