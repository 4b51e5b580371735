import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from app.companies.models import Company, Registration
from app.db import make_engine, session_scope
from app.notifications.models import OutboxMessage
from tests.browser.conftest import LiveServer
from tests.factories import create_stop, vat_number


def emails_to(live_server: LiveServer, address: str) -> list[OutboxMessage]:
    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db_session:
        query = (
            select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(col(OutboxMessage.id))
        )
        messages = list(db_session.exec(query))
    engine.dispose()
    return messages


def status_of(live_server: LiveServer, vat: str) -> tuple[str, int | None]:
    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db_session:
        registration = db_session.exec(
            select(Registration)
            .join(Company, col(Company.id) == col(Registration.company_id))
            .where(Company.vat_number == vat)
        ).one()
        result = (str(registration.status), registration.waitlist_position)
    engine.dispose()
    return result


def confirm_path(message: OutboxMessage) -> str:
    match = re.search(r"/registrations/confirm/[\w-]+", message.body_text)
    assert match, message.body_text
    return match.group(0)


def register(
    page: Page,
    live_server: LiveServer,
    stop_id: int,
    name: str,
    vat: str,
    email: str,
    shot: Path | None = None,
) -> None:
    page.goto(f"{live_server.url}/stops/{stop_id}")
    page.get_by_role("link", name=re.compile("Iscri")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iscrivi l'azienda")
    page.get_by_label("Ragione sociale").fill(name)
    page.get_by_label("Partita IVA").fill(vat)
    page.get_by_label("Provincia").select_option("VA")
    page.get_by_label("Nome", exact=True).fill("Chiara Colombo")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label("Partecipante 1: nome").fill("Chiara Colombo")
    page.get_by_label("Partecipante 1: email").fill(email)
    page.get_by_role("group", name="Paesi protagonisti che le interessano").get_by_label(
        "Stati Uniti"
    ).check()
    page.get_by_label(re.compile("Ho letto l'informativa")).check()
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)
    page.get_by_role("button", name="Invia l'iscrizione").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iscrizione ricevuta")


def test_company_registers_confirms_cancels_and_the_waiting_company_moves_up(
    page: Page, browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        stop_id = create_stop(db_session, capacity=1, countries=("US", "DE")).id
    engine.dispose()
    assert stop_id is not None
    first_vat, second_vat = vat_number(7001), "IT" + vat_number(7002)

    form_shot = artifacts / "registration-form.png"
    register(page, live_server, stop_id, "Varese Avionica S.r.l.", first_vat, "chiara@avionica.it", form_shot)
    expect(page.locator("main")).to_contain_text("chiara@avionica.it")
    page.screenshot(path=str(artifacts / "registration-received.png"), full_page=True)
    [confirm_email] = emails_to(live_server, "chiara@avionica.it")
    page.goto(live_server.url + confirm_path(confirm_email))
    page.get_by_role("button", name="Conferma l'iscrizione").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le mie iscrizioni")
    expect(page.locator("table")).to_contain_text("Confermata")
    assert status_of(live_server, first_vat) == ("confirmed", None)
    page.screenshot(path=str(artifacts / "registration-confirmed.png"), full_page=True)

    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
    second = other.new_page()
    register(second, live_server, stop_id, "Gallarate Compositi S.p.A.", second_vat, "luca@compositi.it")
    expect(second.locator("main")).to_contain_text("lista d'attesa, in posizione 1")
    second.screenshot(path=str(artifacts / "registration-waitlisted-mobile.png"), full_page=True)
    second.goto(live_server.url + confirm_path(emails_to(live_server, "luca@compositi.it")[0]))
    second.get_by_role("button", name="Conferma l'iscrizione").click()
    expect(second.locator("table")).to_contain_text("Lista d'attesa, posizione 1")

    page.get_by_role("link", name=re.compile("Annulla l'iscrizione")).click()
    expect(page.locator(".confirm-panel")).to_contain_text(
        "Il posto passa alla prima azienda in lista d'attesa"
    )
    page.get_by_role("button", name="Annulla l'iscrizione").click()
    expect(page.get_by_role("status")).to_contain_text("L'iscrizione è stata annullata.")
    expect(page.locator("table")).to_contain_text("Annullata")
    assert status_of(live_server, second_vat[2:]) == ("confirmed", None)
    promoted = emails_to(live_server, "luca@compositi.it")[-1]
    assert promoted.template == "companies/emails/promoted"
    assert "Si è liberato un posto" in promoted.subject
    second.reload()
    expect(second.locator("table")).to_contain_text("Confermata")
    second.screenshot(path=str(artifacts / "registration-promoted-mobile.png"), full_page=True)
    other.close()
