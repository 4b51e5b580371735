"""The parsers of a company profile's fields: each returns the clean value or raises ValueError.

``app.companies.profiles.validate`` runs them all and reports every problem at once.
"""

import re
from urllib.parse import urlsplit

from sqlmodel import Session
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.it import codicefiscale, iva

from app.companies.models import SizeClass
from app.errors import InvalidInput
from app.i18n import gettext as _
from app.reference.models import Territory

# ATECO 2007/2025: a division of two digits, then up to two groups of one or two digits.
ATECO_PATTERN = re.compile(r"^\d{2}(\.\d{1,2}){0,2}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,40}$")


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


def fiscal_code(value: str) -> str | None:
    code = value.strip().upper().replace(" ", "")
    if not code:
        return None
    valid = iva.is_valid(code) if code.isdigit() else codicefiscale.is_valid(code)
    if not valid:
        raise ValueError(_("Enter a valid fiscal code: 16 characters, or the company's 11 digits."))
    return code


def website(value: str) -> str | None:
    url = value.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in url or len(url) > 200:
        raise ValueError(_("Enter a web address such as www.example.it."))
    return url


def export_share(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        share = int(str(value).strip().rstrip("%").strip())
    except ValueError as exc:
        raise ValueError(_("Enter the export share as a whole number from 0 to 100.")) from exc
    if not 0 <= share <= 100:
        raise ValueError(_("Enter the export share as a whole number from 0 to 100."))
    return share


def codes(values: list[str], known: set[str], upper: bool, message: str) -> list[str]:
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


def ateco(value: str) -> str | None:
    code = value.strip()
    if not code:
        return None
    if not ATECO_PATTERN.match(code):
        raise ValueError(_("Enter an ATECO code such as 28.41 or 28.41.00."))
    return code


def province(value: str | None, *, db_session: Session) -> str | None:
    code = (value or "").strip().upper()
    if not code:
        return None
    if db_session.get(Territory, code) is None:
        message = _(
            "Unknown province '%s': use a Lombard province code, or leave it empty if outside Lombardy."
        )
        raise ValueError(message % code)
    return code


def size_class(value: str) -> SizeClass | None:
    size = value.strip().lower()
    if not size:
        return None
    try:
        return SizeClass(size)
    except ValueError as exc:
        raise ValueError(_("Choose micro, small, medium or large.")) from exc
