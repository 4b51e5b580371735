"""A realistic data set for the load benchmark: 30 stops, 3,000 companies, 10,000 registrations,
consuls invited to every stop, accepted meeting requests and scheduled meetings."""

import random
from datetime import date, time, timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session, select
from stdnum import luhn

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from app.companies.models import Attendee, Company, Registration, RegistrationStatus, SizeClass
from app.companies.registrations import PRIVACY_VERSION
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.matching.models import Meeting, MeetingRequest, RequestPriority, RequestStatus
from app.reference.models import Sector, Territory
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus

ORGANISER_EMAIL = "bench-organiser@example.org"
ORGANISER_PASSWORD = "benchmark-password-1"
COMPANY_EMAIL = "bench-company@example.org"
CONSUL_EMAIL = "consul@bench.example.org"
COUNTRIES = ["US", "DE", "IN", "AE", "FR", "CA", "BR", "ES", "CN", "SA"]
PROVINCES = ["BG", "BS", "CO", "CR", "LC", "LO", "MN", "MI", "MB", "PV", "SO", "VA", None]


def vat(n: int) -> str:
    base = f"{n:07d}" + "099"
    return base + luhn.calc_check_digit(base)


def analyze(engine: Engine) -> None:
    """Planner statistics for the filled tables, as autovacuum gathers them in production: the
    machines here run PostgreSQL with autovacuum off, and a database filled moments ago had none."""
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def populate(
    db_session: Session,
    *,
    stops: int = 30,
    companies: int = 3000,
    registrations: int = 10000,
    seed: int = 1,
    busy_first_stop: bool = False,
) -> dict[str, int]:
    """Fill the database; ``busy_first_stop`` gives the first stop a full B2B day instead:
    every representative invited, 40 slots at 18 tables, 720 meetings."""
    rng = random.Random(seed)
    sectors = [s.slug for s in db_session.exec(select(Sector).order_by(Sector.position))]
    territories = [t.code for t in db_session.exec(select(Territory))]
    stop_rows = []
    first = date(2027, 1, 12)
    for i in range(stops):
        stop = Stop(
            slug=f"bench-{i:02d}",
            title_it=f"Tappa di carico {i}",
            title_en=f"Load stop {i}",
            sector_slug=sectors[i % len(sectors)],
            territory_code=territories[i % len(territories)],
            city="Milano",
            venue="Sede Assolombarda",
            stop_date=first + timedelta(days=14 * i),
            capacity=300,
            status=StopStatus.PUBLISHED,
            b2b_first_slot=time(14, 0),
            b2b_slot_count=8,
            b2b_tables=10,
            schedule_status=PublicationStatus.PUBLISHED,
        )
        db_session.add(stop)
        stop_rows.append(stop)
    db_session.flush()
    featured: dict[int, list[str]] = {}
    for stop in stop_rows:
        featured[stop.id] = rng.sample(COUNTRIES, 4)  # type: ignore[index]
    if busy_first_stop:
        featured[stop_rows[0].id] = list(COUNTRIES)  # type: ignore[index]
    for stop in stop_rows:
        for position, code in enumerate(featured[stop.id]):  # type: ignore[index]
            db_session.add(StopCountry(stop_id=stop.id, country_code=code, position=position))  # type: ignore[arg-type]
    company_rows = [
        Company(
            name=f"Azienda di carico {n} S.r.l.",
            vat_number=vat(n),
            province_code=rng.choice(PROVINCES),
            size_class=rng.choice(list(SizeClass)),
            contact_name=f"Referente {n}",
            contact_email=COMPANY_EMAIL if n == 1 else f"company{n}@bench.example.org",
            export_share=rng.randint(0, 90),
        )
        for n in range(1, companies + 1)
    ]
    db_session.add_all(company_rows)
    db_session.flush()
    # Spread registrations so that every stop fills and keeps a waiting list.
    pairs = {(company_rows[0].id, stop_rows[0].id)}
    while len(pairs) < registrations:
        pairs.add((rng.choice(company_rows).id, rng.choice(stop_rows).id))
    per_stop: dict[int, int] = {}
    registered_at = clock.now() - timedelta(days=3)
    registration_rows = []
    for company_id, stop_id in sorted(pairs, key=lambda p: (p[1], p[0] != company_rows[0].id)):
        count = per_stop.get(stop_id, 0) + 1  # type: ignore[arg-type]
        per_stop[stop_id] = count  # type: ignore[index]
        confirmed = count <= 300
        # As the public form leaves them once the contact has followed the emailed link.
        registration = Registration(
            stop_id=stop_id,  # type: ignore[arg-type]
            company_id=company_id,  # type: ignore[arg-type]
            status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
            waitlist_position=None if confirmed else count - 300,
            attendee_count=1,
            privacy_version=PRIVACY_VERSION,
            privacy_accepted_at=registered_at,
            email_verified_at=registered_at,
            confirmed_at=registered_at if confirmed else None,
        )
        registration_rows.append(registration)
    db_session.add_all(registration_rows)
    db_session.flush()
    db_session.add_all(
        Attendee(registration_id=r.id, name=f"Persona {r.id}", email=f"person{r.id}@bench.example.org")  # type: ignore[arg-type]
        for r in registration_rows
    )
    representatives = {
        consulate.country_code: db_session.exec(
            select(Representative).where(Representative.consulate_id == consulate.id)
        ).first()
        for consulate in db_session.exec(select(Consulate))
    }
    meetings = 0
    for stop in stop_rows:
        if busy_first_stop and stop is stop_rows[0]:
            meetings += _busy_day(db_session, stop, registration_rows)
            continue
        invitations = []
        for code in featured[stop.id]:  # type: ignore[index]
            rep = representatives[code]
            assert rep is not None
            invitation = Invitation(
                stop_id=stop.id,
                representative_id=rep.id,
                country_code=code,
                status=InvitationStatus.CONFIRMED,  # type: ignore[arg-type]
            )
            db_session.add(invitation)
            invitations.append(invitation)
        db_session.flush()
        confirmed = [
            r for r in registration_rows if r.stop_id == stop.id and r.status == RegistrationStatus.CONFIRMED
        ]
        for table, invitation in enumerate(invitations, start=1):
            for slot, registration in enumerate(confirmed[table - 1 :: len(invitations)][:8]):
                request = MeetingRequest(
                    stop_id=stop.id,  # type: ignore[arg-type]
                    registration_id=registration.id,  # type: ignore[arg-type]
                    invitation_id=invitation.id,  # type: ignore[arg-type]
                    priority=RequestPriority.HIGH,
                    status=RequestStatus.ACCEPTED,
                )
                db_session.add(request)
                db_session.flush()
                db_session.add(
                    Meeting(stop_id=stop.id, request_id=request.id, slot_index=slot, table_number=table)  # type: ignore[arg-type]
                )
                meetings += 1
    organiser = accounts_service.create(
        ORGANISER_EMAIL, role=Role.ORGANISER, password=ORGANISER_PASSWORD, db_session=db_session
    )
    company_user = User(email=COMPANY_EMAIL, role=Role.COMPANY, company_id=company_rows[0].id)
    db_session.add(company_user)
    first_consul = representatives[featured[stop_rows[0].id][0]]  # type: ignore[index]
    assert first_consul is not None
    consul_user = User(email=CONSUL_EMAIL, role=Role.CONSUL, representative_id=first_consul.id)
    db_session.add(consul_user)
    db_session.flush()
    return {
        "stops": len(stop_rows),
        "companies": len(company_rows),
        "registrations": len(registration_rows),
        "meetings": meetings,
        "first_stop_id": stop_rows[0].id or 0,
        "organiser_id": organiser.id or 0,
        "company_user_id": company_user.id or 0,
        "consul_user_id": consul_user.id or 0,
    }


