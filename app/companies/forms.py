"""Reading HTML forms into the data the services check, and the options forms offer."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.datastructures import FormData

from app.companies.models import SizeClass
from app.companies.profiles import CompanyData
from app.companies.registrations import AttendeeData, RegistrationData
from app.i18n import lazy
from app.reference import service as reference_service
from app.web import localized

SIZE_LABELS = {
    SizeClass.MICRO: lazy("Micro (fewer than 10 people)"),
    SizeClass.SMALL: lazy("Small (fewer than 50 people)"),
    SizeClass.MEDIUM: lazy("Medium (fewer than 250 people)"),
    SizeClass.LARGE: lazy("Large (250 people or more)"),
}


async def read_form(request: Request) -> FormData:
    """The submitted form, as a dependency, so that routes can stay synchronous."""
    return await request.form()


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _list(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]


def company_data(form: FormData) -> CompanyData:
    return CompanyData(
        name=_text(form, "name"),
        vat_number=_text(form, "vat_number"),
        contact_email=_text(form, "contact_email"),
        fiscal_code=_text(form, "fiscal_code"),
        ateco_code=_text(form, "ateco_code"),
        province=_text(form, "province"),
        size_class=_text(form, "size_class"),
        sectors=_list(form, "sectors"),
        website=_text(form, "website"),
        export_share=_text(form, "export_share"),
        markets=_list(form, "markets"),
        contact_name=_text(form, "contact_name"),
        contact_role=_text(form, "contact_role"),
        contact_phone=_text(form, "contact_phone"),
    )


def registration_data(form: FormData, attendee_rows: int) -> RegistrationData:
    attendees = [
        AttendeeData(
            name=_text(form, f"attendees.{i}.name"),
            role=_text(form, f"attendees.{i}.role"),
            email=_text(form, f"attendees.{i}.email"),
        )
        for i in range(attendee_rows)
    ]
    return RegistrationData(
        attendees=attendees,
        countries=_list(form, "countries"),
        note=_text(form, "note"),
        privacy_accepted=_text(form, "privacy") == "yes",
    )


def profile_options(*, db_session: Session) -> dict[str, Any]:
    """Choices for the company fields: provinces, sizes, sectors, markets."""
    return {
        "province_options": [
            (t.code, t.name) for t in reference_service.get_all_territories(db_session=db_session)
        ],
        "size_options": list(SIZE_LABELS.items()),
        "sector_options": [
            (s.slug, localized(s, "name")) for s in reference_service.get_all_sectors(db_session=db_session)
        ],
        "market_options": [
            (c.code, localized(c, "name")) for c in reference_service.get_all_countries(db_session=db_session)
        ],
    }
