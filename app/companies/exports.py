"""A stop's registrations as CSV or XLSX, for organisers, in the language of the request.

Statuses, sizes, sectors and countries are written as a person reads them (``app.labels``,
the reference names), never as the codes the database keeps."""

import csv
import io

from openpyxl import Workbook

from app.companies.listing import RegistrationRow
from app.i18n import gettext as _
from app.labels import label

# Reference names by code: sector slug -> name, country code -> name, in the current language.
Names = dict[str, str]

MAX_CELL = 32767


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


def _cells(row: RegistrationRow, sectors: Names, countries: Names) -> list[str | int]:
    registration, company = row.registration, row.company
    names = "; ".join(f"{a.name} <{a.email}>" for a in row.attendees) or str(registration.attendee_count)
    return [
        label(registration.status, "registration"),
        registration.waitlist_position or "",
        company.name,
        company.vat_number,
        company.province_code or "",
        label(company.size_class, "size"),
        ", ".join(sectors.get(slug, slug) for slug in row.sectors),
        ", ".join(countries.get(code, code) for code in row.countries),
        names,
        company.contact_name,
        company.contact_email,
        company.contact_phone,
        registration.note,
        registration.created_at.isoformat(timespec="seconds"),
    ]


def _safe(value: str | int) -> str | int:
    """Spreadsheets run cells starting with = + - @ as formulas: keep them text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(rows: list[RegistrationRow], sectors: Names, countries: Names) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    for row in rows:
        writer.writerow([_safe(v) for v in _cells(row, sectors, countries)])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


def to_xlsx(rows: list[RegistrationRow], sectors: Names, countries: Names) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Registrations")[:31]
    sheet.append(_header())
    for row in rows:
        sheet.append(
            [
                _safe(v) if isinstance(v, int) else str(_safe(v))[:MAX_CELL]
                for v in _cells(row, sectors, countries)
            ]
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
