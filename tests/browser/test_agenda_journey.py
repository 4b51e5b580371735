"""An organiser builds and publishes a stop's agenda; a company opens its personal agenda and
feed; staff check a person in by their code; the printed agenda and the dashboard are kept."""

import re
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import text
from sqlmodel import select

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.accounts.service import Signer
from app.checkin.service import checkin_token
from app.companies.models import Attendee, Company, Registration
from app.config import DEVELOPMENT_SECRET
from app.consuls.models import Consulate, Invitation, Representative
from app.db import make_engine, session_scope
from app.matching.models import Meeting, MeetingRequest
from app.stops.models import Stop, StopCountry
from app.web import SESSION_COOKIE
from tests.browser.conftest import LiveServer

PASSWORD = "a long organiser password"


def prepare(live_server: LiveServer) -> dict[str, int]:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db:
        stop = Stop(
            slug="agenda-journey",
            title_it="Roadshow – Aerospazio a Gallarate",
            title_en="Roadshow – Aerospace in Gallarate",
            sector_slug="aerospace",
            territory_code="VA",
            city="Gallarate",
            venue="MA*GA",
            venue_address="Via E. De Magri 1",
            stop_date=date(2027, 6, 16),
            start_time=time(9, 30),
            end_time=time(17, 30),
            capacity=60,
            status="published",
            b2b_first_slot=time(14, 30),
            b2b_slot_minutes=20,
            b2b_slot_count=6,
            b2b_tables=8,
            schedule_status="published",
        )
        db.add(stop)
        db.flush()
        for position, code in enumerate(("US", "DE")):
            db.add(StopCountry(stop_id=stop.id, country_code=code, position=position))
        consulate = db.exec(select(Consulate).where(Consulate.country_code == "US")).one()
        rep = db.exec(select(Representative).where(Representative.consulate_id == consulate.id)).first()
        assert rep is not None
        invitation = Invitation(
            stop_id=stop.id, representative_id=rep.id, country_code="US", status="confirmed"
        )
        company = Company(
            name="Avio Componenti S.r.l.",
            vat_number="09876543210",
            contact_email="info@avio.example",
            province_code="VA",
            size_class="medium",
        )
        db.add_all([invitation, company])
        db.flush()
        registration = Registration(stop_id=stop.id, company_id=company.id, status="confirmed")
        db.add(registration)
        db.flush()
        attendee = Attendee(registration_id=registration.id, name="Giulia Conti", email="giulia@avio.example")
        request = MeetingRequest(
            stop_id=stop.id, registration_id=registration.id, invitation_id=invitation.id, status="accepted"
        )
        db.add_all([attendee, request])
        db.flush()
        db.add(Meeting(stop_id=stop.id, request_id=request.id, slot_index=1, table_number=3))
        accounts_service.create(
            "organiser.agenda@example.org", role=Role.ORGANISER, password=PASSWORD, db_session=db
        )
        company_user = accounts_service.create(
            "giulia@avio.example", role=Role.COMPANY, company_id=company.id, db_session=db
        )
        ids = {"stop": stop.id, "attendee": attendee.id, "company_user": company_user.id, "rep": rep.id}
    engine.dispose()
    return ids  # type: ignore[return-value]


@pytest.fixture
def journey_data(live_server: LiveServer) -> Iterator[dict[str, int]]:
    """The journey's rows, removed afterwards (the live server is shared with other journeys).

    The organiser stays: the audit log keeps pointing at who published the agenda.
    """
    ids = prepare(live_server)
    yield ids
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db:
        stop_filter = {"stop": ids["stop"]}
        for statement in (
            "DELETE FROM meeting WHERE stop_id = :stop",
            "DELETE FROM meeting_request WHERE stop_id = :stop",
            "DELETE FROM attendee WHERE registration_id IN (SELECT id FROM registration WHERE stop_id = :stop)",
            "DELETE FROM user_account WHERE company_id IN (SELECT company_id FROM registration WHERE stop_id = :stop)",
            "DELETE FROM registration WHERE stop_id = :stop",
            "DELETE FROM company WHERE vat_number = '09876543210'",
            "DELETE FROM invitation WHERE stop_id = :stop",
            "DELETE FROM agenda_speaker WHERE item_id IN (SELECT id FROM agenda_item WHERE stop_id = :stop)",
            "DELETE FROM agenda_item WHERE stop_id = :stop",
            "DELETE FROM stop_country WHERE stop_id = :stop",
            "DELETE FROM stop WHERE id = :stop",
        ):
            db.exec(text(statement), params=stop_filter)  # type: ignore[call-overload]
    engine.dispose()


