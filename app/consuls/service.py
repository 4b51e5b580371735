"""The consular corps: representations in Milan and their representatives, kept by organisers."""

from dataclasses import dataclass, field

from babel import Locale
from sqlmodel import Session, col, select

from app.accounts import credentials
from app.accounts import service as accounts_service
from app.accounts.models import User
from app.audit import service as audit_service
from app.consuls.models import Consulate, ConsulateKind, Representative
from app.consuls.schemas import ConsulateInput, RepresentativeInput
from app.errors import InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference.models import Country

# The languages a representative may read their invitations in.
MESSAGE_LANGUAGES = ("en", "it")
KIND_LABELS = {
    ConsulateKind.CONSULATE_GENERAL: lazy("Consulate general"),
    ConsulateKind.CONSULATE: lazy("Consulate"),
    ConsulateKind.HONORARY_CONSULATE: lazy("Honorary consulate"),
    ConsulateKind.TRADE_OFFICE: lazy("Trade office"),
}


def language_codes() -> frozenset[str]:
    """Two-letter ISO 639-1 codes known to CLDR."""
    return frozenset(str(code) for code in Locale.parse("en").languages if len(str(code)) == 2)


@dataclass
class ConsulateView:
    consulate: Consulate
    country: Country
    representatives: list[Representative] = field(default_factory=list)


def get_all(*, db_session: Session) -> list[ConsulateView]:
    """Every representation with its country and representatives, by country then name."""
    countries = {c.code: c for c in db_session.exec(select(Country))}
    consulates = db_session.exec(
        select(Consulate).order_by(col(Consulate.country_code), col(Consulate.name_en))
    )
    views = {c.id: ConsulateView(c, countries[c.country_code]) for c in consulates}
    for person in db_session.exec(select(Representative).order_by(col(Representative.name))):
        if person.consulate_id in views:
            views[person.consulate_id].representatives.append(person)
    return list(views.values())


def get(consulate_id: int, *, db_session: Session) -> Consulate:
    consulate = db_session.get(Consulate, consulate_id)
    if consulate is None:
        raise NotFound(lazy("This consular representation does not exist."))
    return consulate


def get_representative(representative_id: int, *, db_session: Session) -> Representative:
    person = db_session.get(Representative, representative_id)
    if person is None:
        raise NotFound(lazy("This representative does not exist."))
    return person


def get_representative_by_email(email: str, *, db_session: Session) -> Representative | None:
    return db_session.exec(
        select(Representative).where(Representative.email == email.strip().lower())
    ).first()


def check_consulate(data: ConsulateInput, *, db_session: Session) -> dict[str, str | None]:
    """Normalised values of a representation; raises InvalidInput naming each bad field."""
    errors = Problems()
    code = data.country_code.strip().upper()
    if db_session.get(Country, code) is None:
        errors["country_code"] = _("Unknown country '%s': use an ISO 3166 alpha-2 code.") % code
    kind = data.kind.strip().lower()
    if kind not in set(ConsulateKind):
        errors["kind"] = _("Choose the kind of representation.")
    values: dict[str, str | None] = {"name_it": data.name_it.strip(), "name_en": data.name_en.strip()}
    for name, value in values.items():
        if not value:
            errors[name] = _("Enter the name of the representation.")
        elif len(value) > 200:
            errors[name] = _("Use at most %d characters.") % 200
    address, website = data.address.strip(), data.website.strip()
    if len(address) > 300:
        errors["address"] = _("Use at most %d characters.") % 300
    if website and (not website.startswith(("https://", "http://")) or len(website) > 200):
        errors["website"] = _("Enter a web address starting with https://.")
    errors.check()
    return {
        "country_code": code,
        "kind": ConsulateKind(kind),
        **values,
        "address": address,
        "website": website or None,
    }


