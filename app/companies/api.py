"""The registration API: organisers register companies, list a stop's registrations, cancel."""

from typing import Annotated

from fastapi import APIRouter, Depends

from app.accounts.deps import OrganiserUser, require_roles
from app.accounts.models import Role, User
from app.companies import listing, profiles, registrations
from app.companies.models import RegistrationStatus
from app.companies.profiles import CompanyData
from app.companies.registrations import AttendeeData, RegistrationData
from app.companies.schemas import (
    RegistrationCancelled,
    RegistrationCreate,
    RegistrationCreated,
    RegistrationListItem,
)
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.forms import Problems
from app.stops import service as stops_service

router = APIRouter(prefix="/api", tags=["registrations"], route_class=TransactionRoute)

# Profile fields as the API names them under "company".
COMPANY_FIELDS = {"name": "name", "vat_number": "vat_number", "contact_email": "email"}
COMPANY_FIELDS |= {"province": "province", "sectors": "sector"}


@router.post(
    "/stops/{stop_id}/registrations",
    response_model=RegistrationCreated,
    status_code=201,
    summary="Register a company on its behalf (confirmed at once, or on the waiting list)",
)
def create_registration(
    stop_id: int, body: RegistrationCreate, user: OrganiserUser, db_session: SessionDep
) -> RegistrationCreated:
    stop = stops_service.get(stop_id, db_session=db_session)
    company_data = CompanyData(
        name=body.company.name,
        vat_number=body.company.vat_number,
        contact_email=body.company.email,
        province=body.company.province or "",
        sectors=[body.company.sector] if body.company.sector else [],
    )
    attendees = (
        body.attendees
        if isinstance(body.attendees, int)
        else [AttendeeData(a.name, a.role, a.email) for a in body.attendees]
    )
    details = RegistrationData(attendees=attendees, countries=body.countries, note=body.note)
    errors = Problems()
    try:
        clean = profiles.validate(company_data, db_session=db_session)
    except InvalidInput as exc:
        errors |= {f"company.{COMPANY_FIELDS.get(k, k)}": v for k, v in exc.errors.items()}
    try:
        registrations.check_details(details, stop, db_session=db_session)
    except InvalidInput as exc:
        errors |= exc.errors
    errors.check()
    company, _created = profiles.find_or_create(clean, db_session=db_session)
    profiles.ensure_company_user(company, db_session=db_session)
    registration = registrations.register(company, stop_id, details, db_session=db_session, by=user)
    return RegistrationCreated(
        id=registration.id or 0,
        status=RegistrationStatus(registration.status),
        waitlist_position=registration.waitlist_position,
    )


@router.get(
    "/stops/{stop_id}/registrations",
    response_model=list[RegistrationListItem],
    summary="A stop's registrations, in arrival order",
)
def list_registrations(
    stop_id: int, user: OrganiserUser, db_session: SessionDep
) -> list[RegistrationListItem]:
    stops_service.get(stop_id, db_session=db_session)
    return [
        RegistrationListItem(
            id=row.registration.id or 0,
            status=RegistrationStatus(row.registration.status),
            waitlist_position=row.registration.waitlist_position,
            vat_number=row.company.vat_number,
            company_name=row.company.name,
            province=row.company.province_code,
            attendees=row.registration.attendee_count,
            countries=row.countries,
            created_at=row.registration.created_at,
        )
        for row in listing.for_stop(stop_id, db_session=db_session)
    ]


OrganiserOrCompany = Annotated[User, Depends(require_roles(Role.ORGANISER, Role.ADMIN, Role.COMPANY))]


@router.post(
    "/registrations/{registration_id}/cancel",
    response_model=RegistrationCancelled,
    summary="Cancel a registration (organisers, or the company itself); the waiting list moves up",
)
def cancel_registration(
    registration_id: int, user: OrganiserOrCompany, db_session: SessionDep
) -> RegistrationCancelled:
    registration = registrations.cancel(registration_id, db_session=db_session, by=user)
    return RegistrationCancelled(status=RegistrationStatus(registration.status))
