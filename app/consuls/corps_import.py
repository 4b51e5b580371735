"""Importing a consular corps list from CSV: every row checked first, then all or nothing.

One row per representative; the representation is named on each row and matched on its
country and English name. A representative already known by email is updated, not doubled.
"""

import csv
import io
from dataclasses import dataclass

from sqlmodel import Session, select

from app.accounts.models import User
from app.audit import service as audit_service
from app.consuls import service
from app.consuls.models import Consulate, Representative
from app.consuls.schemas import ConsulateInput, RepresentativeInput
from app.errors import InvalidInput
from app.i18n import gettext as _

COLUMNS = (
    "country",
    "kind",
    "consulate_name_en",
    "consulate_name_it",
    "address",
    "website",
    "name",
    "title",
    "email",
    "languages",
    "preferred_language",
)
REQUIRED_COLUMNS = ("country", "kind", "consulate_name_en", "consulate_name_it", "name", "email")
# Form fields named in service errors, and the CSV column a person sees for each.
COLUMN_OF_FIELD = {
    "country_code": "country",
    "name_en": "consulate_name_en",
    "name_it": "consulate_name_it",
}


class ImportRejected(InvalidInput):
    """The file was refused; ``rows`` lists (line number, message) for each bad row."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = rows
        super().__init__({f"line {line}": message for line, message in rows})


@dataclass
class ImportResult:
    consulates_created: int = 0
    representatives_created: int = 0
    representatives_updated: int = 0


@dataclass
class _Row:
    line: int
    consulate: dict[str, str | None]
    person: dict[str, object]


def import_csv(content: bytes, *, db_session: Session, actor: User | None) -> ImportResult:
    rows = _checked_rows(_read(content), db_session=db_session)
    result = ImportResult()
    consulates: dict[tuple[str, str], Consulate] = {}
    for row in rows:
        key = (str(row.consulate["country_code"]), str(row.consulate["name_en"]))
        consulate = consulates.get(key) or _find_consulate(*key, db_session=db_session)
        if consulate is None:
            consulate = Consulate(**row.consulate)  # type: ignore[arg-type]
            db_session.add(consulate)
            db_session.flush()
            result.consulates_created += 1
        consulates[key] = consulate
        person = service.get_representative_by_email(str(row.person["email"]), db_session=db_session)
        if person is None:
            db_session.add(Representative(consulate_id=consulate.id, **row.person))  # type: ignore[arg-type]
            result.representatives_created += 1
        else:
            for name, value in row.person.items():
                setattr(person, name, value)
            person.consulate_id = consulate.id or person.consulate_id
            if not person.active:
                # Through the service, so that their consul account opens again with them.
                service.set_representative_active(person, True, db_session=db_session, actor=actor)
            db_session.add(person)
            result.representatives_updated += 1
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="import",
        entity_type="consular_corps",
        entity_id=len(rows),
        after={
            "consulates_created": result.consulates_created,
            "representatives_created": result.representatives_created,
            "representatives_updated": result.representatives_updated,
            "emails": [row.person["email"] for row in rows],
        },
    )
    return result


def _read(content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput({"file": _("Save the file as CSV with UTF-8 encoding.")}) from exc
    if not text.strip():
        raise InvalidInput({"file": _("The file is empty.")})
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in headers]
        if missing:
            raise InvalidInput({"file": _("The file lacks the columns: %s.") % ", ".join(missing)})
        reader.fieldnames = headers
        rows = []
        for values in reader:
            cleaned = {k: (v or "").strip() for k, v in values.items() if k in COLUMNS and isinstance(v, str)}
            if any(cleaned.values()):
                rows.append((reader.line_num, cleaned))
        if not rows:
            raise InvalidInput({"file": _("The file has no representatives.")})
    except csv.Error as exc:  # a cell past the csv module's field limit
        raise InvalidInput(
            {"file": _("This CSV file cannot be read: a cell is longer than 128 KiB.")}
        ) from exc
    return rows


def _checked_rows(rows: list[tuple[int, dict[str, str]]], *, db_session: Session) -> list[_Row]:
    checked, problems = [], []
    seen: dict[str, int] = {}
    for line, values in rows:
        messages: list[str] = []
        consulate: dict[str, str | None] = {}
        person: dict[str, object] = {}
        try:
            consulate = service.check_consulate(
                ConsulateInput(
                    country_code=values.get("country", ""),
                    kind=values.get("kind", ""),
                    name_it=values.get("consulate_name_it", ""),
                    name_en=values.get("consulate_name_en", ""),
                    address=values.get("address", ""),
                    website=values.get("website", ""),
                ),
                db_session=db_session,
            )
        except InvalidInput as exc:
            messages += [f"{COLUMN_OF_FIELD.get(f, f)}: {m}" for f, m in exc.errors.items()]
        email = values.get("email", "").lower()
        known = service.get_representative_by_email(email, db_session=db_session) if email else None
        try:
            person = service.check_representative(
                RepresentativeInput(
                    name=values.get("name", ""),
                    title=values.get("title", ""),
                    email=values.get("email", ""),
                    languages=values.get("languages", ""),
                    preferred_language=values.get("preferred_language") or "en",
                ),
                db_session=db_session,
                current=known,
            )
        except InvalidInput as exc:
            messages += [f"{f}: {m}" for f, m in exc.errors.items()]
        if person and str(person["email"]) in seen:
            messages.append(_("email: already on line %d of this file.") % seen[str(person["email"])])
        if messages:
            problems.append((line, "; ".join(messages)))
            continue
        seen[str(person["email"])] = line
        checked.append(_Row(line, consulate, person))
    if problems:
        raise ImportRejected(problems)
    return checked


def _find_consulate(country_code: str, name_en: str, *, db_session: Session) -> Consulate | None:
    return db_session.exec(
        select(Consulate).where(Consulate.country_code == country_code, Consulate.name_en == name_en)
    ).first()
