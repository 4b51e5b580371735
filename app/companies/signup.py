"""Registering from a stop's page: the company's profile and its registration in one step.

A company signed in updates its own profile. A visitor registering a company we already
know (by VAT number) does not change its profile, and the confirmation link goes to the
contact on file: knowing a VAT number must not let anyone take a company over.
"""

from sqlmodel import Session

from app.accounts.models import Role, User
from app.companies import profiles, registrations
from app.companies.models import Company, Registration
from app.companies.profiles import CompanyData
from app.companies.registrations import RegistrationData
from app.errors import InvalidInput, NotFound
from app.forms import Problems
from app.i18n import current_language, lazy
from app.i18n import gettext as _
from app.stops.models import Stop


def company_of(user: User | None, *, db_session: Session) -> Company | None:
    if user is None or user.role != Role.COMPANY or user.company_id is None:
        return None
    company = profiles.get(user.company_id, db_session=db_session)
    return company if company is not None and company.erased_at is None else None


def sign_up(
    stop_id: int,
    company_data: CompanyData,
    details: RegistrationData,
    *,
    db_session: Session,
    user: User | None,
) -> Registration:
    stop = db_session.get(Stop, stop_id)
    if stop is None:
        raise NotFound(lazy("This stop does not exist or is not published."))
    errors = Problems()
    clean = None
    try:
        clean = profiles.validate(company_data, db_session=db_session)
    except InvalidInput as exc:
        errors |= exc.errors
    try:
        registrations.check_details(details, stop, db_session=db_session)
    except InvalidInput as exc:
        errors |= exc.errors
    if not details.privacy_accepted and not registrations.is_organiser(user):
        errors["privacy"] = _("Please accept the privacy notice to register.")
    own = company_of(user, db_session=db_session)
    if clean is not None and own is not None:
        other = profiles.get_by_vat(clean.vat_number, db_session=db_session)
        if other is not None and other.id != own.id:
            errors["vat_number"] = _("Another company is registered with this VAT number.")
    if errors or clean is None:
        raise InvalidInput(errors)
    if own is not None:
        company = own
        profiles.apply(company, clean, db_session=db_session, language=current_language())
    else:
        company, _created = profiles.find_or_create(clean, db_session=db_session, language=current_language())
    profiles.ensure_company_user(company, db_session=db_session)
    by = user if registrations.is_organiser(user) else None
    return registrations.register(company, stop_id, details, db_session=db_session, by=by)