BUSY_SLOTS, BUSY_TABLES = 40, 18


def _busy_day(db_session: Session, stop: Stop, registration_rows: list[Registration]) -> int:
    """A B2B day as full as the organisers' pages will see: one table per representative (18 of
    the seed's 19), 40 slots each, every company meeting a representative at most once."""
    stop.b2b_first_slot, stop.b2b_slot_minutes = time(9, 0), 10
    stop.b2b_slot_count, stop.b2b_tables = BUSY_SLOTS, BUSY_TABLES
    db_session.add(stop)
    people = list(db_session.exec(select(Representative, Consulate).join(Consulate)))[:BUSY_TABLES]
    invitations = [
        Invitation(
            stop_id=stop.id,  # type: ignore[arg-type]
            representative_id=rep.id,  # type: ignore[arg-type]
            country_code=consulate.country_code,
            status=InvitationStatus.CONFIRMED,
        )
        for rep, consulate in people
    ]
    db_session.add_all(invitations)
    db_session.flush()
    confirmed = [
        r for r in registration_rows if r.stop_id == stop.id and r.status == RegistrationStatus.CONFIRMED
    ]
    requests = []
    for slot in range(BUSY_SLOTS):
        for table, invitation in enumerate(invitations):
            # 18 consecutive companies per slot; a company meets a table again only 50 slots on.
            registration = confirmed[(slot * BUSY_TABLES + table) % len(confirmed)]
            requests.append(
                (
                    slot,
                    table + 1,
                    MeetingRequest(
                        stop_id=stop.id,  # type: ignore[arg-type]
                        registration_id=registration.id,  # type: ignore[arg-type]
                        invitation_id=invitation.id,  # type: ignore[arg-type]
                        priority=RequestPriority.HIGH,
                        status=RequestStatus.ACCEPTED,
                    ),
                )
            )
    db_session.add_all(request for _, _, request in requests)
    db_session.flush()
    db_session.add_all(
        Meeting(stop_id=stop.id, request_id=request.id, slot_index=slot, table_number=table)  # type: ignore[arg-type]
        for slot, table, request in requests
    )
    return len(requests)
