"""A company's own data: downloading it, and erasing it (keeping only anonymous counts)."""

from typing import Any

from sqlmodel import Session, col, delete, select

from app import clock
from app.accounts import credentials
from app.accounts.models import User
from app.companies import changes, listing, profiles
from app.companies.models import ACTIVE_STATUSES, Attendee, Company, Registration
from app.stops.models import Stop

ERASED_NAME = "—"


def export(company: Company, *, db_session: Session) -> dict[str, Any]:
    """Everything we keep about the company, as JSON-ready data."""
    profile = profiles.data_of(company, db_session=db_session)
    rows = listing.for_company(company.id or 0, db_session=db_session)
    users = db_session.exec(select(User).where(User.company_id == company.id))
    return {
        "format": "roadshow.company-data/1",
        "exported_at": clock.now().isoformat(),
        "company": {
            "name": company.name,
            "vat_number": company.vat_number,
            "fiscal_code": company.fiscal_code,
            "ateco_code": company.ateco_code,
            "province": company.province_code,
            "size_class": company.size_class,
            "sectors": profile.sectors,
            "website": company.website,
            "export_share": company.export_share,
            "markets": profile.markets,
            "contact": {
                "name": company.contact_name,
                "role": company.contact_role,
                "email": company.contact_email,
                "phone": company.contact_phone,
            },
            "language": company.language,
            "created_at": company.created_at.isoformat(),
            "updated_at": company.updated_at.isoformat(),
        },
        "accounts": [
            {"email": u.email, "role": u.role, "created_at": u.created_at.isoformat()} for u in users
        ],
        "registrations": [_registration(row, stop) for row, stop in rows],
    }


def _registration(row: listing.RegistrationRow, stop: Stop) -> dict[str, Any]:
    registration = row.registration
    return {
        "stop": {
            "id": stop.id,
            "title": stop.title_en,
            "date": stop.stop_date.isoformat(),
            "city": stop.city,
        },
        "status": registration.status,
        "waitlist_position": registration.waitlist_position,
        "attendee_count": registration.attendee_count,
        "attendees": [{"name": a.name, "role": a.role, "email": a.email} for a in row.attendees],
        "countries": row.countries,
        "note": registration.note,
        "privacy_version": registration.privacy_version,
        "privacy_accepted_at": _iso(registration.privacy_accepted_at),
        "email_verified_at": _iso(registration.email_verified_at),
        "created_at": registration.created_at.isoformat(),
        "cancelled_at": _iso(registration.cancelled_at),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def erase(company: Company, *, db_session: Session, by: User) -> None:
    """Cancel the company's active registrations (freeing seats for the waiting lists), then
    remove everything that names a person or the company, and revoke its people's sessions and
    links (its confirmation links are forgotten, its attendees' check-in codes find nobody).
    What stays is anonymous: the province, size, sectors and markets, and the registrations'
    statuses and countries, so that the roadshow's statistics still add up.
    """
    active = db_session.exec(
        select(Registration.id)
        .where(Registration.company_id == company.id)
        .where(col(Registration.status).in_(ACTIVE_STATUSES))
    )
    for registration_id in list(active):
        changes.cancel(registration_id or 0, db_session=db_session, by=by)
    registration_ids = select(Registration.id).where(Registration.company_id == company.id)
    db_session.exec(delete(Attendee).where(col(Attendee.registration_id).in_(registration_ids)))
    for registration in db_session.exec(select(Registration).where(Registration.company_id == company.id)):
        registration.note = ""
        registration.confirmation_token_hash = None
        db_session.add(registration)
    company.name = ERASED_NAME
    # The VAT number is unique and names the company: an impossible one takes its place.
    company.vat_number = f"X{company.id or 0:010d}"
    company.fiscal_code = None
    company.website = None
    company.contact_name = company.contact_role = company.contact_phone = ""
    company.contact_email = f"erased-{company.id}@invalid"
    company.erased_at = clock.now()
    company.updated_at = clock.now()
    db_session.add(company)
    for user in list(db_session.exec(select(User).where(User.company_id == company.id))):
        user.email = f"erased-user-{user.id}@invalid"
        user.is_active = False
        # Every session and sign-in link of the company's people ends with this request.
        credentials.revoke(user, db_session=db_session)
    db_session.flush()
