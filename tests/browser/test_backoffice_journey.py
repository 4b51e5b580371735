"""An organiser takes a stop from draft to published, moves it, and cancels it."""

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.companies.models import Company, Registration, RegistrationStatus
from app.db import make_engine, session_scope
from app.notifications.models import OutboxMessage
from app.stops.models import Stop
from tests.browser.conftest import LiveServer

PASSWORD = "correct horse battery"


def test_organiser_publishes_moves_and_cancels_a_stop(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        accounts_service.create(
            "journey@example.org", role=Role.ORGANISER, password=PASSWORD, db_session=db_session
        )
    day = date.today() + timedelta(days=200)

    page.goto(live_server.url + "/login?next=/manage")
    page.get_by_label("Email").fill("journey@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cruscotto")
    page.screenshot(path=str(artifacts / "backoffice-dashboard.png"), full_page=True)

    page.get_by_role("navigation", name="Area organizzatori").get_by_role("link", name="Tappe").click()
    page.get_by_role("link", name="Nuova tappa").first.click()
    page.get_by_label("Titolo in italiano").fill("Tessile tecnico a Lecco")
    page.get_by_label("Titolo in inglese").fill("Technical textiles in Lecco")
    page.get_by_label("Settore").select_option("technical-textiles")
    page.get_by_label("Provincia").select_option("LC")
    page.get_by_label("Città").fill("Lecco")
    page.get_by_role("textbox", name="Sede", exact=True).fill("Palazzo delle Paure")
    page.get_by_label("Indirizzo della sede").fill("Piazza XX Settembre 22, 23900 Lecco")
    page.get_by_label(re.compile(r"^Data\b")).fill(day.isoformat())
    page.get_by_label("Capienza (imprese)").fill("40")
    page.get_by_label("Francia").check()
    page.get_by_label("Germania").check()
    page.screenshot(path=str(artifacts / "backoffice-new-stop.png"), full_page=True)
    page.get_by_role("button", name="Crea come bozza").click()

    expect(page.get_by_role("status")).to_contain_text("creata come bozza")
    expect(page.locator(".badge")).to_have_text("Bozza")
    stop_url = page.url.split("?")[0]
    stop_id = int(stop_url.rsplit("/", 1)[1])
    page.get_by_role("button", name="Pubblica").click()
    expect(page.get_by_role("status")).to_contain_text("è nel calendario pubblico")
    page.screenshot(path=str(artifacts / "backoffice-published.png"), full_page=True)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Tessile tecnico a Lecco")).to_be_visible()

    with session_scope(engine) as db_session:
        company = Company(
            name="Filati Lariani S.p.A.",
            vat_number="01234567890",
            contact_email="export@filati.example",
            language="en",
        )
        db_session.add(company)
        db_session.flush()
        db_session.add(
            Registration(stop_id=stop_id, company_id=company.id, status=RegistrationStatus.CONFIRMED)
        )

    page.goto(stop_url + "/edit")
    expect(page.get_by_role("note")).to_contain_text("1 persona iscritta o invitata verrà avvisata")
    page.get_by_role("textbox", name="Sede", exact=True).fill("Politecnico di Milano, Polo di Lecco")
    page.get_by_role("button", name="Salva le modifiche").click()
    expect(page.get_by_role("status")).to_contain_text("Le modifiche sono state salvate")
    with session_scope(engine) as db_session:
        (message,) = db_session.exec(
            select(OutboxMessage).where(OutboxMessage.to_address == "export@filati.example")
        ).all()
        assert message.language == "en" and message.template == "stops/emails/stop_changed"
        assert "Palazzo delle Paure → Politecnico di Milano, Polo di Lecco" in message.body_text

    page.get_by_role("link", name="Annulla la tappa…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annulla la tappa")
    page.get_by_label("Motivo, comunicato alle persone interessate (facoltativo)").fill(
        "Sede non disponibile"
    )
    page.screenshot(path=str(artifacts / "backoffice-cancel.png"), full_page=True)
    page.get_by_role("button", name="Annulla la tappa").click()
    expect(page.locator(".badge")).to_have_text("Annullata")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Tessile tecnico a Lecco")).to_have_count(0)
    page.goto(f"{live_server.url}/stops/{stop_id}")
    expect(page.get_by_role("status")).to_contain_text("Questa tappa è stata annullata.")
    page.screenshot(path=str(artifacts / "backoffice-cancelled-public.png"), full_page=True)
    with session_scope(engine) as db_session:
        stop = db_session.get(Stop, stop_id)
        assert stop is not None and stop.status == "cancelled"
        registration = db_session.exec(select(Registration).where(Registration.stop_id == stop_id)).one()
        assert registration.status == RegistrationStatus.CANCELLED and registration.cancelled_at is not None
        templates = db_session.exec(
            select(OutboxMessage.template).where(OutboxMessage.to_address == "export@filati.example")
        ).all()
        assert sorted(templates) == ["stops/emails/stop_cancelled", "stops/emails/stop_changed"]
    engine.dispose()
