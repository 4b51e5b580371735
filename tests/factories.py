"""Factories that build rows with sensible defaults, so a test states only what matters."""

import re
from datetime import date, time
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.stops.models import Stop, StopCountry, StopStatus

_counter = 0


def _next() -> int:
    global _counter
    _counter += 1
    return _counter


def create_stop(
    db_session: Session,
    *,
    countries: tuple[str, ...] = ("US", "DE"),
    **overrides: Any,
) -> Stop:
    n = _next()
    values: dict[str, Any] = {
        "slug": f"test-stop-{n}",
        "title_it": f"Tappa di prova {n}",
        "title_en": f"Test stop {n}",
        "sector_slug": "aerospace",
        "territory_code": "VA",
        "city": "Varese",
        "venue": "Ville Ponti",
        "venue_address": "Piazza Litta 2, 21100 Varese",
        "stop_date": date(2027, 5, 12),
        "start_time": time(9, 30),
        "end_time": time(17, 30),
        "capacity": 50,
        "status": StopStatus.PUBLISHED,
    }
    values.update(overrides)
    stop = Stop(**values)
    db_session.add(stop)
    db_session.flush()
    for position, code in enumerate(countries):
        db_session.add(StopCountry(stop_id=stop.id, country_code=code, position=position))
    db_session.flush()
    return stop


def create_user(
    db_session: Session, *, role: str = "organiser", password: str = "correct horse battery", **overrides: Any
) -> User:
    from app.accounts import service as accounts_service
    from app.accounts.models import Role

    email = overrides.pop("email", f"person{_next()}@example.org")
    return accounts_service.create(
        email, role=Role(role), password=password, db_session=db_session, **overrides
    )


def csrf_token(client: TestClient) -> str:
    """The form token of the test client's browser (its CSRF cookie is set on the first page)."""
    html = client.get("/login").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the sign-in page"
    return match.group(1)


def sign_in_as(client: TestClient, user: User) -> None:
    """Give the test client the session cookie of ``user`` (any role), as the sign-in would."""
    from app.accounts.service import Signer
    from app.web import SESSION_COOKIE

    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    client.cookies.set(SESSION_COOKIE, Signer(secret).session_cookie(user))


