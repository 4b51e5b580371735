"""A stop's registrations as CSV or XLSX, for organisers, in the language of the request.

Statuses, sizes, sectors and countries are written as a person reads them (``app.labels``,
the reference names), never as the codes the database keeps; the VAT number stays text and
the registration time is a datetime, written in Rome time by ``app.exports``."""

from fastapi.responses import Response

from app import exports
from app.companies.listing import RegistrationRow
from app.exports import Cell, Text
from app.i18n import gettext as _
from app.labels import label

# Reference names by code: sector slug -> name, country code -> name, in the current language.
Names = dict[str, str]


def _header() -> list[str]:
    return [
        _("Status"),
        _("Waiting list position"),
        _("Company"),
        _("VAT number"),
        _("Province"),
        _("Size"),
        _("Sectors"),
        _("Prospect countries"),
        _("Attendees"),
        _("Contact person"),
        _("Email"),
        _("Phone"),
        _("Note"),
        _("Registered at"),
    ]


def _cells(row: RegistrationRow, sectors: Names, countries: Names) -> list[Cell]:
    registration, company = row.registration, row.company
    names = "; ".join(f"{a.name} <{a.email}>" for a in row.attendees) or str(registration.attendee_count)
    return [
        label(registration.status, "registration"),
        registration.waitlist_position,
        company.name,
        Text(company.vat_number),
        company.province_code or "",
        label(company.size_class, "size"),
        ", ".join(sectors.get(slug, slug) for slug in row.sectors),
        ", ".join(countries.get(code, code) for code in row.countries),
        names,
        company.contact_name,
        company.contact_email,
        Text(company.contact_phone) if company.contact_phone else "",
        registration.note,
        registration.created_at,
    ]


def csv_response(filename: str, rows: list[RegistrationRow], sectors: Names, countries: Names) -> Response:
    return exports.csv_response(filename, _header(), [_cells(row, sectors, countries) for row in rows])


def xlsx_response(filename: str, rows: list[RegistrationRow], sectors: Names, countries: Names) -> Response:
    cells = [_cells(row, sectors, countries) for row in rows]
    return exports.xlsx_response(filename, _("Registrations"), _header(), cells)