def check_representative(
    data: RepresentativeInput, *, db_session: Session, current: Representative | None = None
) -> dict[str, object]:
    errors = Problems()
    name, title = data.name.strip(), data.title.strip()
    if not name:
        errors["name"] = _("Enter the representative's name.")
    elif len(name) > 120:
        errors["name"] = _("Use at most %d characters.") % 120
    if len(title) > 120:
        errors["title"] = _("Use at most %d characters.") % 120
    email = ""
    try:
        email = accounts_service.normalise_email(data.email)
    except InvalidInput as exc:
        errors.update(exc.errors)
    known = get_representative_by_email(email, db_session=db_session) if email else None
    if known is not None and (current is None or known.id != current.id):
        errors["email"] = _("Another representative already has this email.")
    languages = [code.strip().lower() for code in data.languages.replace(";", ",").split(",") if code.strip()]
    unknown = [code for code in languages if code not in language_codes()]
    if unknown:
        errors["languages"] = (
            _("Unknown language code '%s': use two-letter codes such as en, it.") % unknown[0]
        )
    preferred = data.preferred_language.strip().lower()
    if preferred not in MESSAGE_LANGUAGES:
        errors["preferred_language"] = _("Choose English (en) or Italian (it).")
    errors.check()
    return {
        "name": name,
        "title": title,
        "email": email,
        "languages": list(dict.fromkeys(languages)),
        "preferred_language": preferred,
    }


def create(data: ConsulateInput, *, db_session: Session, actor: User | None) -> Consulate:
    consulate = Consulate(**check_consulate(data, db_session=db_session))  # type: ignore[arg-type]
    db_session.add(consulate)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="create",
        entity_type="consulate",
        entity_id=consulate.id,
        after=audit_service.snapshot(consulate),
    )
    return consulate


def update(
    consulate: Consulate, data: ConsulateInput, *, db_session: Session, actor: User | None
) -> Consulate:
    before = audit_service.snapshot(consulate)
    for key, value in check_consulate(data, db_session=db_session).items():
        setattr(consulate, key, value)
    _record_change(consulate, before, "update", "consulate", db_session=db_session, actor=actor)
    return consulate


def set_consulate_active(
    consulate: Consulate, active: bool, *, db_session: Session, actor: User | None
) -> Consulate:
    """Deactivating a representation also stops inviting its representatives."""
    before = audit_service.snapshot(consulate)
    consulate.active = active
    _record_change(
        consulate,
        before,
        "activate" if active else "deactivate",
        "consulate",
        db_session=db_session,
        actor=actor,
    )
    return consulate


def add_representative(
    consulate: Consulate, data: RepresentativeInput, *, db_session: Session, actor: User | None
) -> Representative:
    values = check_representative(data, db_session=db_session)
    person = Representative(consulate_id=consulate.id, **values)  # type: ignore[arg-type]
    db_session.add(person)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="create",
        entity_type="representative",
        entity_id=person.id,
        after=audit_service.snapshot(person),
    )
    return person


def update_representative(
    person: Representative, data: RepresentativeInput, *, db_session: Session, actor: User | None
) -> Representative:
    before = audit_service.snapshot(person)
    for key, value in check_representative(data, db_session=db_session, current=person).items():
        setattr(person, key, value)
    _record_change(person, before, "update", "representative", db_session=db_session, actor=actor)
    return person


def set_representative_active(
    person: Representative, active: bool, *, db_session: Session, actor: User | None
) -> Representative:
    """Access follows the roster: deactivating revokes the representative's invitation and
    calendar links and their consul account's sessions and sign-in links, at once.

    Reactivating opens the account again but brings back none of the old links; fresh ones go
    out with the next email (``invitations.reactivate`` sends them).
    """
    before = audit_service.snapshot(person)
    account = db_session.exec(select(User).where(User.representative_id == person.id)).first()
    if person.active and not active:
        credentials.revoke(person, db_session=db_session)
        if account is not None:
            credentials.revoke(account, db_session=db_session)
    person.active = active
    if account is not None and account.is_active != active:
        account.is_active = active
        db_session.add(account)
    action = "activate" if active else "deactivate"
    _record_change(person, before, action, "representative", db_session=db_session, actor=actor)
    return person


def _record_change(
    row: Consulate | Representative,
    before: dict[str, object],
    action: str,
    entity_type: str,
    *,
    db_session: Session,
    actor: User | None,
) -> None:
    db_session.add(row)
    db_session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(row))
    if new:
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=row.id,
            before=old,
            after=new,
        )
