"""Companies and their registrations: made as the companies service makes them."""

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlmodel import Session, col, select

from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from app.companies import profiles, registrations
from app.companies.models import Attendee, Company, Registration, RegistrationCountry, RegistrationStatus
from app.stops.models import Stop
from tests.factories.sequence import PASSWORD, next_number

_PROFILE_FIELDS = {field.name for field in fields(profiles.CompanyData)}


def vat_number(n: int | None = None) -> str:
    """A valid Italian VAT number (partita IVA), different for each call unless ``n`` is given."""
    from stdnum import luhn

    serial = (n if n is not None else next_number()) % (10**7 - 1) + 1
    body = f"{serial:07d}015"  # 015: the provincial office of Milan
    return body + luhn.calc_check_digit(body)


def create_company(
    db_session: Session, *, sectors: Sequence[str] = ("aerospace",), language: str = "it", **overrides: Any
) -> Company:
    """A small company in Milan interested in aerospace, with a valid VAT number, checked and
    stored by the profiles service.

    Overrides are fields of the profile form (``province``, ``size_class``, ``markets``...; an empty
    string leaves a field blank); ``province_code`` is taken for ``province``; any other Company
    column (``erased_at``...) is set on the row afterwards.
    """
    n = next_number()
    if "province_code" in overrides:
        overrides["province"] = overrides.pop("province_code") or ""
    profile: dict[str, Any] = {
        "name": f"Azienda di prova {n} S.r.l.",
        "vat_number": vat_number(n),
        "contact_email": f"contatto{n}@azienda{n}.it",
        "province": "MI",
        "size_class": "small",
        "sectors": list(sectors),
        "contact_name": f"Maria Rossi {n}",
    }
    columns = {key: overrides.pop(key) for key in list(overrides) if key not in _PROFILE_FIELDS}
    unknown = set(columns) - set(Company.model_fields)
    if unknown:
        raise TypeError(f"create_company() got unknown fields {sorted(unknown)}")
    profile.update(overrides)
    clean = profiles.validate(profiles.CompanyData(**profile), db_session=db_session)
    company, _created = profiles.find_or_create(clean, db_session=db_session, language=language)
    if columns:
        for key, value in columns.items():
            setattr(company, key, value)
        db_session.add(company)
        db_session.flush()
    return company


def create_registration(
    db_session: Session,
    stop: Stop,
    company: Company | None = None,
    *,
    status: RegistrationStatus | str | None = None,
    attendees: int | Sequence[str | registrations.AttendeeData] = 1,
    countries: Sequence[str] = (),
    note: str = "",
    by: User | None = None,
    public: bool = False,
    **overrides: Any,
) -> Registration:
    """A registration of ``company`` (a new one unless given) for ``stop``.

    Without ``status`` it goes through the registrations service, so the seats decide: an
    organiser's (``by``, a new organiser unless given) is confirmed while seats last and waitlisted
    after; with ``public=True`` it is the company's own, holding a seat until confirmed by email.

    With ``status`` the row is written as it is, bypassing seats, checks and emails (for any stop,
    past or full); other Registration columns (``waitlist_position``...) may then be given.

    ``attendees`` is how many people come, or who: names or AttendeeData (one attendee row each).
    """
    company = company or create_company(db_session)
    if status is None:
        if overrides:
            raise TypeError(f"columns {sorted(overrides)} need an explicit status")
        if by is None and not public:
            by = accounts_service.create(
                f"organiser{next_number()}@example.org",
                role=Role.ORGANISER,
                password=PASSWORD,
                db_session=db_session,
            )
        named = attendees if isinstance(attendees, int) else [_attendee(person) for person in attendees]
        data = registrations.RegistrationData(
            attendees=named, countries=list(countries), note=note, privacy_accepted=True
        )
        return registrations.register(company, stop.id or 0, data, db_session=db_session, by=by)
    registration = Registration(
        stop_id=stop.id or 0,
        company_id=company.id or 0,
        status=RegistrationStatus(status),
        attendee_count=attendees if isinstance(attendees, int) else max(len(attendees), 1),
        note=note,
        **overrides,
    )
    db_session.add(registration)
    db_session.flush()
    for code in countries:
        db_session.add(RegistrationCountry(registration_id=registration.id or 0, country_code=code))
    if not isinstance(attendees, int):
        for person in map(_attendee, attendees):
            db_session.add(
                Attendee(
                    registration_id=registration.id or 0,
                    name=person.name,
                    role=person.role,
                    email=person.email,
                )
            )
    db_session.flush()
    return registration


def _attendee(person: str | registrations.AttendeeData) -> registrations.AttendeeData:
    """An attendee as given, or one of that name with an email address of its own."""
    if isinstance(person, registrations.AttendeeData):
        return person
    email = person.lower().replace(" ", ".") + f"{next_number()}@example.org"
    return registrations.AttendeeData(name=person, email=email)


def attendees_of(db_session: Session, registration: Registration) -> list[Attendee]:
    """The named attendees of ``registration``, in the order they were given."""
    query = select(Attendee).where(Attendee.registration_id == registration.id).order_by(col(Attendee.id))
    return list(db_session.exec(query))
