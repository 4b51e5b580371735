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