def organiser_token(client: TestClient, db_session: Session) -> dict[str, str]:
    """Authorization headers of a fresh organiser, through the real OAuth2 endpoint."""
    user = create_user(db_session, role="organiser", password="correct horse battery")
    db_session.commit()
    response = client.post(
        "/api/auth/token", data={"username": user.email, "password": "correct horse battery"}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def insert_company(db_session: Session, **overrides: Any) -> Any:
    """A company row made directly (no validation), for tests of other areas."""
    from app.companies.models import Company

    n = _next()
    values: dict[str, Any] = {
        "name": f"Impresa di prova {n} S.r.l.",
        "vat_number": f"{n:011d}",
        "contact_name": f"Referente {n}",
        "contact_email": f"company{n}@example.org",
        "province_code": "VA",
        "language": "it",
    }
    values.update(overrides)
    company = Company(**values)
    db_session.add(company)
    db_session.flush()
    return company


def insert_registration(db_session: Session, *, stop: Stop, company: Any, **overrides: Any) -> Any:
    """A registration row made directly (confirmed unless told), bypassing seats and emails."""
    from app.companies.models import Registration, RegistrationStatus

    values: dict[str, Any] = {"status": RegistrationStatus.CONFIRMED}
    values.update(overrides)
    registration = Registration(stop_id=stop.id, company_id=company.id, **values)
    db_session.add(registration)
    db_session.flush()
    return registration


def create_invitation(db_session: Session, *, stop: Stop, country: str = "US", **overrides: Any) -> Any:
    """An invitation of a new representative (of a new consulate of ``country``) to ``stop``."""
    from app.consuls.models import Consulate, ConsulateKind, Invitation, Representative

    n = _next()
    language = overrides.pop("language", "en")
    consulate = Consulate(
        country_code=country,
        kind=ConsulateKind.CONSULATE_GENERAL,
        name_it=f"Consolato {n}",
        name_en=f"Consulate {n}",
    )
    db_session.add(consulate)
    db_session.flush()
    representative = Representative(
        consulate_id=consulate.id,
        name=f"Consul {n}",
        email=f"consul{n}@example.org",
        preferred_language=language,
    )
    db_session.add(representative)
    db_session.flush()
    invitation = Invitation(
        stop_id=stop.id, representative_id=representative.id, country_code=country, **overrides
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation


def create_consulate(db_session: Session, *, country: str = "US", **overrides: Any) -> Any:
    from app.consuls.models import Consulate, ConsulateKind

    n = _next()
    values: dict[str, Any] = {
        "country_code": country,
        "kind": ConsulateKind.CONSULATE_GENERAL,
        "name_it": f"Consolato di prova {n}",
        "name_en": f"Test consulate {n}",
        "address": "Via Manzoni 1, 20121 Milano",
    }
    values.update(overrides)
    consulate = Consulate(**values)
    db_session.add(consulate)
    db_session.flush()
    return consulate


def create_representative(db_session: Session, *, consulate: Any = None, **overrides: Any) -> Any:
    from app.consuls.models import Representative

    n = _next()
    consulate = consulate or create_consulate(db_session)
    values: dict[str, Any] = {
        "consulate_id": consulate.id,
        "name": f"Representative {n}",
        "title": "Consul",
        "email": f"rep{n}@consulate.example.org",
        "languages": ["en"],
        "preferred_language": "en",
    }
    values.update(overrides)
    person = Representative(**values)
    db_session.add(person)
    db_session.flush()
    return person


def only_representatives_of(db_session: Session, country: str, count: int = 1, **overrides: Any) -> list[Any]:
    """Deactivate the seeded representations of ``country`` and give it ``count`` fresh representatives."""
    from sqlmodel import select

    from app.consuls.models import Consulate

    for seeded in db_session.exec(select(Consulate).where(Consulate.country_code == country)):
        seeded.active = False
        db_session.add(seeded)
    consulate = create_consulate(db_session, country=country)
    return [create_representative(db_session, consulate=consulate, **overrides) for _ in range(count)]


def invite_representative(db_session: Session, *, stop: Stop, representative: Any, **overrides: Any) -> Any:
    from app.consuls.models import Consulate, Invitation

    consulate = db_session.get(Consulate, representative.consulate_id)
    assert consulate is not None
    invitation = Invitation(
        stop_id=stop.id, representative_id=representative.id, country_code=consulate.country_code, **overrides
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation


def create_link_user(db_session: Session, *, role: str = "company", **overrides: Any) -> User:
    """A company contact (with its company row) or a consul (with a representative) who signs in by link."""
    from sqlmodel import select

    from app.accounts import service as accounts_service
    from app.accounts.models import Role
    from app.companies.models import Company
    from app.consuls.models import Consulate, Representative

    n = _next()
    email = overrides.pop("email", f"link{n}@example.org")
    if role == "company":
        company = Company(name=f"Azienda {n}", vat_number=f"{90000000000 + n}", contact_email=email)
        db_session.add(company)
        db_session.flush()
        overrides.setdefault("company_id", company.id)
    else:
        consulate = db_session.exec(select(Consulate)).first()
        assert consulate is not None, "the seeded consulates are missing"
        representative = Representative(consulate_id=consulate.id, name=f"Console {n}", email=email)
        db_session.add(representative)
        db_session.flush()
        overrides.setdefault("representative_id", representative.id)
    return accounts_service.create(email, role=Role(role), db_session=db_session, **overrides)


# B2B meetings (issue 6): companies, representatives and their stop rows, made directly.


def b2b_company(db_session: Session, *, sectors: tuple[str, ...] = ("aerospace",), **overrides: Any) -> Any:
    from app.companies.models import Company, CompanySector

    n = _next()
    values: dict[str, Any] = {
        "name": f"Azienda {n} S.r.l.",
        "vat_number": f"{n:011d}",
        "province_code": "VA",
        "size_class": "small",
        "website": f"https://azienda{n}.example.org",
        "export_share": 40,
        "contact_name": f"Contatto {n}",
        "contact_email": f"company{n}@example.org",
        "language": "it",
    }
    values.update(overrides)
    company = Company(**values)
    db_session.add(company)
    db_session.flush()
    for slug in sectors:
        db_session.add(CompanySector(company_id=company.id, sector_slug=slug))
    db_session.flush()
    return company


def b2b_registration(db_session: Session, stop: Stop, *, status: str = "confirmed", **company: Any) -> Any:
    """A company (made here unless ``company=`` is given) registered for ``stop``."""
    from app.companies.models import Registration, RegistrationStatus

    existing = company.pop("company", None)
    row = existing or b2b_company(db_session, **company)
    registration = Registration(stop_id=stop.id, company_id=row.id, status=RegistrationStatus(status))
    db_session.add(registration)
    db_session.flush()
    return registration


def b2b_invitation(
    db_session: Session, stop: Stop, *, country: str = "US", status: str = "confirmed", **overrides: Any
) -> Any:
    """A representative of ``country`` (with a consulate of their own) invited to ``stop``."""
    from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative

    n = _next()
    consulate = Consulate(
        country_code=country, kind="consulate_general", name_it=f"Consolato {n}", name_en=f"Consulate {n}"
    )
    db_session.add(consulate)
    db_session.flush()
    representative = Representative(
        consulate_id=consulate.id,
        name=overrides.pop("name", f"Consul {n}"),
        email=overrides.pop("email", f"consul{n}@example.org"),
        preferred_language=overrides.pop("preferred_language", "en"),
    )
    db_session.add(representative)
    db_session.flush()
    invitation = Invitation(
        stop_id=stop.id,
        representative_id=representative.id,
        country_code=country,
        status=InvitationStatus(status),
        **overrides,
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation


def b2b_company_user(db_session: Session, registration: Any) -> User:
    return create_user(db_session, role="company", password=None, company_id=registration.company_id)


def b2b_consul_user(db_session: Session, invitation: Any) -> User:
    return create_user(
        db_session, role="consul", password=None, representative_id=invitation.representative_id
    )


def b2b_request(
    db_session: Session,
    registration: Any,
    invitation: Any,
    *,
    priority: str = "medium",
    status: str = "accepted",
) -> Any:
    from app.matching.models import MeetingRequest, RequestPriority, RequestStatus

    request = MeetingRequest(
        stop_id=registration.stop_id,
        registration_id=registration.id,
        invitation_id=invitation.id,
        priority=RequestPriority(priority),
        goal="Find a distributor",
        status=RequestStatus(status),
    )
    db_session.add(request)
    db_session.flush()
    return request


# --- agenda, check-in and results (issue 8) ---


def agenda_representative(db_session: Session, *, country: str = "US", **overrides: Any) -> Any:
    """A representative of the seeded consulate of ``country``."""
    from sqlmodel import select

    from app.consuls.models import Consulate, Representative

    consulate = db_session.exec(select(Consulate).where(Consulate.country_code == country)).first()
    assert consulate is not None, f"no seeded consulate for {country}"
    n = _next()
    values: dict[str, Any] = {
        "name": f"Consul {country} {n}",
        "title": "Consul",
        "email": f"rep{n}@consulates.test",
    }
    values.update(overrides)
    rep = Representative(consulate_id=consulate.id, **values)
    db_session.add(rep)
    db_session.flush()
    return rep


def agenda_invitation(
    db_session: Session,
    stop: Stop,
    representative: Any,
    *,
    status: str = "confirmed",
    country: str | None = None,
) -> Any:
    from app.consuls.models import Consulate, Invitation

    consulate = db_session.get(Consulate, representative.consulate_id)
    assert consulate is not None
    invitation = Invitation(
        stop_id=stop.id,
        representative_id=representative.id,
        country_code=country or consulate.country_code,
        status=status,
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation


def agenda_company(db_session: Session, **overrides: Any) -> Any:
    from app.companies.models import Company

    n = _next()
    values: dict[str, Any] = {
        "name": f"Meccanica {n} S.r.l.",
        "vat_number": f"{n:011d}",
        "contact_email": f"company{n}@example.org",
        "province_code": "VA",
        "size_class": "small",
    }
    values.update(overrides)
    company = Company(**values)
    db_session.add(company)
    db_session.flush()
    return company


def agenda_registration(
    db_session: Session,
    stop: Stop,
    company: Any = None,
    *,
    status: str = "confirmed",
    attendees: tuple[str, ...] = ("Anna Rossi",),
    **overrides: Any,
) -> Any:
    from app.companies.models import Attendee, Registration

    company = company or agenda_company(db_session)
    registration = Registration(stop_id=stop.id, company_id=company.id, status=status, **overrides)
    db_session.add(registration)
    db_session.flush()
    for name in attendees:
        email = name.lower().replace(" ", ".") + f"{_next()}@example.org"
        db_session.add(Attendee(registration_id=registration.id, name=name, email=email))
    db_session.flush()
    return registration


def agenda_attendees(db_session: Session, registration: Any) -> list[Any]:
    from sqlmodel import select

    from app.companies.models import Attendee

    return list(db_session.exec(select(Attendee).where(Attendee.registration_id == registration.id)))


def agenda_meeting(
    db_session: Session, registration: Any, invitation: Any, *, slot_index: int = 0, table_number: int = 1
) -> Any:
    from app.matching.models import Meeting, MeetingRequest

    request = MeetingRequest(
        stop_id=registration.stop_id,
        registration_id=registration.id,
        invitation_id=invitation.id,
        status="accepted",
    )
    db_session.add(request)
    db_session.flush()
    meeting = Meeting(
        stop_id=registration.stop_id, request_id=request.id, slot_index=slot_index, table_number=table_number
    )
    db_session.add(meeting)
    db_session.flush()
    return meeting


def agenda_item(
    db_session: Session,
    stop: Stop,
    *,
    kind: str = "keynote",
    starts_at: time = time(10, 0),
    ends_at: time = time(10, 30),
    room: str = "Sala plenaria",
    **overrides: Any,
) -> Any:
    from app.agenda.models import AgendaItem

    values: dict[str, Any] = {"title_it": f"Intervento {kind}", "title_en": f"Talk {kind}"}
    values.update(overrides)
    item = AgendaItem(stop_id=stop.id, kind=kind, starts_at=starts_at, ends_at=ends_at, room=room, **values)
    db_session.add(item)
    db_session.flush()
    return item


def vat_number(n: int | None = None) -> str:
    """A valid Italian VAT number (partita IVA), different for each call unless ``n`` is given."""
    from stdnum import luhn

    serial = (n if n is not None else _next()) % (10**7 - 1) + 1
    body = f"{serial:07d}015"  # 015: the provincial office of Milan
    return body + luhn.calc_check_digit(body)


def create_company(db_session: Session, **overrides: Any) -> Any:
    """A company with a valid VAT number, in Milan, interested in aerospace."""
    from app.companies import profiles

    n = _next()
    data = profiles.CompanyData(
        name=overrides.pop("name", f"Azienda di prova {n} S.r.l."),
        vat_number=overrides.pop("vat_number", vat_number(n)),
        contact_email=overrides.pop("contact_email", f"contatto{n}@azienda{n}.it"),
        province=overrides.pop("province", "MI"),
        size_class=overrides.pop("size_class", "small"),
        sectors=overrides.pop("sectors", ["aerospace"]),
        contact_name=overrides.pop("contact_name", f"Maria Rossi {n}"),
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    company, _created = profiles.find_or_create(
        profiles.validate(data, db_session=db_session), db_session=db_session
    )
    return company


def create_registration(
    db_session: Session, stop: Stop, company: Any = None, *, by: User | None = None, **overrides: Any
) -> Any:
    """A registration made through the service (an organiser's by default: confirmed at once)."""
    from app.companies import registrations

    company = company or create_company(db_session)
    if by is None and overrides.pop("public", False) is False:
        by = create_user(db_session, role="organiser")
    data = registrations.RegistrationData(
        attendees=overrides.pop("attendees", 1),
        countries=overrides.pop("countries", []),
        privacy_accepted=True,
    )
    return registrations.register(company, stop.id or 0, data, db_session=db_session, by=by)


def outbox(db_session: Session, to: str | None = None) -> list[Any]:
    """Emails queued so far (to one address, if given), oldest first."""
    from sqlmodel import col, select

    from app.notifications.models import OutboxMessage

    query = select(OutboxMessage).order_by(col(OutboxMessage.id))
    if to is not None:
        query = query.where(OutboxMessage.to_address == to)
    return list(db_session.exec(query))