def secret(live_server: LiveServer) -> str:
    return live_server.env.get("ROADSHOW_SECRET_KEY", DEVELOPMENT_SECRET)


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def test_organiser_publishes_an_agenda_company_reads_it_and_staff_check_a_person_in(
    page: Page, browser: Browser, live_server: LiveServer, artifacts: Path, journey_data: dict[str, int]
) -> None:
    ids = journey_data
    stop_id = ids["stop"]

    page.goto(f"{live_server.url}/manage/stops/{stop_id}/agenda")
    page.get_by_label("Email").fill("organiser.agenda@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Programma")

    page.get_by_label("Copia da").select_option("template")
    page.get_by_role("button", name="Sostituisci gli interventi attuali…").click()
    page.get_by_role("button", name="Sostituisci gli interventi attuali", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Il programma è stato sostituito")
    expect(page.locator(".agenda-table tbody tr")).to_have_count(8)

    # One more item, with a clash first: the message sits next to the room.
    page.get_by_label("Tipo").select_option("panel")
    page.get_by_label("Inizio").fill("10:00")
    page.get_by_label("Fine").fill("10:30")
    page.get_by_label("Sala", exact=True).fill("Sala plenaria")
    page.get_by_label("Titolo in italiano").fill("Tavola rotonda: filiere dell'aerospazio")
    page.get_by_label("Titolo in inglese").fill("Panel: aerospace supply chains")
    page.get_by_label("Relatore 1: nome").fill("Marco Ferri")
    page.get_by_label("Relatore 1: ruolo e organizzazione").fill("Presidente, Confindustria Varese")
    page.get_by_role("button", name="Aggiungi l'intervento").click()
    expect(page.locator("#field-room-error")).to_contain_text("Si sovrappone a")
    page.screenshot(path=str(artifacts / "agenda-builder-clash.png"), full_page=True)
    page.get_by_label("Sala", exact=True).fill("Sala B")
    page.get_by_label("Inizio").fill("11:10")
    page.get_by_label("Fine").fill("11:40")
    page.get_by_role("button", name="Aggiungi l'intervento").click()
    expect(page.get_by_role("status")).to_contain_text("L'intervento è stato aggiunto")
    expect(page.locator(".agenda-table tbody tr")).to_have_count(9)

    page.get_by_role("link", name="Pubblica il programma…").click()
    page.get_by_role("button", name="Pubblica il programma").click()
    expect(page.get_by_role("status")).to_contain_text("Il programma è pubblicato")
    page.screenshot(path=str(artifacts / "agenda-builder.png"), full_page=True)

    page.goto(f"{live_server.url}/stops/{stop_id}")
    expect(page.get_by_role("heading", name="Programma della giornata")).to_be_visible()
    expect(page.locator(".stop-agenda")).to_contain_text("Marco Ferri")
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "agenda-printed.png"), full_page=True)
    pdf = page.pdf(path=str(artifacts / "agenda-printed.pdf"), format="A4", print_background=True)
    assert pdf_pages(pdf) == 1, "a typical stop's agenda prints on one A4 page"
    page.emulate_media(media="screen")

    company = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    cookie = Signer(secret(live_server)).session_cookie(_user(live_server, ids["company_user"]))
    company.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": live_server.url}])
    mine = company.new_page()
    mine.goto(f"{live_server.url}/my/stops/{stop_id}/agenda")
    expect(mine.get_by_role("heading", level=1)).to_contain_text("La mia agenda")
    expect(mine.locator(".agenda-item.meeting")).to_contain_text("14:50–15:10")
    code = mine.get_by_role("img", name="Codice di accredito di Giulia Conti")
    expect(code).to_be_visible()
    assert code.evaluate("img => img.complete && img.naturalWidth > 100"), "the QR code image renders"
    mine.screenshot(path=str(artifacts / "agenda-personal.png"), full_page=True)
    feed = mine.request.get(f"{live_server.url}/my/stops/{stop_id}/agenda.ics")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert (
        "BEGIN:VCALENDAR" in body
        and "TZID=Europe/Rome" in body
        and "DTSTART;TZID=Europe/Rome:20270616T145000" in body
    )
    mine.goto(f"{live_server.url}/my/stops/{stop_id}/agenda/print")
    mine.emulate_media(media="print")
    mine.screenshot(path=str(artifacts / "agenda-personal-printed.png"), full_page=True)
    company.close()

    page.set_viewport_size({"width": 390, "height": 844})
    token = checkin_token(ids["attendee"], secret_key=secret(live_server))
    page.goto(f"{live_server.url}/checkin/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Giulia Conti")
    # The stop is weeks away: check-in opens early only after its warning.
    page.get_by_role("link", name="Apri l'accredito ora…").click()
    page.get_by_role("button", name="Apri l'accredito ora").click()
    page.goto(f"{live_server.url}/checkin/{token}")
    page.get_by_role("button", name="Accredita Giulia Conti").click()
    expect(page.locator("#last-arrival")).to_contain_text(
        "Giulia Conti (Avio Componenti S.r.l.): accredito registrato alle"
    )
    expect(page.locator(".counts")).to_contain_text("1")
    page.get_by_label("Nome, impresa o partita IVA").fill("09876543210")
    page.get_by_role("button", name="Cerca").click()
    expect(page.locator(".arrivals")).to_contain_text("Arrivato alle")
    page.screenshot(path=str(artifacts / "checkin-phone.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/manage/results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risultati del roadshow")
    expect(page.locator("svg.chart")).to_have_count(4)
    page.screenshot(path=str(artifacts / "results-dashboard.png"), full_page=True)
    download = page.request.get(f"{live_server.url}/manage/results/companies-by-province.csv")
    assert download.ok and "Imprese iscritte" in download.text()


def _user(live_server: LiveServer, user_id: int) -> object:
    from app.accounts.models import User

    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db:
        user = db.get(User, user_id)
    engine.dispose()
    return user
