"""A roadshow crowded with the longest names people really have, for checking layouts.

Companies called "Officine Meccaniche di Precisione ... Società per Azioni", contact addresses of
seventy characters, consulates with their full official names, goals of a few sentences, a B2B
grid of many tables, an agenda with speakers: what makes a table too wide for a phone.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlmodel import Session

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from app.agenda.models import AgendaItemKind
from app.companies.models import Company, Registration, RegistrationStatus
from app.consuls.models import ConsulateKind, Invitation, InvitationStatus, Representative
from app.matching.models import RequestPriority, RequestStatus
from app.notifications.models import OutboxMessage
from app.stops.models import PublicationStatus, Stop, StopStatus
from tests.factories import (
    PASSWORD,
    attendees_of,
    create_agenda_item,
    create_agenda_speaker,
    create_company,
    create_consulate,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_representative,
    create_stop,
)

COUNTRIES = ("US", "DE", "AE", "SA", "IN", "CN", "BR", "CA")
COMPANY_NAMES = (
    "Officine Meccaniche di Precisione Brambilla & Figli Società per Azioni Unipersonale",
    "Costruzioni Elettromeccaniche Lombarde Internazionali S.r.l. Società Benefit",
    "Fonderia Artistica e Industriale della Brianza e del Lago di Como S.p.A.",
    "Laboratorio Farmaceutico Interdisciplinare Bergamasco Società Cooperativa",
    "Tessitura Serica Comasca Antonio Castelli e Nipoti Società in Accomandita Semplice",
    "Impianti Oleodinamici Valtellinesi S.r.l.",
)
CONSULATE_NAMES = {
    "US": (
        "Consolato generale degli Stati Uniti d'America a Milano",
        "Consulate General of the United States of America in Milan",
    ),
    "DE": (
        "Generalkonsulat der Bundesrepublik Deutschland Mailand",
        "Consulate General of the Federal Republic of Germany",
    ),
    "AE": (
        "Consolato generale degli Emirati Arabi Uniti a Milano",
        "Consulate General of the United Arab Emirates in Milan",
    ),
    "SA": (
        "Consolato generale del Regno dell'Arabia Saudita",
        "Consulate General of the Kingdom of Saudi Arabia",
    ),
}
GOAL = (
    "Trovare un distributore esclusivo per le valvole oleodinamiche ad alta pressione nel mercato "
    "nordamericano, con assistenza tecnica post-vendita e magazzino ricambi locale."
)


@dataclass
class Crowd:
    stop_id: int
    stop_date: date
    held_stop_id: int
    consulate_id: int
    attendee_id: int
    organiser: str
    company: str
    consul: str


def _long_email(n: int, person: str) -> str:
    return f"{person}.ufficio-commerciale-estero{n}@officinemeccanicheprecisionebrambilla.example.it"


def _companies(db_session: Session) -> list[Company]:
    companies = []
    for n, name in enumerate(COMPANY_NAMES):
        companies.append(
            create_company(
                db_session,
                name=name,
                contact_email=_long_email(n, "direzione"),
                contact_name="Maria Vittoria Bianchi Castiglioni Sforza",
                sectors=("mechanics", "aerospace"),
            )
        )
    return companies


def _consuls(db_session: Session, stop: Stop) -> list[Invitation]:
    invitations = []
    for n, (code, (name_it, name_en)) in enumerate(CONSULATE_NAMES.items()):
        consulate = create_consulate(
            db_session, country=code, kind=ConsulateKind.CONSULATE_GENERAL, name_it=name_it, name_en=name_en
        )
        person = create_representative(
            db_session,
            consulate=consulate,
            name=f"Alexandra Konstantinopoulou-Whitfield {n}",
            title="Deputy Consul General for Economic and Commercial Affairs",
            email=f"economic.commercial.section{n}@consulate-general-milan.example.gov",
        )
        status = InvitationStatus.DECLINED if n == 3 else InvitationStatus.CONFIRMED
        invitations.append(
            Invitation(
                stop_id=stop.id or 0,
                representative_id=person.id or 0,
                country_code=code,
                status=status,
                answered_at=clock.now(),
            )
        )
        db_session.add(invitations[-1])
    db_session.flush()
    return invitations


def _registrations(db_session: Session, stop: Stop, companies: list[Company]) -> list[Registration]:
    registrations = []
    statuses = [RegistrationStatus.CONFIRMED] * 4 + [
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITLISTED,
    ]
    for n, (company, status) in enumerate(zip(companies, statuses, strict=True)):
        extra = {"waitlist_position": 1} if status == RegistrationStatus.WAITLISTED else {}
        registrations.append(
            create_registration(
                db_session,
                stop,
                company,
                status=status,
                attendees=[
                    f"Giovanni Battista Montecuccoli degli Erri {n}",
                    f"Anna Maria Lucrezia Visconti {n}",
                ],
                countries=COUNTRIES[:5],
                note="Interessati soprattutto agli incontri con gli Stati Uniti e con la Germania.",
                confirmed_at=clock.now(),
                email_verified_at=clock.now(),
                **extra,
            )
        )
    return registrations


def _agenda(db_session: Session, stop: Stop, invitation: Invitation) -> None:
    items = (
        (
            AgendaItemKind.WELCOME,
            time(9, 30),
            time(10, 0),
            "Saluti istituzionali del Presidente della Camera di Commercio",
        ),
        (
            AgendaItemKind.COUNTRY_PRESENTATION,
            time(10, 0),
            time(10, 45),
            "Opportunità per la meccanica di precisione negli Stati Uniti",
        ),
        (
            AgendaItemKind.B2B_BLOCK,
            time(14, 0),
            time(16, 0),
            "Incontri bilaterali con le rappresentanze consolari",
        ),
    )
    for kind, starts_at, ends_at, title in items:
        item = create_agenda_item(
            db_session,
            stop,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            title_it=title,
            title_en=title,
            room="Sala conferenze Alessandro Volta, primo piano",
        )
        if kind == AgendaItemKind.COUNTRY_PRESENTATION:
            create_agenda_speaker(db_session, item, representative_id=invitation.representative_id)
            create_agenda_speaker(
                db_session,
                item,
                name="Carlo Alberto Dalla Chiesa Ferrari",
                affiliation="Confindustria Lombardia",
            )


def _meetings(db_session: Session, registrations: list[Registration], invitations: list[Invitation]) -> None:
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    for r_index, registration in enumerate(confirmed):
        for i_index, invitation in enumerate(invitations[:3]):
            pending = r_index == 3 and i_index == 0
            request = create_meeting_request(
                db_session,
                registration,
                invitation,
                priority=(RequestPriority.HIGH, RequestPriority.MEDIUM, RequestPriority.LOW)[i_index],
                status=RequestStatus.PENDING if pending else RequestStatus.ACCEPTED,
                goal=GOAL,
            )
            if not pending:
                create_meeting(db_session, request, slot_index=r_index + i_index, table_number=i_index + 1)


def _held_stop(db_session: Session, companies: list[Company]) -> Stop:
    stop = create_stop(
        db_session,
        countries=COUNTRIES[:3],
        slug="held-crowded",
        title_it="Energia e transizione ecologica nelle valli bergamasche e bresciane",
        title_en="Energy and the ecological transition in the valleys of Bergamo and Brescia",
        stop_date=clock.today() - timedelta(days=40),
        status=StopStatus.CLOSED,
    )
    for company in companies[:3]:
        registration = create_registration(
            db_session, stop, company, status=RegistrationStatus.CONFIRMED, attendees=["Luca Brambilla"]
        )
        for person in attendees_of(db_session, registration):
            person.checked_in_at = clock.now() - timedelta(days=40)
            db_session.add(person)
    db_session.flush()
    return stop


def _outbox(db_session: Session, to: str) -> None:
    db_session.add(
        OutboxMessage(
            to_address=to,
            subject="Iscrizione confermata: Meccanica di precisione e automazione industriale a Lecco e Sondrio",
            body_text="Gentile Maria,\nla sua iscrizione è confermata.\nhttp://127.0.0.1:8000/my/registrations/1\n",
            template="registration_confirmed",
        )
    )


def build(db_session: Session) -> Crowd:
    """Write the crowd; companies and consuls sign in by link, the organiser (an admin, to see
    every back-office page) with ``PASSWORD``."""
    organiser: User = accounts_service.create(
        "organiser.with.a.rather.long.address@confindustria-lombardia.example.it",
        role=Role.ADMIN,
        password=PASSWORD,
        db_session=db_session,
    )
    stop = create_stop(
        db_session,
        countries=COUNTRIES,
        slug="crowded-lecco",
        title_it="Meccanica di precisione e automazione industriale a Lecco e Sondrio",
        title_en="Precision mechanics and industrial automation in Lecco and Sondrio",
        sector_slug="mechanics",
        territory_code="LC",
        city="Lecco",
        venue="Polo territoriale di Lecco del Politecnico di Milano",
        venue_address="Via Gaetano Previati 1/c, 23900 Lecco LC",
        stop_date=clock.today() + timedelta(days=20),
        capacity=6,
        b2b_first_slot=time(14, 0),
        b2b_slot_minutes=20,
        b2b_slot_count=6,
        b2b_tables=6,
        schedule_status=PublicationStatus.PUBLISHED,
        agenda_status=PublicationStatus.PUBLISHED,
    )
    companies = _companies(db_session)
    invitations = _consuls(db_session, stop)
    registrations = _registrations(db_session, stop, companies)
    _agenda(db_session, stop, invitations[0])
    _meetings(db_session, registrations, invitations)
    held = _held_stop(db_session, companies)
    company_user = accounts_service.create(
        companies[0].contact_email, role=Role.COMPANY, company_id=companies[0].id, db_session=db_session
    )
    consul = db_session.get(Representative, invitations[0].representative_id)
    assert consul is not None
    consul_user = accounts_service.create(
        consul.email, role=Role.CONSUL, representative_id=consul.id, db_session=db_session
    )
    _outbox(db_session, companies[0].contact_email)
    return Crowd(
        stop_id=stop.id or 0,
        stop_date=stop.stop_date,
        held_stop_id=held.id or 0,
        consulate_id=consul.consulate_id,
        attendee_id=attendees_of(db_session, registrations[0])[0].id or 0,
        organiser=organiser.email,
        company=company_user.email,
        consul=consul_user.email,
    )
