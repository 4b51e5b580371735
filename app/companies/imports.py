"""Importing companies from a CSV or XLSX file (a territorial association's member list, say).

First a preview: every row checked like a profile, with its problems named by row and
column. Then the organiser writes all the valid rows, or nothing. Optionally each imported
company is also registered for the stop, as an organiser's registration.
"""

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlmodel import Session

from app.accounts.models import User
from app.companies import profiles, registrations
from app.companies.profiles import CompanyData
from app.errors import Conflict, InvalidInput
from app.i18n import gettext as _

# Column names we understand, English and Italian, after lower-casing and trimming.
COLUMNS = {
    "name": "name", "company": "name", "ragione sociale": "name", "azienda": "name",
    "vat_number": "vat_number", "vat number": "vat_number", "vat": "vat_number", "partita iva": "vat_number",
    "email": "contact_email", "contact_email": "contact_email", "contact email": "contact_email",
    "province": "province", "provincia": "province",
    "size": "size_class", "size_class": "size_class", "dimensione": "size_class",
    "sector": "sectors", "sectors": "sectors", "settore": "sectors", "settori": "sectors",
    "markets": "markets", "mercati": "markets",
    "fiscal_code": "fiscal_code", "fiscal code": "fiscal_code", "codice fiscale": "fiscal_code",
    "ateco": "ateco_code", "ateco_code": "ateco_code", "codice ateco": "ateco_code",
    "website": "website", "sito": "website", "sito web": "website",
    "export_share": "export_share", "export share": "export_share", "quota export": "export_share",
    "contact_name": "contact_name", "contact name": "contact_name", "referente": "contact_name",
    "contact_role": "contact_role", "contact role": "contact_role", "ruolo": "contact_role",
    "phone": "contact_phone", "contact_phone": "contact_phone", "telefono": "contact_phone",
}  # fmt: skip
LIST_FIELDS = ("sectors", "markets")
MAX_ROWS = 5000


@dataclass
class ImportRow:
    line: int
    data: CompanyData
    errors: dict[str, str] = field(default_factory=dict)
    known: bool = False  # a company with this VAT number already exists and is left as it is


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def valid(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.errors]

    @property
    def invalid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV (comma or semicolon, UTF-8) or XLSX file, keyed by our field names."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
            raise InvalidInput({"file": _("This XLSX file cannot be read.")}) from exc
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput({"file": _("Save the CSV file as UTF-8.")}) from exc
        # Italian spreadsheets save CSV with semicolons: the header row tells which.
        first_line = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first_line.count)
        try:
            table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:  # a cell past the csv module's field limit
            raise InvalidInput(
                {"file": _("This CSV file cannot be read: a cell is longer than 128 KiB.")}
            ) from exc
    else:
        raise InvalidInput({"file": _("Choose a .csv or .xlsx file.")})
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise InvalidInput({"file": _("The file is empty.")})
    header = [COLUMNS.get(cell.strip().lower(), "") for cell in table[0]]
    missing = [c for c in ("name", "vat_number", "contact_email") if c not in header]
    if missing:
        raise InvalidInput(
            {"file": _("The first row must name the columns; missing: %s.") % ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise InvalidInput({"file": _("Import at most %d rows at a time.") % MAX_ROWS})
    return [{key: cell.strip() for key, cell in zip(header, row, strict=False) if key} for row in table[1:]]


def _company_data(values: dict[str, Any]) -> CompanyData:
    data = CompanyData()
    for key, value in values.items():
        if key in LIST_FIELDS:
            items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
            setattr(data, key, [v.strip() for v in items if v.strip()])
        else:
            setattr(data, key, str(value) if value is not None else "")
    return data


def preview(table: list[dict[str, Any]], *, db_session: Session, first_line: int = 2) -> ImportPreview:
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for offset, values in enumerate(table):
        row = ImportRow(line=first_line + offset, data=_company_data(values))
        try:
            clean = profiles.validate(row.data, db_session=db_session)
        except InvalidInput as exc:
            row.errors = exc.errors
        else:
            if clean.vat_number in seen:
                row.errors["vat_number"] = _("Same VAT number as row %d.") % seen[clean.vat_number]
            seen.setdefault(clean.vat_number, row.line)
            row.known = profiles.get_by_vat(clean.vat_number, db_session=db_session) is not None
        rows.append(row)
    return ImportPreview(rows)


def payload(rows: list[ImportRow]) -> list[dict[str, Any]]:
    """The valid rows as plain data, to carry from the preview to the import."""
    return [{"line": r.line, **asdict(r.data)} for r in rows]


@dataclass
class ImportResult:
    created: int = 0
    known: int = 0
    registered: int = 0
    waitlisted: int = 0
    already_registered: int = 0


def apply(
    rows: list[dict[str, Any]], *, db_session: Session, by: User, register_at_stop: int | None = None
) -> ImportResult:
    """Write the rows (checked again: the data may have changed since the preview)."""
    result = ImportResult()
    table = [{k: v for k, v in row.items() if k != "line"} for row in rows]
    checked = preview(table, db_session=db_session)
    if checked.invalid:
        bad = checked.invalid[0]
        raise InvalidInput(
            {"file": _("Row %d is no longer valid: import the file again.") % rows[bad.line - 2]["line"]}
        )
    for row in checked.rows:
        clean = profiles.validate(row.data, db_session=db_session)
        company, created = profiles.find_or_create(clean, db_session=db_session)
        result.created += created
        result.known += not created
        if register_at_stop is None:
            continue
        profiles.ensure_company_user(company, db_session=db_session)
        details = registrations.RegistrationData(attendees=1)
        try:
            registration = registrations.register(
                company, register_at_stop, details, db_session=db_session, by=by
            )
        except Conflict:
            result.already_registered += 1
            continue
        if registration.status == "waitlisted":
            result.waitlisted += 1
        else:
            result.registered += 1
    return result
