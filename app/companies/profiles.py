"""Company profiles: checking what a company tells us about itself, one company per VAT number."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.it import codicefiscale, iva

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from app.companies.models import Company, CompanyMarket, CompanySector, SizeClass
from app.errors import InvalidInput
from app.forms import Problems
from app.i18n import gettext as _
from app.reference.models import Country, Sector, Territory

# ATECO 2007/2025: a division of two digits, then up to two groups of one or two digits.
ATECO_PATTERN = re.compile(r"^\d{2}(\.\d{1,2}){0,2}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,40}$")


@dataclass
class CompanyData:
    """What a company tells us, as typed in a form, a JSON body or a spreadsheet row."""

    name: str = ""
    vat_number: str = ""
    contact_email: str = ""
    fiscal_code: str = ""
    ateco_code: str = ""
    province: str = ""
    size_class: str = ""
    sectors: list[str] = field(default_factory=list)
    website: str = ""
    export_share: str | int | None = None
    markets: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_role: str = ""
    contact_phone: str = ""


@dataclass
class CleanCompany:
    name: str
    vat_number: str
    contact_email: str
    fiscal_code: str | None
    ateco_code: str | None
    province_code: str | None
    size_class: SizeClass | None
    sectors: list[str]
    website: str | None
    export_share: int | None
    markets: list[str]
    contact_name: str
    contact_role: str
    contact_phone: str


def normalise_vat(value: str) -> str:
    """The 11 digits of an Italian VAT number (``IT`` prefix and separators dropped), or an error."""
    number = iva.compact(value or "")
    if not number:
        raise InvalidInput({"vat_number": _("Enter the company's VAT number (partita IVA).")})
    try:
        return str(iva.validate(number))
    except InvalidChecksum as exc:
        message = _("The VAT number %s has a wrong check digit: please check it.") % number
        raise InvalidInput({"vat_number": message}) from exc
    except ValidationError as exc:
        message = _("An Italian VAT number has 11 digits, optionally after IT (e.g. IT01234567890).")
        raise InvalidInput({"vat_number": message}) from exc


def _fiscal_code(value: str) -> str | None:
    code = value.strip().upper().replace(" ", "")
    if not code:
        return None
    valid = iva.is_valid(code) if code.isdigit() else codicefiscale.is_valid(code)
    if not valid:
        raise ValueError(_("Enter a valid fiscal code: 16 characters, or the company's 11 digits."))
    return code


def _website(value: str) -> str | None:
    url = value.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in url or len(url) > 200:
        raise ValueError(_("Enter a web address such as www.example.it."))
    return url


def _export_share(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        share = int(str(value).strip().rstrip("%").strip())
    except ValueError as exc:
        raise ValueError(_("Enter the export share as a whole number from 0 to 100.")) from exc
    if not 0 <= share <= 100:
        raise ValueError(_("Enter the export share as a whole number from 0 to 100."))
    return share


def _codes(values: list[str], known: set[str], upper: bool, message: str) -> list[str]:
    codes: list[str] = []
    for raw in values:
        code = raw.strip().upper() if upper else raw.strip().lower()
        if not code:
            continue
        if code not in known:
            raise ValueError(message % raw.strip())
        if code not in codes:
            codes.append(code)
    return codes


def validate(data: CompanyData, *, db_session: Session) -> CleanCompany:
    """Check every field; all problems are reported at once, one message per field."""
    errors = Problems()
    clean: dict[str, object] = {}

    def check(name: str, parse: object) -> None:
        try:
            clean[name] = parse() if callable(parse) else parse
        except ValueError as exc:
            errors[name] = str(exc)
        except InvalidInput as exc:
            errors[name] = next(iter(exc.errors.values()))

    name = " ".join(data.name.split())
    if not name:
        errors["name"] = _("Enter the company's name.")
    elif len(name) > 200:
        errors["name"] = _("The name is too long (200 characters at most).")
    check("vat_number", lambda: normalise_vat(data.vat_number))
    check("contact_email", lambda: accounts_service.normalise_email(data.contact_email))
    check("fiscal_code", lambda: _fiscal_code(data.fiscal_code))
    check("ateco_code", lambda: _ateco(data.ateco_code))
    check("province", lambda: _province(data.province, db_session=db_session))
    check("size_class", lambda: _size_class(data.size_class))
    sectors = {s for s in db_session.exec(select(Sector.slug))}
    check("sectors", lambda: _codes(data.sectors, sectors, False, _("Unknown sector '%s'.")))
    check("website", lambda: _website(data.website))
    check("export_share", lambda: _export_share(data.export_share))
    countries = {c for c in db_session.exec(select(Country.code))}
    check("markets", lambda: _codes(data.markets, countries, True, _("Unknown country '%s'.")))
    phone = data.contact_phone.strip()
    if phone and not PHONE_PATTERN.match(phone):
        errors["contact_phone"] = _("Enter a phone number with digits, spaces and an optional +.")
    for key, value, limit in (
        ("contact_name", data.contact_name, 120),
        ("contact_role", data.contact_role, 120),
    ):
        if len(value.strip()) > limit:
            errors[key] = _("This is too long (%d characters at most).") % limit
    errors.check()
    return CleanCompany(
        name=name,
        vat_number=str(clean["vat_number"]),
        contact_email=str(clean["contact_email"]),
        fiscal_code=clean["fiscal_code"],  # type: ignore[arg-type]
        ateco_code=clean["ateco_code"],  # type: ignore[arg-type]
        province_code=clean["province"],  # type: ignore[arg-type]
        size_class=clean["size_class"],  # type: ignore[arg-type]
        sectors=clean["sectors"],  # type: ignore[arg-type]
        website=clean["website"],  # type: ignore[arg-type]
        export_share=clean["export_share"],  # type: ignore[arg-type]
        markets=clean["markets"],  # type: ignore[arg-type]
        contact_name=data.contact_name.strip(),
        contact_role=data.contact_role.strip(),
        contact_phone=phone,
    )


def _ateco(value: str) -> str | None:
    code = value.strip()
    if not code:
        return None
    if not ATECO_PATTERN.match(code):
        raise ValueError(_("Enter an ATECO code such as 28.41 or 28.41.00."))
    return code


def _province(value: str | None, *, db_session: Session) -> str | None:
    code = (value or "").strip().upper()
    if not code:
        return None
    if db_session.get(Territory, code) is None:
        message = _(
            "Unknown province '%s': use a Lombard province code, or leave it empty if outside Lombardy."
        )
        raise ValueError(message % code)
    return code


def _size_class(value: str) -> SizeClass | None:
    size = value.strip().lower()
    if not size:
        return None
    try:
        return SizeClass(size)
    except ValueError as exc:
        raise ValueError(_("Choose micro, small, medium or large.")) from exc


def get(company_id: int, *, db_session: Session) -> Company | None:
    return db_session.get(Company, company_id)


def get_by_vat(vat_number: str, *, db_session: Session) -> Company | None:
    return db_session.exec(select(Company).where(Company.vat_number == vat_number)).first()


def sectors_of(company: Company, *, db_session: Session) -> list[str]:
    query = select(CompanySector.sector_slug).where(CompanySector.company_id == company.id)
    return list(db_session.exec(query.order_by(col(CompanySector.sector_slug))))


def markets_of(company: Company, *, db_session: Session) -> list[str]:
    query = select(CompanyMarket.country_code).where(CompanyMarket.company_id == company.id)
    return list(db_session.exec(query.order_by(col(CompanyMarket.country_code))))


def apply(company: Company, clean: CleanCompany, *, db_session: Session, language: str | None = None) -> None:
    """Write a checked profile onto ``company``, replacing its sectors and markets."""
    for name in (
        "name",
        "vat_number",
        "contact_email",
        "fiscal_code",
        "ateco_code",
        "province_code",
        "size_class",
        "website",
        "export_share",
        "contact_name",
        "contact_role",
        "contact_phone",
    ):
        setattr(company, name, getattr(clean, name))
    if language:
        company.language = language
    company.updated_at = clock.now()
    db_session.add(company)
    db_session.flush()
    db_session.exec(delete(CompanySector).where(col(CompanySector.company_id) == company.id))
    db_session.exec(delete(CompanyMarket).where(col(CompanyMarket.company_id) == company.id))
    for slug in clean.sectors:
        db_session.add(CompanySector(company_id=company.id or 0, sector_slug=slug))
    for code in clean.markets:
        db_session.add(CompanyMarket(company_id=company.id or 0, country_code=code))
    db_session.flush()


def find_or_create(clean: CleanCompany, *, db_session: Session, language: str = "it") -> tuple[Company, bool]:
    """The company with this VAT number, created from ``clean`` if new (second value: created).

    Two requests may create the same company at once: the loser's insert fails on the unique
    VAT number inside a savepoint, and it reads the winner's row instead.
    """
    existing = get_by_vat(clean.vat_number, db_session=db_session)
    if existing is not None:
        return existing, False
    company = Company(name=clean.name, vat_number=clean.vat_number, contact_email=clean.contact_email)
    try:
        with db_session.begin_nested():
            apply(company, clean, db_session=db_session, language=language)
    except IntegrityError:
        db_session.expunge(company)
        winner = get_by_vat(clean.vat_number, db_session=db_session)
        if winner is None:
            raise
        return winner, False
    return company, True


def ensure_company_user(company: Company, *, db_session: Session) -> User | None:
    """The company's sign-in account (by its contact email), created if missing.

    An address already used by another kind of account (an organiser's, say) is left alone.
    """
    user = accounts_service.get_by_email(company.contact_email, db_session=db_session)
    if user is not None:
        return user if user.role == Role.COMPANY and user.company_id == company.id else None
    try:
        with db_session.begin_nested():
            return accounts_service.create(
                company.contact_email,
                role=Role.COMPANY,
                company_id=company.id,
                language=company.language,
                db_session=db_session,
            )
    except IntegrityError:
        return None


def update_profile(company: Company, data: CompanyData, *, db_session: Session) -> Company:
    """The contact keeps the profile up to date; the VAT number may not move onto another company."""
    clean = validate(data, db_session=db_session)
    other = get_by_vat(clean.vat_number, db_session=db_session)
    if other is not None and other.id != company.id:
        raise InvalidInput({"vat_number": _("Another company is registered with this VAT number.")})
    apply(company, clean, db_session=db_session)
    ensure_company_user(company, db_session=db_session)
    return company


def data_of(company: Company, *, db_session: Session) -> CompanyData:
    """A profile as form data, to fill in a form."""
    return CompanyData(
        name=company.name,
        vat_number=company.vat_number,
        contact_email=company.contact_email,
        fiscal_code=company.fiscal_code or "",
        ateco_code=company.ateco_code or "",
        province=company.province_code or "",
        size_class=company.size_class or "",
        sectors=sectors_of(company, db_session=db_session),
        website=company.website or "",
        export_share=company.export_share,
        markets=markets_of(company, db_session=db_session),
        contact_name=company.contact_name,
        contact_role=company.contact_role,
        contact_phone=company.contact_phone,
    )
