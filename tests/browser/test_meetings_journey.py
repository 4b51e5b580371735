"""The B2B journey in a real browser: companies ask, consuls accept, the organiser schedules
and publishes, and a company finds its meetings on its page."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.accounts.service import Signer
from app.config import DEVELOPMENT_SECRET
from app.db import make_engine, session_scope
from app.web import SESSION_COOKIE
from tests.browser.conftest import LiveServer
from tests.factories import (
    create_company,
    create_invitation,
    create_registration,
    create_representative,
    create_stop,
)

PASSWORD = "correct horse battery"
COMPANIES = ("Avio Componenti S.p.A.", "Meccanica Insubre S.r.l.")


@dataclass
class Journey:
    stop_id: int
    us_invitation: int
    de_invitation: int
    companies: list[int]  # user ids
    consuls: list[int]  # user ids
    organiser_email: str


def _prepare(live_server: LiveServer) -> Journey:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        journey = _rows(db_session)
    engine.dispose()
    return journey


def _rows(db_session: Session) -> Journey:
    stop = create_stop(
        db_session,
        countries=("US", "DE"),
        stop_date=clock.today() + timedelta(days=60),
        title_it="Aerospazio B2B a Varese",
        title_en="Aerospace B2B in Varese",
    )
    us = create_invitation(
        db_session,
        stop,
        create_representative(db_session, country="US", name="Jane Carter"),
        status="confirmed",
        sector_interests=["aerospace"],
    )
    de = create_invitation(
        db_session,
        stop,
        create_representative(db_session, country="DE", name="Klaus Weber"),
        status="confirmed",
    )
    companies = []
    for name in COMPANIES:
        registration = create_registration(
            db_session, stop, create_company(db_session, name=name), status="confirmed"
        )
        user = accounts_service.create(
            f"{registration.company_id}-journey@example.org",
            role=Role.COMPANY,
            company_id=registration.company_id,
            db_session=db_session,
        )
        companies.append(user.id or 0)
    consuls = [
        accounts_service.create(
            f"consul-{invitation.id}-journey@example.org",
            role=Role.CONSUL,
            representative_id=invitation.representative_id,
            language="en",
            db_session=db_session,
        ).id
        or 0
        for invitation in (us, de)
    ]
    organiser = accounts_service.create(
        f"organiser-{stop.id}@example.org", role=Role.ORGANISER, password=PASSWORD, db_session=db_session
    )
    return Journey(stop.id or 0, us.id, de.id, companies, consuls, organiser.email)


def _act_as(page: Page, live_server: LiveServer, user_id: int) -> None:
    """Sign in as a company or consul, as the emailed sign-in link would."""
    secret = live_server.env.get("ROADSHOW_SECRET_KEY", DEVELOPMENT_SECRET)
    holder = type("U", (), {"id": user_id, "credential_version": 0})()  # as created: never revoked
    cookie = Signer(secret).session_cookie(holder)  # type: ignore[arg-type]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": live_server.url}])


def _ask(page: Page, invitation_id: int, priority: str, goal: str) -> None:
    page.get_by_label("Chi vuole incontrare?").select_option(str(invitation_id))
    page.get_by_label("Priorità").select_option(priority)
    page.get_by_label("Che cosa speri di ottenere?").fill(goal)
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_role("status")).to_have_text("La richiesta è stata inviata.")


def test_companies_request_consuls_accept_organiser_schedules_and_company_sees_its_meetings(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    journey = _prepare(live_server)
    my_meetings = f"{live_server.url}/my/stops/{journey.stop_id}/meetings"

    _act_as(page, live_server, journey.companies[0])
    page.goto(my_meetings)
    expect(page.get_by_role("heading", level=1)).to_have_text("I suoi incontri B2B")
    _ask(page, journey.us_invitation, "high", "Cerchiamo un distributore in Texas")
    _ask(page, journey.de_invitation, "medium", "Fornitori per l'industria aeronautica tedesca")
    page.screenshot(path=str(artifacts / "meetings-company-requests.png"), full_page=True)

    _act_as(page, live_server, journey.companies[1])
    page.goto(my_meetings)
    _ask(page, journey.us_invitation, "high", "Partner per la manutenzione")

    asked = {journey.consuls[0]: COMPANIES, journey.consuls[1]: COMPANIES[:1]}
    for consul, companies in asked.items():
        _act_as(page, live_server, consul)
        page.goto(f"{live_server.url}/consul/stops/{journey.stop_id}/requests")
        expect(page.get_by_role("heading", level=1)).to_have_text("Richieste di incontro")
        expect(page.locator(".request-card")).to_have_count(len(companies))
        for company in companies:
            accept = page.get_by_role("button", name=f"Accetta ({company})")
            accept.click()
            expect(accept).to_have_count(0)
            expect(page.get_by_role("status")).to_have_text("Ha accettato la richiesta.")
        if len(companies) == 2:
            expect(page.locator(".request-card").first).to_contain_text("Corrisponde a quanto ha indicato")
            page.screenshot(path=str(artifacts / "meetings-consul-requests.png"), full_page=True)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login?next=/manage/stops/{journey.stop_id}/meetings")
    page.get_by_label("Email").fill(journey.organiser_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Incontri B2B")
    page.get_by_label("Prima fascia").fill("14:00")
    page.get_by_label("Durata della fascia (minuti)").fill("20")
    page.get_by_label("Numero di fasce").fill("3")
    page.get_by_label("Tavoli").fill("2")
    page.get_by_role("button", name="Salva il blocco").click()
    expect(page.get_by_role("status")).to_have_text("Il blocco B2B è stato salvato.")
    page.get_by_role("button", name="Calcola la pianificazione").click()
    # The POST only queues the run: the page says so and refreshes itself until the draft is there.
    expect(
        page.get_by_text("Il pianificatore degli incontri è in corso: questa pagina lo segue")
    ).to_be_visible()
    grid = page.locator("table.meeting-grid")
    following = page.locator("#run-status").get_by_text("Questa pagina si aggiorna da sola")
    watched = 0
    while grid.count() == 0:
        # Each page it reloads to follows the run or shows its grid: the run can end, and the page
        # reload, between two looks (seen on a busy machine), so neither look alone can be required.
        expect(grid.or_(following).first).to_be_visible()
        page.wait_for_timeout(500)
        watched += 1
        assert watched < 60, "the run never finished"
    expect(grid.locator("td.meeting-cell")).to_have_count(3)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    expect(grid).to_contain_text("Avio Componenti S.p.A.")
    expect(page.locator(".run-summary")).to_contain_text("ottimo dimostrato")
    page.screenshot(path=str(artifacts / "meetings-organiser-grid.png"), full_page=True)
    page.get_by_role("button", name="Pubblica il calendario").click()
    # A confirmation first says who will be emailed; nothing is sent until "Pubblica ora".
    expect(page.locator("#publish-summary")).to_contain_text("riceveranno un'email:")
    page.screenshot(path=str(artifacts / "meetings-publish-confirmation.png"), full_page=True)
    page.get_by_role("button", name="Pubblica ora").click()
    expect(page.get_by_role("status")).to_have_text(
        "Il calendario è pubblicato; i partecipanti i cui incontri sono cambiati hanno ricevuto un'email."
    )

    _act_as(page, live_server, journey.companies[0])
    page.goto(my_meetings)
    agenda = page.get_by_role("region", name="I suoi incontri", exact=True)
    expect(agenda.locator("tbody tr")).to_have_count(2)
    expect(agenda).to_contain_text("Jane Carter")
    expect(agenda).to_contain_text("Klaus Weber")
    expect(agenda).to_contain_text("Stati Uniti")
    expect(page.get_by_role("link", name="Aggiungi al calendario (.ics)")).to_be_visible()
    page.screenshot(path=str(artifacts / "meetings-company-agenda.png"), full_page=True)
    # On a 360 px phone the requests stack into labelled rows: priority, goal and status stay visible.
    page.set_viewport_size({"width": 360, "height": 800})
    requests = page.get_by_role("region", name="Le sue richieste", exact=True)
    for cell in ("Priorità", "Obiettivo", "Stato"):
        expect(requests.locator(f'td[data-label="{cell}"]').first).to_be_visible()
    expect(requests.locator('td[data-label="Stato"]').first).to_contain_text("In calendario")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "meetings-company-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
