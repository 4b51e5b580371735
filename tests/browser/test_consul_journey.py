import re
from datetime import time, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.consuls.models import Consulate, ConsulateKind, Representative
from app.db import make_engine, session_scope
from app.notifications.models import OutboxMessage
from app.stops.models import Stop, StopCountry, StopStatus
from tests.browser.conftest import LiveServer

PASSWORD = "correct horse battery"
CONSUL_EMAIL = "journey.consul@canada.example.org"


def _prepare(live_server: LiveServer) -> int:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        accounts_service.create(
            "consuls-journey.organiser@example.org",
            role=Role.ORGANISER,
            password=PASSWORD,
            db_session=db_session,
        )
        # Only this representative speaks for Canada here, whatever the seed holds.
        for seeded in db_session.exec(select(Consulate).where(Consulate.country_code == "CA")):
            seeded.active = False
            db_session.add(seeded)
        consulate = Consulate(
            country_code="CA",
            kind=ConsulateKind.CONSULATE_GENERAL,
            name_it="Consolato generale del Canada (prova)",
            name_en="Consulate General of Canada (journey)",
        )
        db_session.add(consulate)
        db_session.flush()
        db_session.add(
            Representative(
                consulate_id=consulate.id,  # type: ignore[arg-type]
                name="Evelyn Tremblay",
                title="Trade Commissioner",
                email=CONSUL_EMAIL,
                languages=["en", "fr"],
                preferred_language="en",
            )
        )
        stop = Stop(
            slug="journey-consuls",
            title_it="Aerospazio a Gallarate",
            title_en="Aerospace in Gallarate",
            sector_slug="aerospace",
            territory_code="VA",
            city="Gallarate",
            venue="Museo MAGA",
            venue_address="Via De Magri 1, 21013 Gallarate",
            stop_date=clock.today() + timedelta(days=60),
            capacity=80,
            status=StopStatus.PUBLISHED,
            b2b_first_slot=time(14, 0),
            b2b_slot_minutes=20,
            b2b_slot_count=4,
            b2b_tables=5,
        )
        db_session.add(stop)
        db_session.flush()
        db_session.add(StopCountry(stop_id=stop.id, country_code="CA", position=0))  # type: ignore[arg-type]
        stop_id = stop.id or 0
    engine.dispose()
    return stop_id


def _invitation_link(live_server: LiveServer) -> str:
    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db_session:
        message = db_session.exec(select(OutboxMessage).where(OutboxMessage.to_address == CONSUL_EMAIL)).one()
    engine.dispose()
    assert message.language == "en"
    match = re.search(r"http://\S+/consul/invitations/\S+", message.body_text)
    assert match, message.body_text
    return match.group(0)


def test_organiser_invites_a_consul_confirms_in_english_and_the_matrix_shows_it(
    page: Page, browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    stop_id = _prepare(live_server)
    matrix_url = f"{live_server.url}/manage/stops/{stop_id}/consuls"

    page.goto(f"{live_server.url}/login?next=/manage/stops/{stop_id}/consuls")
    page.get_by_label("Email").fill("consuls-journey.organiser@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page).to_have_url(matrix_url)
    page.get_by_role("link", name="Invita i rappresentanti di tutti i Paesi della tappa…").click()
    expect(page.locator(".confirm-panel")).to_contain_text("Evelyn Tremblay")
    page.get_by_role("button", name="Invia gli inviti").click()
    expect(page.get_by_role("status").first).to_contain_text("1 invito inviato.")
    expect(page.locator("#country-CA [data-status='invited']")).to_contain_text("Evelyn Tremblay")
    page.screenshot(path=str(artifacts / "consuls-matrix-invited.png"), full_page=True)

    link = _invitation_link(live_server)
    consul_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
    consul = consul_context.new_page()
    consul.goto(link)
    expect(consul.locator("html")).to_have_attribute("lang", "en")
    expect(consul.get_by_role("heading", level=1)).to_have_text("Aerospace in Gallarate")
    expect(consul.locator("#answer-status")).to_have_text("Opened")
    consul.screenshot(path=str(artifacts / "consuls-invitation-en.png"), full_page=True)

    consul.get_by_label("15:00").uncheck()
    consul.get_by_label("At most how many meetings?").fill("3")
    consul.get_by_label("Aerospace").check()
    consul.get_by_label("Topics of interest").fill("Suppliers of composite parts")
    consul.get_by_role("button", name="Confirm", exact=True).click()
    expect(consul.get_by_role("status").first).to_have_text("Thank you: your answer has been recorded.")
    expect(consul.locator("#answer-status")).to_have_text("Confirmed")
    expect(consul.get_by_label("15:00")).not_to_be_checked()
    expect(consul.get_by_label("14:20")).to_be_checked()
    consul.screenshot(path=str(artifacts / "consuls-confirmed-en.png"), full_page=True)

    consul.goto(f"{live_server.url}/consul")
    expect(consul.get_by_role("heading", level=1)).to_have_text("Your roadshow")
    expect(consul.locator("table")).to_contain_text("Aerospace in Gallarate")
    consul.screenshot(path=str(artifacts / "consuls-home-en.png"), full_page=True)
    consul_context.close()

    page.goto(matrix_url)
    confirmed = page.locator("#country-CA [data-status='confirmed']")
    expect(confirmed).to_contain_text("Evelyn Tremblay")
    expect(page.locator("#country-CA [data-status='invited']")).not_to_contain_text("Evelyn Tremblay")
    expect(page.locator("main")).to_contain_text("14:00, 14:20, 14:40")
    expect(page.locator("main")).to_contain_text("Aerospazio")
    page.screenshot(path=str(artifacts / "consuls-matrix-confirmed.png"), full_page=True)
